//! `PolicySpec`: how strictly `platformgen check` applies its built-in policy
//! rules here: waivers (a reasoned exception for one rule) and per-rule level
//! overrides. Only what users write: which rules exist and what a waiver matches
//! is decided by the policy engine, whose names this file must not know.

use indexmap::IndexMap;
use schemars::JsonSchema;
use serde::Deserialize;

/// Policy settings of `platformgen check`.
#[derive(Debug, Clone, Default, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
pub struct PolicySpec {
    /// Exceptions to policy rules, each with the reason it is acceptable. A
    /// waived finding is listed as suppressed instead of failing the check; a
    /// waiver that matches nothing is reported, so stale waivers do not rot.
    /// A list: an overlay's `waivers` replaces the base's whole list.
    #[serde(default)]
    pub waivers: Vec<Waiver>,
    /// Level of a rule, by id (`PG4003`) or name (`probes`), overriding its
    /// default for this environment's tier: `error`, `warning` or `off`.
    #[serde(default)]
    pub rules: IndexMap<String, RuleLevel>,
}

/// One reasoned exception to a policy rule.
#[derive(Debug, Clone, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
pub struct Waiver {
    /// The rule waived, by id (`PG4005`) or name (`min-replicas`).
    pub rule: String,
    /// Only findings about this workload. Without `workload` and `namespace`
    /// the waiver covers the rule platform-wide.
    #[serde(default)]
    pub workload: Option<String>,
    /// Only findings in this namespace.
    #[serde(default)]
    pub namespace: Option<String>,
    /// Why the exception is acceptable, for reviewers and auditors. Required
    /// and non-empty.
    pub reason: String,
}

/// How a policy rule reports its findings.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Deserialize, JsonSchema)]
#[serde(rename_all = "camelCase")]
pub enum RuleLevel {
    /// Not checked.
    Off,
    /// Reported; `check` still succeeds.
    Warning,
    /// Reported; `check` exits 1.
    Error,
}

impl RuleLevel {
    pub fn as_str(self) -> &'static str {
        match self {
            RuleLevel::Off => "off",
            RuleLevel::Warning => "warning",
            RuleLevel::Error => "error",
        }
    }
}

//! `Namespace`: one namespace of the platform, usually one per layer (auth, api,
//! data, observability).

use std::collections::BTreeMap;

use schemars::JsonSchema;
use serde::Deserialize;

#[derive(Debug, Clone, Default, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
pub struct Namespace {
    /// Pod Security Standard enforced in the namespace (Pod Security Admission
    /// `enforce`, `audit` and `warn` labels). Default `restricted`. Anything
    /// weaker is a visible, reviewable line in the spec.
    #[serde(default)]
    pub pod_security: Option<PodSecurityLevel>,
    /// Extra labels on the Namespace object.
    #[serde(default)]
    pub labels: BTreeMap<String, String>,
    /// Extra annotations on the Namespace object.
    #[serde(default)]
    pub annotations: BTreeMap<String, String>,
    /// The sections capabilities own here (`quota`, `limitRange`), read by
    /// [`read_platform`](super::read_platform).
    #[serde(skip)]
    #[schemars(skip)]
    pub sections: super::Sections,
}

/// A Pod Security Standard level.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, JsonSchema)]
#[serde(rename_all = "camelCase")]
pub enum PodSecurityLevel {
    Privileged,
    Baseline,
    Restricted,
}

impl PodSecurityLevel {
    pub fn as_str(self) -> &'static str {
        match self {
            PodSecurityLevel::Privileged => "privileged",
            PodSecurityLevel::Baseline => "baseline",
            PodSecurityLevel::Restricted => "restricted",
        }
    }
}

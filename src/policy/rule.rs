//! `Rule`: one built-in policy rule of `platformgen check` as data: its stable
//! code, what it requires, its level in each tier, why, and how to fix it. The
//! documentation lives here, beside the check, and everything users read about a
//! rule (`platformgen codes PG4001`, docs/policies.md, SARIF rule metadata) is
//! generated from it. A rule only reads; it never edits the manifests or model.

use crate::diagnostic::Code;
use crate::spec::{RuleLevel, Tier};

use super::{Context, Finding};

/// A rule's default level in each tier.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct TierLevels {
    pub development: RuleLevel,
    pub staging: RuleLevel,
    pub production: RuleLevel,
}

impl TierLevels {
    pub const fn new(development: RuleLevel, staging: RuleLevel, production: RuleLevel) -> Self {
        Self {
            development,
            staging,
            production,
        }
    }

    pub fn get(self, tier: Tier) -> RuleLevel {
        match tier {
            Tier::Development => self.development,
            Tier::Staging => self.staging,
            Tier::Production => self.production,
        }
    }

    /// The strictest level of any tier: the level a tool that knows nothing of
    /// tiers (a SARIF viewer) should assume.
    pub fn strictest(self) -> RuleLevel {
        self.development.max(self.staging).max(self.production)
    }
}

/// What a rule reads, which decides how often the engine runs it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RuleScope {
    /// The rendered objects. `check` runs the rule over each workload's
    /// objects together with the platform-wide ones (see
    /// `lower::lower_visiting`), so it must judge an object only by objects of
    /// the same workload or platform-wide ones: a workload's scaler, budget,
    /// routes and policies, a namespace's default deny.
    Objects,
    /// Only the model and the spec tree: run once.
    Platform,
}

/// The signature of a rule's check: read the context, push findings.
pub(super) type CheckFn = fn(&Context<'_>, &mut Vec<Finding>);

pub struct Rule {
    pub code: Code,
    /// What the rule requires, in one sentence.
    pub summary: &'static str,
    pub levels: TierLevels,
    /// Why the rule exists: the failure it prevents. Markdown.
    pub rationale: &'static str,
    /// How to fix a finding. Markdown.
    pub fix: &'static str,
    pub scope: RuleScope,
    /// Reports every violation, whatever the tier: levels are applied (and
    /// waivers matched) by the engine, so a waiver of a rule that is off in
    /// this tier is still known to be needed.
    pub check: CheckFn,
}

impl Rule {
    pub fn id(&self) -> &'static str {
        self.code.id()
    }

    pub fn name(&self) -> &'static str {
        self.code.name()
    }
}

impl std::fmt::Debug for Rule {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Rule").field("code", &self.code).finish()
    }
}

/// The rule of `rules` named by `id_or_name`: its id (`PG4001`, any case)
/// or its name (`unpinned-image`).
pub fn find_rule<'r>(rules: &[&'r Rule], id_or_name: &str) -> Option<&'r Rule> {
    rules
        .iter()
        .copied()
        .find(|rule| rule.id().eq_ignore_ascii_case(id_or_name) || rule.name() == id_or_name)
}

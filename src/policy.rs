//! The policy stage of `platformgen check`: built-in rules (PG4xxx) over the
//! rendered manifests and the resolved model, with a level per tier, waivers and
//! per-rule overrides from the spec's `policy` section.
//!
//! Owns the core rules (one file per rule, each holding its check and its
//! documentation, listed in [`CORE_RULES`]) and the engine that applies
//! levels and waivers. A capability's rule is the `policy.rs` of its folder,
//! registered on its `Capability`; the composition root
//! (`capabilities::rules`) joins both lists and hands them to the engine,
//! so no core rule list names a capability. Rules read and report at spec spans; they never edit the
//! manifests, the model or the spec. `render` does not run this stage: a
//! policy finding never stops a render, only `check`.

mod autoscaler_range;
mod blocking_disruption_budget;
mod context;
mod dependency_without_port;
mod docs;
mod engine;
mod finding;
mod image_without_digest;
mod missing_default_deny;
mod missing_disruption_budget;
mod missing_probes;
mod missing_resources;
mod mounted_service_account_token;
mod namespace_not_restricted;
mod pod;
mod policy_report;
mod replica_count;
mod rule;
mod settings;
mod single_replica;
#[cfg(test)]
pub(crate) mod testing;
mod unpinned_image;
mod weak_security_context;

pub use context::Context;
pub use docs::{markdown, rule_markdown, rule_text};
pub use engine::{PolicyRun, check};
pub use finding::{Finding, Suppression};
pub use policy_report::PolicyReport;
pub use rule::{Rule, RuleScope, TierLevels, find_rule};
pub use settings::check_settings;

use replica_count::ReplicaCount;

/// The core's rules, in code order (a capability's rules are on its
/// `Capability`; `capabilities::rules` has them all). A rule's code is never
/// reused or renumbered: waivers and code-scanning alerts refer to it.
pub static CORE_RULES: &[&Rule] = &[
    &unpinned_image::RULE,
    &missing_resources::RULE,
    &missing_probes::RULE,
    &weak_security_context::RULE,
    &single_replica::RULE,
    &missing_disruption_budget::RULE,
    &missing_default_deny::RULE,
    &autoscaler_range::RULE,
    &blocking_disruption_budget::RULE,
    &dependency_without_port::RULE,
    &namespace_not_restricted::RULE,
    &image_without_digest::RULE,
    &mounted_service_account_token::RULE,
];

#[cfg(test)]
mod tests {
    use super::*;

    use crate::diagnostic::Code;

    #[test]
    fn core_rules_are_in_code_order_with_documentation() {
        let codes: Vec<Code> = CORE_RULES.iter().map(|rule| rule.code).collect();
        let mut sorted = codes.clone();
        sorted.sort_unstable();
        sorted.dedup();
        assert_eq!(codes, sorted, "rules are listed once each, in code order");
        for rule in CORE_RULES {
            assert!(rule.id().starts_with("PG4"), "{}", rule.id());
            for text in [rule.summary, rule.rationale, rule.fix] {
                assert!(!text.trim().is_empty(), "{} is documented", rule.id());
                assert!(
                    !text.contains("  "),
                    "{}: no double spaces: {text}",
                    rule.id()
                );
            }
        }
    }

    #[test]
    fn rules_are_found_by_id_or_name() {
        let find = |name| find_rule(CORE_RULES, name).map(Rule::id);
        assert_eq!(find("PG4001"), Some("PG4001"));
        assert_eq!(find("pg4001"), Some("PG4001"));
        assert_eq!(find("single-replica"), Some("PG4005"));
        assert!(find("PG3001").is_none());
        assert!(find("PG4900").is_none(), "engine codes are not rules");
    }
}

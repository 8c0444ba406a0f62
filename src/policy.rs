//! The policy stage of `platformgen check`: built-in rules (PG4xxx) over the
//! rendered manifests and the resolved model, with a level per tier, waivers and
//! per-rule overrides from the spec's `policy` section.
//!
//! Owns the rule registry below (one file per rule, each holding its check and
//! its documentation; a capability's rule is the `policy.rs` of its folder,
//! listed here like the others) and the engine that applies levels and
//! waivers. Rules read and report at spec spans; they never edit the
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
pub use rule::{Rule, RuleScope, TierLevels};
pub use settings::check_settings;

use replica_count::ReplicaCount;

use crate::capabilities::postgres::policy as database_without_backup;
use crate::capabilities::secrets::policy as plaintext_secret;
use crate::diagnostic::Code;

/// Every built-in rule, in code order. A rule's code is never reused or
/// renumbered: waivers and code-scanning alerts refer to it.
pub static RULES: &[&Rule] = &[
    &unpinned_image::RULE,
    &missing_resources::RULE,
    &missing_probes::RULE,
    &weak_security_context::RULE,
    &single_replica::RULE,
    &missing_disruption_budget::RULE,
    &crate::capabilities::ingress::policy::RULE,
    &plaintext_secret::RULE,
    &missing_default_deny::RULE,
    &autoscaler_range::RULE,
    &blocking_disruption_budget::RULE,
    &dependency_without_port::RULE,
    &namespace_not_restricted::RULE,
    &image_without_digest::RULE,
    &mounted_service_account_token::RULE,
    &database_without_backup::RULE,
];

/// The rule reporting `code`, if `code` is a rule's.
pub fn rule(code: Code) -> Option<&'static Rule> {
    RULES.iter().copied().find(|rule| rule.code == code)
}

/// The rule named by `id_or_name`: its id (`PG4001`, any case) or its name
/// (`unpinned-image`).
pub fn find_rule(id_or_name: &str) -> Option<&'static Rule> {
    RULES
        .iter()
        .copied()
        .find(|rule| rule.id().eq_ignore_ascii_case(id_or_name) || rule.name() == id_or_name)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn registry_is_in_code_order_with_documentation() {
        let codes: Vec<Code> = RULES.iter().map(|rule| rule.code).collect();
        let mut sorted = codes.clone();
        sorted.sort_unstable();
        sorted.dedup();
        assert_eq!(codes, sorted, "rules are listed once each, in code order");
        for rule in RULES {
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
        assert_eq!(find_rule("PG4001").map(Rule::id), Some("PG4001"));
        assert_eq!(find_rule("pg4001").map(Rule::id), Some("PG4001"));
        assert_eq!(find_rule("single-replica").map(Rule::id), Some("PG4005"));
        assert!(find_rule("PG3001").is_none());
        assert!(find_rule("PG4900").is_none(), "engine codes are not rules");
    }
}

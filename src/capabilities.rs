//! Capabilities: each feature of the platform spec that renders objects of
//! its own (storage classes, secrets backends, ingress, RBAC, quotas, …) is
//! one folder here, a vertical slice through the layers:
//!
//! ```text
//! capabilities/<name>.rs          the registration: one `Capability` value
//! capabilities/<name>/spec.rs     what users write (serde + schemars types)
//! capabilities/<name>/analyze.rs  checks with diagnostics; resolves the model
//! capabilities/<name>/model.rs    the resolved form lowering reads
//! capabilities/<name>/lower.rs    model → Kubernetes objects
//! ```
//!
//! plus, where it has them, `policy.rs` (policy rules). Each file belongs to
//! the layer its name says (see
//! docs/architecture.md); the registration belongs to this one. A capability
//! is wired into the pipeline by one line in [`CAPABILITIES`]: its spec
//! sections, its hooks and its policy rules. The spec and the model hold a
//! capability's sections and parts without naming their types
//! (`spec::Sections`): the capability reads them back through its typed
//! `Section` and `Part` keys.
//!
//! This module is the composition root of the core and the capabilities: the
//! core never names a capability's hooks or rules, the pipeline and `check`
//! take them from here ([`sections`], [`analyze_hooks`], [`lower_hooks`],
//! [`rules`]).

pub mod connections;
pub mod elasticsearch;
pub mod gitops;
pub mod ingress;
pub mod internal_ca;
pub mod keda;
pub mod minio;
pub mod mongodb;
pub mod monitoring;
pub mod postgres;
pub mod quota;
pub mod rabbitmq;
pub mod rbac;
pub mod redis;
pub mod rollouts;
pub mod secrets;
pub mod storage_class;
pub mod tracing;
pub mod velero;

mod capability;

pub use capability::Capability;

use crate::analyze;
use crate::diagnostic::Code;
use crate::lower;
use crate::policy::{self, Rule};
use crate::spec::SectionType;

/// Every capability, in the order their hooks run.
pub static CAPABILITIES: &[Capability] = &[
    storage_class::CAPABILITY,
    ingress::CAPABILITY,
    secrets::CAPABILITY,
    quota::CAPABILITY,
    rbac::CAPABILITY,
    // Before postgres: backups name a tenant as their endpoint.
    minio::CAPABILITY,
    postgres::CAPABILITY,
    rabbitmq::CAPABILITY,
    mongodb::CAPABILITY,
    redis::CAPABILITY,
    elasticsearch::CAPABILITY,
    // After every data-service engine: it renders the CA their TLS needs.
    internal_ca::CAPABILITY,
    // After every data-service engine: it resolves connections to them.
    connections::CAPABILITY,
    // After every data-service engine: it scrapes their pod groups.
    monitoring::CAPABILITY,
    // After connections: a queue trigger reads the connection's credentials.
    keda::CAPABILITY,
    tracing::CAPABILITY,
    // After the data services: a schedule leaves out PostgreSQL's volumes.
    velero::CAPABILITY,
    // After ingress (a canary's traffic routing follows the resolved
    // exposure) and monitoring (the analysis queries its Prometheus).
    rollouts::CAPABILITY,
    gitops::CAPABILITY,
];

/// Every capability's spec sections, in registry order.
pub fn sections() -> Vec<SectionType> {
    CAPABILITIES
        .iter()
        .flat_map(|c| c.sections)
        .copied()
        .collect()
}

/// The key paths of every capability's sections whose values name a
/// platform namespace (each capability's `namespace_paths`), for
/// `cluster.namespaceTemplate`.
pub fn namespace_paths() -> Vec<&'static str> {
    CAPABILITIES
        .iter()
        .flat_map(|c| c.namespace_paths)
        .copied()
        .collect()
}

/// Every capability's analysis hooks, in registry order.
pub fn analyze_hooks() -> analyze::Hooks {
    analyze::Hooks {
        platform: CAPABILITIES.iter().filter_map(|c| c.analyze).collect(),
        workload: CAPABILITIES
            .iter()
            .filter_map(|c| c.analyze_workload)
            .collect(),
        env: CAPABILITIES.iter().filter_map(|c| c.provides_env).collect(),
    }
}

/// Every capability's lowering hooks, in registry order.
pub fn lower_hooks() -> lower::Hooks {
    lower::Hooks {
        platform: CAPABILITIES.iter().filter_map(|c| c.lower).collect(),
        workload: CAPABILITIES
            .iter()
            .filter_map(|c| c.lower_workload)
            .collect(),
    }
}

/// Every policy rule, the core's and each capability's, in code order (the
/// order of docs/policies.md, `platformgen codes` and SARIF's rule list).
pub fn rules() -> Vec<&'static Rule> {
    let mut rules: Vec<&'static Rule> = policy::CORE_RULES
        .iter()
        .chain(CAPABILITIES.iter().flat_map(|c| c.rules))
        .copied()
        .collect();
    rules.sort_by_key(|rule| rule.code);
    rules
}

/// The rule reporting `code`, if `code` is a rule's.
pub fn rule(code: Code) -> Option<&'static Rule> {
    rules().into_iter().find(|rule| rule.code == code)
}

/// The rule named by `id_or_name`: its id (`PG4001`, any case) or its name
/// (`unpinned-image`).
pub fn find_rule(id_or_name: &str) -> Option<&'static Rule> {
    policy::find_rule(&rules(), id_or_name)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rules_are_registered_once_each_with_documentation() {
        let codes: Vec<Code> = rules().iter().map(|rule| rule.code).collect();
        let mut unique = codes.clone();
        unique.dedup();
        assert_eq!(codes, unique, "every rule is registered once");
        // PG40xx codes are rules' (PG49xx the engine's own): each needs its
        // rule registered, in the core's list or on its capability.
        let rule_codes: Vec<Code> = Code::ALL
            .iter()
            .copied()
            .filter(|code| code.id().starts_with("PG40"))
            .collect();
        assert_eq!(codes, rule_codes, "every rule code has a registered rule");
        for rule in rules() {
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
    fn capability_rules_are_found_with_the_core_ones() {
        assert_eq!(find_rule("PG4001").map(Rule::id), Some("PG4001"));
        assert_eq!(find_rule("plaintext-secret").map(Rule::id), Some("PG4008"));
        assert_eq!(find_rule("pg4016").map(Rule::id), Some("PG4016"));
        assert_eq!(
            rule(Code::PlaintextSecret).map(Rule::name),
            Some("plaintext-secret")
        );
        assert!(
            rule(Code::UnusedWaiver).is_none(),
            "engine codes are not rules"
        );
    }
}

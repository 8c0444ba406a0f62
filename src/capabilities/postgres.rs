//! PostgreSQL through the CloudNativePG operator: `postgres.<name>` renders a
//! `Cluster` (a primary and streaming replicas with automated failover), a
//! PgBouncer `Pooler` and a `ScheduledBackup` with continuous WAL archiving;
//! workloads connect with `connections.<name>`, their credentials taken from
//! the Secret the operator generates.

pub mod analyze;
pub mod lower;
pub mod model;
pub mod policy;
pub mod spec;

use super::capability::Capability;

pub const CAPABILITY: Capability = Capability {
    name: "postgres",
    spec_keys: &["postgres"],
    sections: spec::SECTIONS,
    namespace_paths: spec::NAMESPACE_PATHS,
    docs: "docs/data-services/postgres.md",
    analyze: Some(analyze::analyze),
    analyze_workload: None,
    provides_env: None,
    lower: Some(lower::objects),
    lower_workload: None,
    rules: &[&policy::RULE],
};

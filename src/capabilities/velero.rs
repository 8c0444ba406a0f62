//! Backups of the platform's Kubernetes objects and volumes with Velero:
//! `backups.velero.schedules.<name>` renders a `Schedule` (`velero.io/v1`)
//! in Velero's namespace, which Velero turns into a `Backup` of the named
//! namespaces at each tick of its cron schedule, kept for its retention.

pub mod analyze;
pub mod lower;
pub mod model;
pub mod spec;

use super::capability::Capability;

pub const CAPABILITY: Capability = Capability {
    name: "velero",
    spec_keys: &["backups", "backups.velero", "backups.velero.schedules"],
    sections: spec::SECTIONS,
    namespace_paths: spec::NAMESPACE_PATHS,
    docs: "docs/operations.md",
    analyze_workload: None,
    analyze: Some(analyze::analyze),
    provides_env: None,
    lower: Some(lower::objects),
    lower_workload: None,
    rules: &[],
};

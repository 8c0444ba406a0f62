//! Storage classes: those `cloud` generates (`fast-ssd`, `standard`), adjusted
//! or extended by `storageClasses`, and the classes the cluster already has;
//! rendered as `storage.k8s.io/v1` StorageClasses. Workload volumes naming a
//! class that is none of these are a warning (their claims would stay
//! Pending).

pub mod analyze;
pub mod lower;
pub mod model;
pub mod spec;

use super::capability::Capability;

pub const CAPABILITY: Capability = Capability {
    name: "storage_class",
    spec_keys: &["storageClasses"],
    sections: spec::SECTIONS,
    namespace_paths: &[],
    docs: "docs/clouds.md",
    analyze: Some(analyze::analyze),
    analyze_workload: None,
    provides_env: None,
    lower: Some(lower::objects),
    lower_workload: None,
    rules: &[],
};

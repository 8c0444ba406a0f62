//! Namespace quotas and limit ranges: a namespace's `quota` (ResourceQuota
//! `default`, caps on what all its pods take together) and `limitRange`
//! (LimitRange `default`, per-container defaults and bounds). Analysis checks
//! that a LimitRange is in order and that the namespace's workloads fit both
//! at their largest scale, since Kubernetes would otherwise refuse their pods
//! long after the spec was reviewed.

pub mod analyze;
pub mod lower;
pub mod model;
pub mod spec;

use super::capability::Capability;

pub const CAPABILITY: Capability = Capability {
    name: "quota",
    // Its keys are nested in each namespace (`quota`, `limitRange`), not at
    // the top of the spec.
    spec_keys: &["namespaces.*.quota", "namespaces.*.limitRange"],
    sections: spec::SECTIONS,
    namespace_paths: &[],
    docs: "docs/spec.md",
    analyze: Some(analyze::analyze),
    analyze_workload: None,
    provides_env: None,
    lower: Some(lower::objects),
    lower_workload: None,
    rules: &[],
};

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
//! plus, where it has them, `graph.rs` (network flows) and `policy.rs` (policy
//! rules). Each file belongs to the layer its name says (see
//! docs/architecture.md); the registration belongs to this one. A capability
//! is wired into the pipeline by one line in [`CAPABILITIES`], and its spec
//! and model sections by their field in `PlatformSpec` and `PlatformModel`,
//! the typed roots.

pub mod connections;
pub mod ingress;
pub mod minio;
pub mod mongodb;
pub mod postgres;
pub mod quota;
pub mod rabbitmq;
pub mod rbac;
pub mod redis;
pub mod secrets;
pub mod storage_class;

use crate::analyze;
use crate::lower;

/// One capability: where it plugs into the pipeline.
#[derive(Debug)]
pub struct Capability {
    /// Short name, as in its folder.
    pub name: &'static str,
    /// The spec keys it owns, as key paths where `*` stands for any name
    /// (`storageClasses`, `workloads.*.secrets`).
    pub spec_keys: &'static [&'static str],
    /// Its page in docs/, which documents every key it owns.
    pub docs: &'static str,
    /// Checks and resolves its part of the model, after the core analysis.
    pub analyze: Option<analyze::Hook>,
    /// Renders its platform-wide objects, right after the Namespaces and
    /// before the core's other platform-wide objects.
    pub lower: Option<lower::PlatformHook>,
    /// Renders its objects of one workload.
    pub lower_workload: Option<lower::WorkloadHook>,
}

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
    // After every data-service engine: it resolves connections to them.
    connections::CAPABILITY,
];

/// Every capability's analysis hook, in registry order.
pub fn analyze_hooks() -> Vec<analyze::Hook> {
    CAPABILITIES.iter().filter_map(|c| c.analyze).collect()
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

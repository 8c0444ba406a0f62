//! What users write: the platform spec and its environment overlays, as serde +
//! schemars types, one concept per file. `deny_unknown_fields` everywhere; no
//! Kubernetes types and no I/O here. `from_tree` turns a merged YAML tree into a
//! [`PlatformSpec`], placing every error at its span.

mod autoscaling;
mod config;
mod disruption_budget;
mod expose;
mod from_tree;
mod image;
mod ingress;
mod kubernetes_version;
mod namespace;
mod platform;
mod platform_spec;
mod port;
mod probe;
mod quantity;
mod resources;
mod scheduling;
mod security;
mod storage;
mod tier;
mod workload;

pub use autoscaling::Autoscaling;
pub use config::Config;
pub use disruption_budget::DisruptionBudget;
pub use expose::Expose;
pub use from_tree::from_tree;
pub use image::Image;
pub use ingress::Ingress;
pub use kubernetes_version::KubernetesVersion;
pub use namespace::{Namespace, PodSecurityLevel};
pub use platform::Platform;
pub use platform_spec::PlatformSpec;
pub use port::{PortSpec, Protocol};
pub use probe::{Probe, Probes};
pub use quantity::Quantity;
pub use resources::{ResourceAmounts, Resources};
pub use scheduling::Scheduling;
pub use security::Security;
pub use storage::Storage;
pub use tier::Tier;
pub use workload::{ServiceAccountSpec, ServiceType, Workload, WorkloadKind};

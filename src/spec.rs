//! What users write: the platform spec and its environment overlays, as serde +
//! schemars types, one concept per file. `deny_unknown_fields` everywhere; no
//! Kubernetes types and no I/O here. `from_tree` turns a merged YAML tree into a
//! [`PlatformSpec`], placing every error at its span.

mod autoscaling;
mod batch;
mod cloud;
mod compute_amounts;
mod config;
mod connection;
mod data_volume;
mod disruption_budget;
mod egress;
mod event_triggers;
mod from_tree;
mod habits;
mod image;
mod kubernetes_version;
mod namespace;
mod network;
mod node_pool;
pub mod overrides;
pub mod parameters;
mod patch;
mod platform;
mod platform_spec;
mod policy;
mod port;
mod priority_class;
mod probe;
mod qos;
mod quantity;
pub mod redaction;
mod resources;
mod rollout;
mod scheduling;
mod security;
mod side_container;
mod storage;
mod tier;
mod workload;
mod writable_path;

pub use crate::capabilities::ingress::spec::{Expose, Ingress};
pub use crate::capabilities::monitoring::spec::{AlertRule, BlackboxExporter, Metrics, Monitoring};
pub use crate::capabilities::quota::spec::{LimitRange, Quota};
pub use crate::capabilities::rbac::spec::RbacRule;
pub use crate::capabilities::secrets::spec::SecretSpec;
pub use crate::capabilities::storage_class::spec::{
    ReclaimPolicy, StorageClassSpec, VolumeBindingMode,
};
pub use autoscaling::Autoscaling;
pub use batch::{ConcurrencyPolicy, CronJobSettings, JobRestartPolicy, JobSettings};
pub use cloud::Cloud;
pub use compute_amounts::ComputeAmounts;
pub use config::Config;
pub use connection::ConnectionSpec;
pub use data_volume::DataVolume;
pub use disruption_budget::DisruptionBudget;
pub use egress::{EgressRule, EgressTarget};
pub use event_triggers::{CronTrigger, EventTriggers, PrometheusTrigger, RabbitmqTrigger};
pub use from_tree::{from_merged_tree, from_tree};
pub use image::Image;
pub use kubernetes_version::KubernetesVersion;
pub use namespace::{Namespace, PodSecurityLevel};
pub use network::{ApiServer, Network};
pub use node_pool::{NodePool, Taint, TaintEffect};
pub use patch::{JsonPatchOp, JsonPatchOperation, PatchSpec, PatchTarget};
pub use platform::Platform;
pub use platform_spec::PlatformSpec;
pub use policy::{PolicySpec, RuleLevel, Waiver};
pub use port::{PortSpec, Protocol};
pub use priority_class::{PreemptionPolicy, PriorityClassSpec};
pub use probe::{Probe, Probes};
pub use qos::QosClass;
pub use quantity::Quantity;
pub use resources::{ResourceAmounts, Resources};
pub use rollout::{IntOrPercent, RollingUpdate, Rollout};
pub use scheduling::Scheduling;
pub use security::Security;
pub use side_container::{SideContainer, SidePort};
pub use storage::Storage;
pub use tier::Tier;
pub use workload::{ServiceAccountSpec, ServiceType, Workload, WorkloadKind};
pub use writable_path::{StorageMedium, WritablePath, WritableVolume};

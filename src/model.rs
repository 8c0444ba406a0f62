//! The resolved platform: what the spec means for one environment, with every
//! default applied and every reference checked. Built by `analyze`, read by
//! `lower`.

mod platform_model;
mod workload_model;

pub use platform_model::{NamespaceModel, PlatformModel};
pub use workload_model::{
    AutoscalingModel, ConfigModel, DisruptionBudgetModel, ExposureModel, PortModel, ProbeAction,
    ProbeModel, ResourcesModel, SecurityModel, StorageModel, WorkloadModel,
};

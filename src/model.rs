//! The resolved platform: what the spec means for one environment, with every
//! default applied and every reference checked. Built by `analyze`, read by
//! `lower`.

pub mod labels;
mod network_model;
mod platform_model;
mod quota_model;
mod rbac_model;
mod scheduling_model;
mod secret_model;
mod workload_model;

pub use crate::capabilities::ingress::model::{ExposureModel, IngressModel};
pub use crate::capabilities::storage_class::model::StorageClassModel;
pub use network_model::{
    AddressBlock, ApiServerModel, EgressModel, MetricsModel, MonitoringModel, NetworkModel,
};
pub use platform_model::{NamespaceModel, PlatformModel};
pub use quota_model::{LimitRangeModel, QuotaModel};
pub use rbac_model::{RbacModel, RbacRuleModel};
pub use scheduling_model::{PriorityClassModel, TolerationModel};
pub use secret_model::{RemoteRefModel, SecretModel, SecretSource};
pub use workload_model::{
    AutoscalingModel, ConfigModel, DisruptionBudgetModel, PortModel, ProbeAction, ProbeModel,
    ResourcesModel, SecurityModel, StorageModel, WorkloadModel,
};

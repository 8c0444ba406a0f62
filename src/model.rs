//! The resolved platform: what the spec means for one environment, with every
//! default applied and every reference checked. Built by `analyze`, read by
//! `lower`.

mod batch_model;
mod data_service_model;
pub mod labels;
mod network_model;
mod parts;
mod patch_model;
mod platform_model;
mod scheduling_model;
mod secret_ref_model;
mod waiver_model;
mod workload_model;

pub use batch_model::{BatchModel, CronJobModel, JobModel};
pub use data_service_model::{
    AccessPoint, ClientRedirect, ConnectionEnvModel, DataServiceModel, FieldValue, MetricsEndpoint,
    PodGroupModel, SecretMirrorModel, TrustModel,
};
pub use network_model::{
    AddressBlock, ApiServerModel, AutoscalerReadModel, EgressDestination, EgressModel,
    ExposedPortModel, MetricsModel, MonitoringModel, NetworkModel, PortRange, TraceExportModel,
};
pub use parts::Part;
pub use patch_model::{PatchChange, PatchModel};
pub use platform_model::{NamespaceModel, PlatformModel};
pub use scheduling_model::{PriorityClassModel, TolerationModel};
pub use secret_ref_model::{SecretEnvModel, SecretFilesModel};
pub use waiver_model::WaiverModel;
pub use workload_model::{
    AutoscalingModel, ConfigModel, DisruptionBudgetModel, PodField, PodOwnerModel, PortModel,
    ProbeAction, ProbeModel, ResourcesModel, RolloutModel, SecurityModel, SideContainerModel,
    StorageModel, WorkloadModel, WritablePathModel,
};

//! `WorkloadModel`: one resolved workload. No `Option` stands for "use the
//! default": defaults are already applied.

use std::collections::BTreeMap;

use crate::source::Span;
use crate::spec::{Image, IntOrPercent, Protocol, Quantity, ServiceType, WorkloadKind};

use super::{EgressModel, MetricsModel};

#[derive(Debug, Clone)]
pub struct WorkloadModel {
    pub name: String,
    pub namespace: String,
    pub kind: WorkloadKind,
    pub description: Option<String>,
    pub component: Option<String>,
    pub image: Image,
    pub command: Option<Vec<String>>,
    pub args: Option<Vec<String>>,
    pub ports: Vec<PortModel>,
    /// Plain environment variables, in spec order.
    pub env: Vec<(String, String)>,
    /// Variables from the Downward API, in spec order.
    pub field_env: Vec<(String, PodField)>,
    pub config: Option<ConfigModel>,
    pub resources: ResourcesModel,
    /// Replicas when not autoscaled (the spec's `replicas`, default 1).
    pub replicas: u32,
    pub autoscaling: Option<AutoscalingModel>,
    pub disruption_budget: Option<DisruptionBudgetModel>,
    /// How a new version replaces the pods.
    pub rollout: RolloutModel,
    /// The object of a capability that runs the pods in place of the
    /// workload's own kind (an Argo Rollout for a Deployment with
    /// `delivery`, set by the rollouts capability's analysis): the core
    /// renders no Deployment then, and autoscalers scale that object.
    pub pod_owner: Option<PodOwnerModel>,
    pub liveness: Option<ProbeModel>,
    pub readiness: Option<ProbeModel>,
    pub startup: Option<ProbeModel>,
    pub storage: Option<StorageModel>,
    pub writable_paths: Vec<WritablePathModel>,
    /// Native sidecars (init containers that keep running), in spec order.
    pub sidecars: Vec<SideContainerModel>,
    /// Init containers, in spec order; they run after the sidecars started.
    pub init_containers: Vec<SideContainerModel>,
    pub uses: Vec<String>,
    /// The environment of `connections`, resolved by the connections
    /// capability; appended after the workload's own.
    pub connection_env: Vec<super::ConnectionEnvModel>,
    /// For each data service the workload connects to, the access point's
    /// pod group it reaches.
    pub connection_groups: BTreeMap<String, String>,
    /// The ports the ingress controllers reach, each with the namespace of
    /// the controller serving it (set by the ingress capability's analysis).
    pub exposed_ports: Vec<super::ExposedPortModel>,
    /// The port and path serving Prometheus metrics.
    pub metrics: Option<MetricsModel>,
    /// Destinations outside the cluster the workload may call.
    pub egress: Vec<EgressModel>,
    pub security: SecurityModel,
    pub spread: bool,
    /// Pod `nodeSelector`: the node pool's labels and the workload's own.
    pub node_selector: BTreeMap<String, String>,
    /// Tolerations of the node pool's taints (GPU tolerations are added when lowering).
    pub tolerations: Vec<super::TolerationModel>,
    /// PriorityClass of the pods.
    pub priority_class: Option<String>,
    /// Variables set from the workload's secrets, in spec order (set by the secrets
    /// capability's workload analysis).
    pub secret_env: Vec<super::SecretEnvModel>,
    /// Those secrets mounted as files, in spec order (likewise).
    pub secret_files: Vec<super::SecretFilesModel>,
    pub automount_token: bool,
    pub service_type: ServiceType,
    pub pod_annotations: BTreeMap<String, String>,
    /// Annotations on the Deployment, StatefulSet, Job or CronJob itself.
    pub annotations: BTreeMap<String, String>,
    /// Annotations on the workload's ServiceAccount (cloud identity bindings).
    pub service_account_annotations: BTreeMap<String, String>,
    /// Names of the Secret objects holding registry credentials, in spec order.
    pub image_pull_secrets: Vec<String>,
    /// The spec's policy waivers that cover this workload (by name, by
    /// namespace or platform-wide), in spec order.
    pub waivers: Vec<super::WaiverModel>,
    /// How a Job or CronJob runs; `None` for Deployments and StatefulSets.
    pub batch: Option<super::BatchModel>,
    /// The Jobs whose `runBefore` names this workload: it rolls only after
    /// they have succeeded.
    pub runs_after: Vec<String>,
    /// The workload's key in the spec, for diagnostics on generated objects.
    pub origin: Span,
    /// The capabilities' parts of the workload's model (its exposure, its
    /// Kubernetes API access, its secrets, its event triggers).
    pub parts: crate::spec::Sections,
}

/// An object of a capability that runs a workload's pods in place of the
/// workload's kind.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct PodOwnerModel {
    pub api_version: &'static str,
    pub kind: &'static str,
    /// The pod label the owner tells its versions' pods apart by, which
    /// monitors copy onto the pods' series so each version can be measured
    /// alone.
    pub version_label: &'static str,
}

/// What a Downward API variable reads.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum PodField {
    /// A field of the pod (`fieldRef.fieldPath`).
    Pod(String),
    /// A request or limit of the main container (`resourceFieldRef.resource`).
    Resource(String),
}

/// A writable directory on an `emptyDir`.
#[derive(Debug, Clone)]
pub struct WritablePathModel {
    pub path: String,
    /// A tmpfs (`medium: Memory`) rather than the node's disk.
    pub memory: bool,
    pub size_limit: Option<Quantity>,
}

/// An init container or a sidecar of a workload's pod.
#[derive(Debug, Clone)]
pub struct SideContainerModel {
    pub name: String,
    pub image: Image,
    pub command: Option<Vec<String>>,
    pub args: Option<Vec<String>>,
    /// Plain environment variables, in spec order.
    pub env: Vec<(String, String)>,
    pub resources: ResourcesModel,
    /// Sidecars only (`service_port` is the container port: no Service).
    pub ports: Vec<PortModel>,
    pub writable_paths: Vec<WritablePathModel>,
}

#[derive(Debug, Clone)]
pub struct PortModel {
    pub name: String,
    pub container_port: u16,
    pub service_port: u16,
    pub protocol: Protocol,
}

#[derive(Debug, Clone)]
pub struct ConfigModel {
    pub env: BTreeMap<String, String>,
    pub files: BTreeMap<String, String>,
    pub mount_path: String,
    /// More directories of files: path and files, in spec order.
    pub mounts: Vec<(String, BTreeMap<String, String>)>,
}

#[derive(Debug, Clone)]
pub struct ResourcesModel {
    pub cpu_request: Quantity,
    pub memory_request: Quantity,
    pub cpu_limit: Quantity,
    pub memory_limit: Quantity,
    pub gpu: Option<u32>,
}

#[derive(Debug, Clone)]
pub struct AutoscalingModel {
    pub min: u32,
    pub max: u32,
    pub cpu: Option<u8>,
    pub memory: Option<u8>,
    pub scale_down_stabilization_seconds: Option<u32>,
    /// Scales on events (`autoscaling.events`): the keda capability renders
    /// a ScaledObject, which makes its own HorizontalPodAutoscaler, instead
    /// of the core's HorizontalPodAutoscaler.
    pub on_events: bool,
}

/// The update strategy of a Deployment or StatefulSet.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RolloutModel {
    /// Kubernetes' defaults (a rolling update, 25% surge and unavailable for
    /// a Deployment), left out of the render.
    Default,
    /// Deployment: every old pod stops before new ones start.
    Recreate,
    /// Deployment: a rolling update with these bounds (Kubernetes' default
    /// for one left out).
    Surge {
        max_surge: Option<IntOrPercent>,
        max_unavailable: Option<IntOrPercent>,
    },
    /// StatefulSet: a rolling update of the ordinals at or above this one.
    Partition(u32),
}

#[derive(Debug, Clone, Copy)]
pub enum DisruptionBudgetModel {
    MinAvailable(u32),
    MaxUnavailable(u32),
}

#[derive(Debug, Clone)]
pub struct ProbeModel {
    pub action: ProbeAction,
    pub initial_delay_seconds: Option<u32>,
    pub period_seconds: Option<u32>,
    pub timeout_seconds: Option<u32>,
    pub failure_threshold: Option<u32>,
}

#[derive(Debug, Clone)]
pub enum ProbeAction {
    Http { path: String, port: String },
    Tcp { port: String },
    Exec { command: Vec<String> },
}

#[derive(Debug, Clone)]
pub struct StorageModel {
    pub size: Quantity,
    pub mount_path: String,
    pub storage_class: Option<String>,
}

#[derive(Debug, Clone)]
pub struct SecurityModel {
    pub run_as_user: u64,
    pub run_as_group: u64,
    pub fs_group: u64,
    pub read_only_root_filesystem: bool,
}

impl WorkloadModel {
    pub fn port(&self, name: &str) -> Option<&PortModel> {
        self.ports.iter().find(|p| p.name == name)
    }

    /// Most replicas the workload can have: the autoscaler's maximum or the fixed count.
    pub fn max_replicas(&self) -> u32 {
        self.autoscaling.as_ref().map_or(self.replicas, |a| a.max)
    }

    /// What one pod requests or is limited to, by `amount` of a container's
    /// resources (in thousandths): the containers that run together (main and
    /// sidecars), or an init container with the sidecars started before it
    /// when that is more, as the scheduler and quotas count.
    pub fn pod_amount(&self, amount: impl Fn(&ResourcesModel) -> u128) -> u128 {
        let sidecars: u128 = self.sidecars.iter().map(|c| amount(&c.resources)).sum();
        let running = amount(&self.resources) + sidecars;
        self.init_containers
            .iter()
            .map(|c| amount(&c.resources) + sidecars)
            .fold(running, u128::max)
    }

    /// The object that owns the pods and that autoscalers scale, as
    /// `(apiVersion, kind)`: the workload's own kind, or the capability's
    /// object that replaces it.
    pub fn scale_target(&self) -> (&'static str, &'static str) {
        if let Some(owner) = self.pod_owner {
            (owner.api_version, owner.kind)
        } else {
            let api_version = if self.kind.runs_to_completion() {
                "batch/v1"
            } else {
                "apps/v1"
            };
            (api_version, self.kind.as_str())
        }
    }

    /// Fewest replicas the workload runs with.
    pub fn min_replicas(&self) -> u32 {
        self.autoscaling.as_ref().map_or(self.replicas, |a| a.min)
    }
}

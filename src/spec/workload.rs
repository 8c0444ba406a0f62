//! `Workload`: one service, stateful store, or task run to completion. The
//! unit the spec is written in: everything Kubernetes needs to run it
//! (Deployment, StatefulSet, Job or CronJob, Service, ServiceAccount,
//! ConfigMap, autoscaler, disruption budget, ingress) is derived from this one
//! entry.

use indexmap::IndexMap;
use schemars::JsonSchema;
use serde::Deserialize;

use super::{
    Autoscaling, Config, DisruptionBudget, EgressRule, Image, Metrics, PortSpec, Probes, RbacRule,
    Resources, Scheduling, Security, Storage,
};

#[derive(Debug, Clone, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
pub struct Workload {
    /// Set to `false` in an environment overlay to leave this workload out of
    /// that environment. Default `true`.
    #[serde(default)]
    pub enabled: Option<bool>,
    /// `Deployment` for stateless services (default), `StatefulSet` for stores
    /// that own persistent volumes, `Job` for a task that runs to completion
    /// (a schema migration), `CronJob` for one that runs on a schedule (a
    /// report, a clean-up).
    #[serde(default)]
    pub kind: Option<WorkloadKind>,
    /// Namespace the workload runs in; must be declared under `namespaces`.
    pub namespace: String,
    /// Free text for people reading the spec.
    #[serde(default)]
    pub description: Option<String>,
    /// Role in the architecture, e.g. `api`, `database`, `cache`, `gateway`.
    /// Becomes the `app.kubernetes.io/component` label.
    #[serde(default)]
    pub component: Option<String>,
    /// Container image, `registry/repository:tag` or `...@sha256:digest`.
    /// Required unless `imageOf` is set.
    #[serde(default)]
    pub image: Option<Image>,
    /// Runs the image of another workload, by name, instead of an `image`
    /// of its own: a migration Job runs its service's image, so the two
    /// never drift apart (`--image` of the service changes both).
    #[serde(default)]
    pub image_of: Option<String>,
    /// Overrides the image's entrypoint.
    #[serde(default)]
    pub command: Option<Vec<String>>,
    /// Arguments to the entrypoint.
    #[serde(default)]
    pub args: Option<Vec<String>>,
    /// Ports the container listens on, by name (a DNS-1123 label of at most 15
    /// characters, e.g. `http`, `metrics`). Probes, exposure and dependencies
    /// refer to ports by these names.
    #[serde(default)]
    pub ports: IndexMap<String, PortSpec>,
    /// Plain environment variables. Values are text; never put secrets here.
    #[serde(default)]
    pub env: IndexMap<String, String>,
    /// Environment variables from the pod itself (the Downward API), by
    /// field: `metadata.name`, `metadata.namespace`, `metadata.uid`,
    /// `metadata.labels['<key>']`, `metadata.annotations['<key>']`,
    /// `spec.nodeName`, `spec.serviceAccountName`, `status.podIP`,
    /// `status.podIPs`, `status.hostIP`, `status.hostIPs`, or the
    /// container's `requests.cpu`, `requests.memory`, `limits.cpu`,
    /// `limits.memory` (e.g. `GOMEMLIMIT: limits.memory`).
    #[serde(default)]
    pub field_env: IndexMap<String, String>,
    /// Configuration held in a ConfigMap. A change to it rolls the pods: their
    /// template carries a checksum of the ConfigMap's content.
    #[serde(default)]
    pub config: Option<Config>,
    /// CPU and memory requests and limits of the container.
    pub resources: Resources,
    /// Number of pods when not autoscaled. Default 1.
    #[serde(default)]
    pub replicas: Option<u32>,
    /// Horizontal autoscaling (HorizontalPodAutoscaler, autoscaling/v2).
    #[serde(default)]
    pub autoscaling: Option<Autoscaling>,
    /// How a new version replaces the pods: `recreate`, or the rolling
    /// update's `maxSurge` and `maxUnavailable` (Deployment) or `partition`
    /// (StatefulSet). Kubernetes' defaults when absent.
    #[serde(default)]
    pub rollout: Option<super::Rollout>,
    /// PodDisruptionBudget. Derived when absent: workloads with at least two
    /// replicas get `maxUnavailable: 1`.
    #[serde(default)]
    pub disruption_budget: Option<DisruptionBudget>,
    /// Liveness, readiness and startup probes.
    #[serde(default)]
    pub probes: Probes,
    /// Persistent volume per replica (StatefulSet only).
    #[serde(default)]
    pub storage: Option<Storage>,
    /// Directories the container may write to, each backed by an `emptyDir`:
    /// a path, or `{ path, medium: Memory, sizeLimit }` (`/dev/shm`, caches).
    /// The root filesystem itself is read-only. Default `["/tmp"]`.
    #[serde(default)]
    pub writable_paths: Option<Vec<super::WritablePath>>,
    /// Containers that run to completion, in order, before the workload's
    /// container starts (after the sidecars have started).
    #[serde(default)]
    pub init_containers: Vec<super::SideContainer>,
    /// Containers that run beside the workload's container for the pod's
    /// life (native sidecars: started first, stopped last, and no obstacle
    /// to a Job's completion).
    #[serde(default)]
    pub sidecars: Vec<super::SideContainer>,
    /// Workloads this one calls, by name. Each dependency is a reviewed edge of
    /// the platform's graph (network policies are derived from it).
    #[serde(default)]
    pub uses: Vec<String>,
    /// Where the workload serves Prometheus metrics. Network policies admit
    /// the monitoring system (`monitoring`) to this port.
    #[serde(default)]
    pub metrics: Option<Metrics>,
    /// Connections to the platform's data services (`postgres`, …), by the
    /// service's name: environment variables with the host, port and
    /// credentials, from the Secrets the operators generate. A connection
    /// implies the service is in `uses`.
    #[serde(default)]
    pub connections: IndexMap<String, super::ConnectionSpec>,
    /// Destinations outside the cluster the workload calls. Without an entry,
    /// network policies let nothing leave the cluster.
    #[serde(default)]
    pub egress: Vec<EgressRule>,
    /// Pod and container security settings. Secure defaults apply; every field
    /// set here is a deliberate, visible choice.
    #[serde(default)]
    pub security: Security,
    /// Node placement and spreading.
    #[serde(default)]
    pub scheduling: Scheduling,
    /// Kubernetes API access of the workload's ServiceAccount.
    #[serde(default)]
    pub service_account: Option<ServiceAccountSpec>,
    /// Type of the workload's Service. Default `ClusterIP`; StatefulSets also
    /// get a headless Service for stable pod names.
    #[serde(default)]
    pub service_type: Option<ServiceType>,
    /// Extra annotations on the pods, e.g. for sidecar injection.
    #[serde(default)]
    pub pod_annotations: std::collections::BTreeMap<String, String>,
    /// Extra annotations on the workload's Deployment, StatefulSet, Job or
    /// CronJob itself (read by tools that act on the object, e.g. Reloader
    /// or an image updater), next to the pods' `podAnnotations`.
    #[serde(default)]
    pub annotations: std::collections::BTreeMap<String, String>,
    /// Registry credentials for pulling the images of a private registry, by
    /// the name of one of the workload's `secrets`: a Secret holding a
    /// `.dockerconfigjson` key (`imagePullSecrets`). The Secrets platformgen
    /// renders for them get the type `kubernetes.io/dockerconfigjson`, the
    /// only one the kubelet reads credentials from.
    #[serde(default)]
    pub image_pull_secrets: Vec<String>,
    /// Send traces to the platform's collector (`tracing`): the OTLP
    /// exporter's environment variables, and the network flow to the
    /// collector. Default `false`.
    #[serde(default)]
    pub tracing: Option<bool>,
    /// Intended QoS class. When set, the resources must produce it (checked).
    #[serde(default)]
    pub qos: Option<super::QosClass>,
    /// Retries, deadline and clean-up of a `Job`, or of each Job a `CronJob`
    /// starts.
    #[serde(default)]
    pub job: Option<super::JobSettings>,
    /// Schedule and history of a `CronJob`.
    #[serde(default)]
    pub cron_job: Option<super::CronJobSettings>,
    /// The sections capabilities own here (`expose`, `secrets`, `alerts`,
    /// …), read by [`read_platform`](super::read_platform).
    #[serde(skip)]
    #[schemars(skip)]
    pub sections: super::Sections,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, JsonSchema)]
pub enum WorkloadKind {
    Deployment,
    StatefulSet,
    Job,
    CronJob,
}

impl WorkloadKind {
    /// Jobs and CronJobs: pods that run to completion, serve nothing, and are
    /// neither replicated nor probed.
    pub fn runs_to_completion(self) -> bool {
        matches!(self, WorkloadKind::Job | WorkloadKind::CronJob)
    }

    pub fn as_str(self) -> &'static str {
        match self {
            WorkloadKind::Deployment => "Deployment",
            WorkloadKind::StatefulSet => "StatefulSet",
            WorkloadKind::Job => "Job",
            WorkloadKind::CronJob => "CronJob",
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, JsonSchema)]
pub enum ServiceType {
    ClusterIP,
    LoadBalancer,
    /// No Service at all (workers that only consume queues).
    None,
}

/// ServiceAccount settings.
#[derive(Debug, Clone, Default, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
pub struct ServiceAccountSpec {
    /// Mount the ServiceAccount token into the pods. Default: `true` when
    /// `rules` or `clusterRules` are declared, `false` otherwise (only
    /// workloads that talk to the Kubernetes API need it).
    #[serde(default)]
    pub automount_token: Option<bool>,
    /// Kubernetes API access in the workload's own namespace: a Role and a
    /// RoleBinding named after the workload.
    #[serde(default)]
    pub rules: Vec<RbacRule>,
    /// Cluster-wide Kubernetes API access: a ClusterRole and a
    /// ClusterRoleBinding named `<platform>-<workload>`. Only for what a
    /// namespaced Role cannot grant.
    #[serde(default)]
    pub cluster_rules: Vec<RbacRule>,
    /// Annotations on the ServiceAccount, e.g.
    /// `eks.amazonaws.com/role-arn` (IAM roles for service accounts on EKS),
    /// `iam.gke.io/gcp-service-account` (GKE Workload Identity) or
    /// `azure.workload.identity/client-id` (AKS Workload Identity).
    #[serde(default)]
    pub annotations: std::collections::BTreeMap<String, String>,
}

//! `PlatformModel`: the resolved platform for one environment. Defaults are
//! applied, references are checked, disabled workloads are gone. Lowering reads
//! only this, and may assume it is consistent.

use std::collections::BTreeMap;

use crate::source::Span;
use crate::spec::{KubernetesVersion, PodSecurityLevel, Sections, Tier};

use super::{MonitoringModel, NetworkModel, WorkloadModel};

#[derive(Debug, Clone)]
pub struct PlatformModel {
    pub environment: String,
    pub tier: Tier,
    pub name: String,
    pub kubernetes_version: KubernetesVersion,
    /// IngressClass of the Ingresses; `None` in Gateway API mode. This and the
    /// next three fields are set by the ingress capability's analysis
    /// (`capabilities/ingress/`); the network flow graph reads them too.
    pub ingress_class: Option<String>,
    /// ClusterIssuer named in `cert-manager.io/cluster-issuer` annotations;
    /// `None` without TLS. The same as `ingress.tls.issuer_name`.
    pub tls_issuer: Option<String>,
    pub ingress_controller_namespace: Option<String>,
    pub namespaces: Vec<NamespaceModel>,
    pub workloads: Vec<WorkloadModel>,
    /// Workload name → index into `workloads`: lookups by name stay cheap on
    /// platforms of thousands of workloads.
    pub workload_index: BTreeMap<String, usize>,
    /// Cloud provider of the cluster (StorageClass presets, LoadBalancer annotations).
    pub cloud: Option<crate::spec::Cloud>,
    /// PriorityClasses to render.
    pub priority_classes: Vec<super::PriorityClassModel>,
    /// NetworkPolicies on or off, and the API server's addresses.
    pub network: NetworkModel,
    /// Where the monitoring system runs, when the spec says.
    pub monitoring: Option<MonitoringModel>,
    /// Pods outside the platform that read its pods (KEDA's operator, set by
    /// the keda capability), in name order.
    pub autoscaler_reads: Vec<super::AutoscalerReadModel>,
    /// Workloads exporting traces to the in-platform collector (set by the
    /// tracing capability), in spec order.
    pub trace_exports: Vec<super::TraceExportModel>,
    /// Every data service workloads may connect to, from every engine.
    pub data_services: Vec<super::DataServiceModel>,
    /// Pods operators run for the data services, each with its network policy.
    pub pod_groups: Vec<super::PodGroupModel>,
    /// Secrets copied into the namespaces of the workloads that connect to
    /// a data service in another namespace, sorted.
    pub secret_mirrors: Vec<super::SecretMirrorModel>,
    /// Pod groups whose clients are sent on to another group.
    pub client_redirects: Vec<super::ClientRedirect>,
    /// Patches of rendered objects, in spec order.
    pub patches: Vec<super::PatchModel>,
    /// The objects the user templates (`templates/`) render, as written.
    pub templated: Vec<crate::object::Manifest>,
    /// The capabilities' parts of the platform's model (routing, storage
    /// classes, data service clusters, monitors, backup schedules), each
    /// read through its capability's [`Part`](super::Part).
    pub parts: Sections,
}

#[derive(Debug, Clone)]
pub struct NamespaceModel {
    pub name: String,
    pub pod_security: PodSecurityLevel,
    pub labels: BTreeMap<String, String>,
    pub annotations: BTreeMap<String, String>,
    /// The namespace's key in the spec, for diagnostics on generated objects.
    pub origin: Span,
    /// The capabilities' parts of the namespace's model (its ResourceQuota
    /// and LimitRange).
    pub parts: Sections,
}

impl PlatformModel {
    /// The data service `name`, if the platform runs one.
    pub fn data_service(&self, name: &str) -> Option<&super::DataServiceModel> {
        self.data_services
            .iter()
            .find(|service| service.name == name)
    }

    /// The pod group `name`, if the platform runs one.
    pub fn pod_group(&self, name: &str) -> Option<&super::PodGroupModel> {
        self.pod_groups.iter().find(|group| group.name == name)
    }

    pub fn workload(&self, name: &str) -> Option<&WorkloadModel> {
        self.workload_index
            .get(name)
            .map(|&index| &self.workloads[index])
    }
}

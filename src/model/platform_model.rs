//! `PlatformModel`: the resolved platform for one environment. Defaults are
//! applied, references are checked, disabled workloads are gone. Lowering reads
//! only this, and may assume it is consistent.

use std::collections::BTreeMap;

use crate::source::Span;
use crate::spec::{KubernetesVersion, PodSecurityLevel, Tier};

use super::WorkloadModel;

#[derive(Debug, Clone)]
pub struct PlatformModel {
    pub environment: String,
    pub tier: Tier,
    pub name: String,
    pub kubernetes_version: KubernetesVersion,
    pub ingress_class: Option<String>,
    pub tls_issuer: Option<String>,
    pub ingress_controller_namespace: Option<String>,
    pub namespaces: Vec<NamespaceModel>,
    pub workloads: Vec<WorkloadModel>,
}

#[derive(Debug, Clone)]
pub struct NamespaceModel {
    pub name: String,
    pub pod_security: PodSecurityLevel,
    pub labels: BTreeMap<String, String>,
    pub annotations: BTreeMap<String, String>,
    /// The namespace's key in the spec, for diagnostics on generated objects.
    pub origin: Span,
}

impl PlatformModel {
    pub fn workload(&self, name: &str) -> Option<&WorkloadModel> {
        self.workloads.iter().find(|w| w.name == name)
    }
}

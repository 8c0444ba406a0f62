//! The resolved network settings: whether policies are rendered, where the
//! API server and the monitoring system are, and per workload its metrics
//! port and external destinations. CIDRs here are checked and canonical.

use std::collections::BTreeMap;

use crate::spec::Protocol;

#[derive(Debug, Clone)]
pub struct NetworkModel {
    /// Render NetworkPolicies (`network.policies`, default `true`).
    pub policies: bool,
    pub api_server: Option<ApiServerModel>,
}

#[derive(Debug, Clone)]
pub struct ApiServerModel {
    pub blocks: Vec<AddressBlock>,
    /// TCP ports.
    pub ports: Vec<u16>,
}

#[derive(Debug, Clone)]
pub struct MonitoringModel {
    pub namespace: String,
    /// Labels of the monitoring pods; empty means every pod of the namespace.
    pub pod_labels: BTreeMap<String, String>,
}

#[derive(Debug, Clone)]
pub struct MetricsModel {
    /// Name of a declared port.
    pub port: String,
    pub path: String,
}

/// Traffic a workload may send outside the cluster.
#[derive(Debug, Clone)]
pub struct EgressModel {
    /// How the destination is called in graphs: `internet`, or the CIDR.
    pub name: String,
    pub blocks: Vec<AddressBlock>,
    pub ports: Vec<u16>,
    pub protocol: Protocol,
}

/// Pods outside the platform's namespaces that read a pod group or workload
/// of the platform on some ports: KEDA's operator reading a broker's queue
/// depths (filled by the keda capability).
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub struct AutoscalerReadModel {
    pub namespace: String,
    pub pod_labels: BTreeMap<String, String>,
    /// The pod group or workload read.
    pub target: String,
    pub ports: Vec<u16>,
}

/// A workload exporting traces to the collector workload on its OTLP port
/// (filled by the tracing capability).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TraceExportModel {
    pub workload: String,
    pub collector: String,
    pub port: u16,
}

/// A CIDR block and the blocks inside it left out (a NetworkPolicy `ipBlock`).
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub struct AddressBlock {
    pub cidr: String,
    pub except: Vec<String>,
}

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

/// A port of a workload that an ingress controller routes to (filled by the
/// ingress capability): network policies admit the controller's namespace.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ExposedPortModel {
    /// Name of a declared port.
    pub port: String,
    /// Namespace of the controller (or Gateway proxies) serving it.
    pub controller_namespace: String,
}

/// Traffic a workload may send beyond its dependencies: outside the cluster,
/// or to the pods of a named namespace.
#[derive(Debug, Clone)]
pub struct EgressModel {
    /// How the destination is called in graphs: `internet`, the CIDR, or
    /// `namespace <name>`.
    pub name: String,
    pub destination: EgressDestination,
    pub ports: Vec<PortRange>,
    pub protocol: Protocol,
}

/// Where an egress rule opens traffic to.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum EgressDestination {
    /// Addresses outside the cluster's pods.
    Addresses(Vec<AddressBlock>),
    /// The pods of a namespace the platform does not manage (`monitoring`,
    /// `kube-system`), all of them or those carrying `pod_labels`.
    Namespace {
        namespace: String,
        pod_labels: BTreeMap<String, String>,
    },
    /// The workloads of one of the platform's own namespaces: each gets the
    /// flow on the ports of the rule it listens on (its own policy must admit
    /// the traffic, as the namespace's default deny closes it).
    PlatformNamespace { namespace: String },
}

/// A destination port, or an inclusive range of them (a NetworkPolicy `port`
/// with `endPort`). Checked: `start <= end`, both from 1 to 65535.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub struct PortRange {
    pub start: u16,
    /// The last port of a range; `None` for one port.
    pub end: Option<u16>,
}

impl PortRange {
    pub fn single(port: u16) -> PortRange {
        PortRange {
            start: port,
            end: None,
        }
    }

    pub fn contains(&self, port: u16) -> bool {
        port >= self.start && port <= self.end.unwrap_or(self.start)
    }
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

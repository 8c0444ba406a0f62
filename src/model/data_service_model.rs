//! Data services run by operators (a CloudNativePG cluster, a RabbitMQ
//! cluster, …) as the rest of the platform sees them: the pods they are made
//! of, which the network policies must open, and the ways a workload connects
//! to them, which `connections` turn into environment variables. Each engine's
//! capability resolves its services into these; the flow graph, the network
//! policies and the pod template read only this.

use std::collections::BTreeMap;

use crate::source::Span;
use crate::spec::Protocol;

use super::EgressModel;

/// A data service, by the name workloads `use` it by.
#[derive(Debug, Clone)]
pub struct DataServiceModel {
    pub name: String,
    pub namespace: String,
    /// `PostgreSQL`, `Redis`, …: for messages.
    pub engine: &'static str,
    /// How clients connect, by access mode.
    pub access: Vec<AccessPoint>,
    /// The StorageClasses the spec names for the volumes the operator
    /// creates: analysis judges each at its line (PG3019), as it does a
    /// workload's.
    pub storage_classes: Vec<String>,
    /// The CA clients must trust, when the service serves TLS with a
    /// certificate of the platform's own CA: the connections mount it into
    /// every client.
    pub trust: Option<TrustModel>,
    pub origin: Span,
}

/// A CA certificate clients of a data service mount to verify its
/// certificate: a Secret of that name in every client's namespace holds it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TrustModel {
    /// The Secret, in each namespace of the platform.
    pub secret: String,
    /// Its key holding the CA certificate (PEM).
    pub key: String,
    /// Where clients mount it (the directory; the file is `key` in it).
    pub mount_path: String,
}

impl TrustModel {
    /// The pod volume that mounts it.
    pub const VOLUME: &'static str = "platform-ca";

    /// The path of the CA file in a client's container.
    pub fn file(&self) -> String {
        format!("{}/{}", self.mount_path, self.key)
    }
}

impl DataServiceModel {
    /// The access point of `mode`, if the service offers it.
    pub fn access_point(&self, mode: &str) -> Option<&AccessPoint> {
        self.access.iter().find(|point| point.mode == mode)
    }
}

/// One way to connect to a data service: a Service in front of a group of
/// pods, and the fields a client needs (host, port, credentials, …).
#[derive(Debug, Clone)]
pub struct AccessPoint {
    /// `readWrite`, `readOnly`, `pooled`, …: what `connections.<name>.access`
    /// names. The first access point of a service is its default.
    pub mode: &'static str,
    /// The pod group clients reach.
    pub group: String,
    /// Every field a client may ask for, in the order their variables are
    /// written (credentials before the URIs that refer to them).
    pub fields: Vec<(&'static str, FieldValue)>,
}

/// The value of a connection field.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum FieldValue {
    /// Known when rendering: a host name, a port, a database name.
    Text(String),
    /// A key of a Secret the operator (or the platform) creates, in the
    /// data service's namespace.
    Secret {
        name: String,
        namespace: String,
        key: String,
    },
    /// Text with `$(field)` references to other fields of the access point,
    /// each resolved to the variable the workload maps that field to (a URI
    /// holding the password, say): Kubernetes expands `$(VAR)` when the
    /// variable is defined earlier in the container's environment.
    Template(String),
}

/// A group of pods the platform renders through an operator: one
/// NetworkPolicy each, opening exactly what the pods need.
#[derive(Debug, Clone)]
pub struct PodGroupModel {
    /// Unique among workloads and pod groups: names its NetworkPolicy.
    pub name: String,
    pub namespace: String,
    /// Labels the operator puts on the pods: their selector.
    pub pod_labels: BTreeMap<String, String>,
    /// Ports the pods listen on for clients.
    pub ports: Vec<(u16, Protocol)>,
    /// Ports the pods use between themselves (replication, membership).
    pub peer_ports: Vec<u16>,
    /// Whether the pods call the Kubernetes API (operators' instance managers
    /// do).
    pub api_server: bool,
    /// The operator's namespace and the ports it reaches the pods on.
    pub operator: Option<(String, Vec<u16>)>,
    /// Other pod groups or workloads the pods connect to, by name, on the
    /// ports given (all their client ports when empty).
    pub uses: Vec<(String, Vec<u16>)>,
    /// Destinations outside the cluster (an object store for backups).
    pub egress: Vec<EgressModel>,
    /// The port scraped for metrics, if any: network policies admit the
    /// monitoring system to it.
    pub metrics_port: Option<u16>,
    /// How Prometheus scrapes the pods without credentials, when it can:
    /// the monitoring capability renders a PodMonitor from it.
    pub metrics_endpoint: Option<MetricsEndpoint>,
    pub origin: Span,
}

/// A pod group's metrics as a PodMonitor scrapes them.
#[derive(Debug, Clone)]
pub struct MetricsEndpoint {
    /// Labels selecting exactly the pods that serve the metrics.
    pub selector: BTreeMap<String, String>,
    /// Name of the container port (a PodMonitor names ports).
    pub port: String,
    pub path: String,
}

/// A Secret of a data service's namespace copied into a consumer's namespace:
/// a pod can read Secrets of its own namespace only, so a workload in
/// `to` connecting to a service in `from` reads the copy.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub struct SecretMirrorModel {
    pub secret: String,
    pub from: String,
    pub to: String,
}

/// Clients of one pod group sent on to another: a Sentinel client asks the
/// sentinels where the primary is, then connects to the primary's pod. The
/// flow graph opens every client of `from` to `to`'s client ports too.
#[derive(Debug, Clone)]
pub struct ClientRedirect {
    pub from: String,
    pub to: String,
}

/// The environment a workload gets from its `connections`, in order.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ConnectionEnvModel {
    pub name: String,
    pub value: FieldValue,
}

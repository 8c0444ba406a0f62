//! `FlowGraph`: every flow of traffic the platform allows, derived from the
//! model: `uses` edges on the used workload's declared ports, cluster DNS for
//! every workload, each ingress controller to exposed workloads on the ports
//! of the exposures it serves, the monitoring system to metrics ports,
//! StatefulSet peers to each other, the API server for workloads that call
//! it, declared egress (addresses, namespaces outside the platform, the
//! listening workloads of a platform namespace), and any client to
//! LoadBalancer Services. Nothing else: a flow
//! missing here is traffic the network policies deny.
//!
//! Pure and deterministic: peers and flows come in the model's order.

use std::collections::BTreeMap;

use crate::model::labels;
use crate::model::{
    AddressBlock, EgressDestination, EgressModel, PlatformModel, PodGroupModel, WorkloadModel,
};
use crate::spec::{Protocol, ServiceType, WorkloadKind};

/// Namespace and pod label of the cluster DNS (CoreDNS keeps kube-dns's label).
pub const DNS_NAMESPACE: &str = "kube-system";
pub const DNS_LABEL: (&str, &str) = ("k8s-app", "kube-dns");
const DNS_PORT: u16 = 53;

/// One end of a flow.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub enum Peer {
    /// The pods of one of the platform's workloads.
    Workload {
        name: String,
        namespace: String,
        /// The workload's selector labels.
        pod_labels: BTreeMap<String, String>,
    },
    /// Every pod of the ingress controller's namespace.
    IngressController { namespace: String },
    /// Every pod of an operator's namespace (CloudNativePG's, …), which
    /// manages the pods of a data service.
    Operator { namespace: String },
    /// The operator of an autoscaler that reads its metrics from the
    /// platform's pods (KEDA's, reading queue depths).
    Autoscaler {
        namespace: String,
        pod_labels: BTreeMap<String, String>,
    },
    /// The monitoring system's pods.
    Monitoring {
        namespace: String,
        /// Empty: every pod of the namespace.
        pod_labels: BTreeMap<String, String>,
    },
    /// The cluster DNS: pods `k8s-app: kube-dns` in `kube-system`.
    ClusterDns,
    /// The Kubernetes API server, at the addresses `network.apiServer` gives.
    ApiServer { blocks: Vec<AddressBlock> },
    /// The pods of a namespace outside the platform a workload declares in
    /// `egress` (`to: monitoring`), all or those carrying `pod_labels`.
    Namespace {
        namespace: String,
        /// Empty: every pod of the namespace.
        pod_labels: BTreeMap<String, String>,
    },
    /// Addresses outside the cluster a workload declares in `egress`.
    External {
        /// `internet`, or the CIDR.
        name: String,
        blocks: Vec<AddressBlock>,
    },
    /// Any client at all: what a LoadBalancer Service answers.
    Anywhere,
}

impl Peer {
    /// The namespace and pod labels selecting this peer's pods (empty labels:
    /// every pod of the namespace), if it is made of pods.
    pub fn pods(&self) -> Option<(&str, BTreeMap<String, String>)> {
        match self {
            Peer::Workload {
                namespace,
                pod_labels,
                ..
            }
            | Peer::Monitoring {
                namespace,
                pod_labels,
            }
            | Peer::Autoscaler {
                namespace,
                pod_labels,
            }
            | Peer::Namespace {
                namespace,
                pod_labels,
            } => Some((namespace, pod_labels.clone())),
            Peer::IngressController { namespace } | Peer::Operator { namespace } => {
                Some((namespace, BTreeMap::new()))
            }
            Peer::ClusterDns => Some((
                DNS_NAMESPACE,
                BTreeMap::from([(DNS_LABEL.0.to_owned(), DNS_LABEL.1.to_owned())]),
            )),
            Peer::ApiServer { .. } | Peer::External { .. } | Peer::Anywhere => None,
        }
    }

    /// The address blocks of a peer outside the cluster's pods.
    pub fn blocks(&self) -> Vec<AddressBlock> {
        match self {
            Peer::ApiServer { blocks } | Peer::External { blocks, .. } => blocks.clone(),
            Peer::Anywhere => ["0.0.0.0/0", "::/0"]
                .map(|cidr| AddressBlock {
                    cidr: cidr.to_owned(),
                    except: Vec::new(),
                })
                .to_vec(),
            _ => Vec::new(),
        }
    }

    /// A stable identifier, unique in a graph: the workload's name, or for
    /// other peers a `kind:what` pair (workload names never contain `:`).
    pub fn key(&self) -> String {
        match self {
            Peer::Workload { name, .. } => name.clone(),
            Peer::IngressController { namespace } => format!("ingress:{namespace}"),
            Peer::Operator { namespace } => format!("operator:{namespace}"),
            Peer::Monitoring { namespace, .. } => format!("monitoring:{namespace}"),
            Peer::Autoscaler { namespace, .. } => format!("autoscaler:{namespace}"),
            Peer::Namespace {
                namespace,
                pod_labels,
            } => {
                let labels: Vec<String> =
                    pod_labels.iter().map(|(k, v)| format!("{k}={v}")).collect();
                if labels.is_empty() {
                    format!("namespace:{namespace}")
                } else {
                    format!("namespace:{namespace}:{}", labels.join(","))
                }
            }
            Peer::ClusterDns => "cluster:dns".to_owned(),
            Peer::ApiServer { .. } => "cluster:api-server".to_owned(),
            Peer::External { name, .. } => format!("external:{name}"),
            Peer::Anywhere => "clients:any".to_owned(),
        }
    }

    /// What a reader calls the peer, one item per line.
    pub fn label(&self) -> Vec<String> {
        match self {
            Peer::Workload { name, .. } => vec![name.clone()],
            Peer::IngressController { namespace } => {
                vec![
                    "ingress controller".to_owned(),
                    format!("namespace {namespace}"),
                ]
            }
            Peer::Monitoring {
                namespace,
                pod_labels,
            } => {
                let mut lines = vec!["monitoring".to_owned(), format!("namespace {namespace}")];
                lines.extend(pod_labels.iter().map(|(k, v)| format!("{k}={v}")));
                lines
            }
            Peer::Operator { namespace } => {
                vec!["operator".to_owned(), format!("namespace {namespace}")]
            }
            Peer::Autoscaler {
                namespace,
                pod_labels,
            } => {
                let mut lines = vec!["autoscaler".to_owned(), format!("namespace {namespace}")];
                lines.extend(pod_labels.iter().map(|(k, v)| format!("{k}={v}")));
                lines
            }
            Peer::ClusterDns => vec![
                "cluster DNS".to_owned(),
                format!("{DNS_NAMESPACE}/{}={}", DNS_LABEL.0, DNS_LABEL.1),
            ],
            Peer::ApiServer { blocks } => {
                let mut lines = vec!["Kubernetes API".to_owned()];
                lines.extend(blocks.iter().map(|b| b.cidr.clone()));
                lines
            }
            Peer::Namespace {
                namespace,
                pod_labels,
            } => {
                let mut lines = vec![format!("namespace {namespace}")];
                lines.extend(pod_labels.iter().map(|(k, v)| format!("{k}={v}")));
                lines
            }
            Peer::External { name, .. } => vec![name.clone()],
            Peer::Anywhere => vec!["any client".to_owned()],
        }
    }

    /// The namespace a workload peer runs in: renderings group workloads by it.
    pub fn group(&self) -> Option<&str> {
        match self {
            Peer::Workload { namespace, .. } => Some(namespace),
            _ => None,
        }
    }

    /// The workload's name, for a workload peer.
    pub fn workload(&self) -> Option<&str> {
        match self {
            Peer::Workload { name, .. } => Some(name),
            _ => None,
        }
    }
}

/// Why a flow exists.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum FlowKind {
    /// `A uses B`.
    Uses,
    /// Pods of a replicated StatefulSet reaching each other (replication,
    /// cluster membership).
    Peers,
    /// The ingress controller to an exposed workload.
    Ingress,
    /// Any client to a LoadBalancer Service.
    LoadBalancer,
    /// The monitoring system to a metrics port.
    Monitoring,
    /// A workload to the cluster DNS.
    Dns,
    /// A workload to the Kubernetes API server.
    ApiServer,
    /// A workload to a declared external destination.
    External,
    /// An operator to the pods it manages.
    Operator,
    /// An autoscaler's operator to where it reads its metric (KEDA to a
    /// broker's queue depths).
    Autoscaler,
    /// A workload to the tracing collector (`tracing`).
    Tracing,
}

impl FlowKind {
    pub fn as_str(self) -> &'static str {
        match self {
            FlowKind::Uses => "uses",
            FlowKind::Peers => "peers",
            FlowKind::Ingress => "ingress",
            FlowKind::LoadBalancer => "load balancer",
            FlowKind::Monitoring => "monitoring",
            FlowKind::Dns => "dns",
            FlowKind::ApiServer => "api server",
            FlowKind::External => "egress",
            FlowKind::Operator => "operator",
            FlowKind::Autoscaler => "autoscaler",
            FlowKind::Tracing => "tracing",
        }
    }
}

/// A destination port: always a number, as NetworkPolicies name ports by
/// number on the receiving pod (named ports in egress rules are not honoured
/// by every CNI).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct FlowPort {
    pub port: u16,
    /// The last port of a range (an egress rule's `8000-8100`); `None` for
    /// one port.
    pub end_port: Option<u16>,
    pub protocol: Protocol,
}

impl FlowPort {
    fn single(port: u16, protocol: Protocol) -> FlowPort {
        FlowPort {
            port,
            end_port: None,
            protocol,
        }
    }
}

impl std::fmt::Display for FlowPort {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self.end_port {
            Some(end) => write!(f, "{}-{end}/{}", self.port, self.protocol.as_str()),
            None => write!(f, "{}/{}", self.port, self.protocol.as_str()),
        }
    }
}

/// Traffic from one peer to another on some ports.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Flow {
    /// Index into [`FlowGraph::peers`].
    pub from: usize,
    /// Index into [`FlowGraph::peers`].
    pub to: usize,
    pub ports: Vec<FlowPort>,
    pub kind: FlowKind,
}

#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct FlowGraph {
    /// Every peer, in order of first appearance.
    pub peers: Vec<Peer>,
    pub flows: Vec<Flow>,
    /// Peer → index into `peers`, so adding a flow is a lookup, not a scan:
    /// building the graph stays linear in the number of workloads.
    index: BTreeMap<Peer, usize>,
    /// Workload name → index into `peers`.
    workloads: BTreeMap<String, usize>,
    /// Per peer, the indices into `flows` of the flows into and out of it.
    incoming: Vec<Vec<usize>>,
    outgoing: Vec<Vec<usize>>,
}

impl FlowGraph {
    /// The allowed flows of `platform`.
    pub fn build(platform: &PlatformModel) -> FlowGraph {
        let mut graph = FlowGraph::default();
        // Workloads first, in spec order, so renderings list them as written.
        let mut peer_of = Vec::with_capacity(platform.workloads.len());
        for workload in &platform.workloads {
            let index = graph.peer(workload_peer(platform, workload));
            graph.workloads.insert(workload.name.clone(), index);
            peer_of.push(index);
        }
        // Then the pods operators run for data services.
        for group in &platform.pod_groups {
            let index = graph.peer(Peer::Workload {
                name: group.name.clone(),
                namespace: group.namespace.clone(),
                pod_labels: group.pod_labels.clone(),
            });
            graph.workloads.insert(group.name.clone(), index);
        }
        for (position, workload) in platform.workloads.iter().enumerate() {
            let this = peer_of[position];
            let all_ports = ports(workload);

            // Inbound from outside the platform's workloads.
            // Each controller serving an exposure of the workload, to every
            // port it routes to (one flow per controller).
            let mut exposed: BTreeMap<&str, Vec<FlowPort>> = BTreeMap::new();
            for exposed_port in &workload.exposed_ports {
                if let Some(port) = workload.port(&exposed_port.port) {
                    let ports = exposed
                        .entry(exposed_port.controller_namespace.as_str())
                        .or_default();
                    if !ports.contains(&flow_port(port)) {
                        ports.push(flow_port(port));
                    }
                }
            }
            for (namespace, ports) in exposed {
                let controller = graph.peer(Peer::IngressController {
                    namespace: namespace.to_owned(),
                });
                graph.flow(controller, this, ports, FlowKind::Ingress);
            }
            if workload.service_type == ServiceType::LoadBalancer && !all_ports.is_empty() {
                let anywhere = graph.peer(Peer::Anywhere);
                graph.flow(anywhere, this, all_ports.clone(), FlowKind::LoadBalancer);
            }
            if let (Some(metrics), Some(monitoring)) = (&workload.metrics, &platform.monitoring)
                && let Some(port) = workload.port(&metrics.port)
            {
                let monitoring = graph.peer(Peer::Monitoring {
                    namespace: monitoring.namespace.clone(),
                    pod_labels: monitoring.pod_labels.clone(),
                });
                graph.flow(
                    monitoring,
                    this,
                    vec![flow_port(port)],
                    FlowKind::Monitoring,
                );
            }

            // Outbound.
            for dependency in workload.uses.iter().filter_map(|d| platform.workload(d)) {
                let dependency_ports = ports(dependency);
                if dependency_ports.is_empty() {
                    continue;
                }
                let used = graph.workloads[&dependency.name];
                graph.flow(this, used, dependency_ports, FlowKind::Uses);
            }
            for service in workload
                .uses
                .iter()
                .filter_map(|d| platform.data_service(d))
            {
                // The access point the workload's connection chose, or the
                // service's default one.
                let group = workload
                    .connection_groups
                    .get(&service.name)
                    .or_else(|| service.access.first().map(|point| &point.group))
                    .and_then(|group| platform.pod_group(group));
                if let Some(group) = group {
                    let used = graph.workloads[&group.name];
                    graph.flow(this, used, group_ports(group), FlowKind::Uses);
                    let redirects = platform
                        .client_redirects
                        .iter()
                        .filter(|redirect| redirect.from == group.name)
                        .filter_map(|redirect| platform.pod_group(&redirect.to));
                    for target in redirects {
                        let used = graph.workloads[&target.name];
                        graph.flow(this, used, group_ports(target), FlowKind::Uses);
                    }
                }
            }
            if workload.kind == WorkloadKind::StatefulSet
                && workload.max_replicas() >= 2
                && !all_ports.is_empty()
            {
                graph.flow(this, this, all_ports, FlowKind::Peers);
            }
            let dns = graph.peer(Peer::ClusterDns);
            let dns_ports =
                [Protocol::Udp, Protocol::Tcp].map(|protocol| FlowPort::single(DNS_PORT, protocol));
            graph.flow(this, dns, dns_ports.to_vec(), FlowKind::Dns);
            if workload.automount_token
                && let Some(api) = &platform.network.api_server
            {
                let server = graph.peer(Peer::ApiServer {
                    blocks: api.blocks.clone(),
                });
                let ports = with_protocol(&api.ports, Protocol::Tcp);
                graph.flow(this, server, ports, FlowKind::ApiServer);
            }
            graph.egress_flows(platform, this, &workload.egress);
        }
        for group in &platform.pod_groups {
            graph.pod_group_flows(platform, group);
        }
        graph.scaler_flows(platform);
        graph.trace_flows(platform);
        graph
    }

    /// The `egress` rules of the peer `this`: to addresses, to the pods of a
    /// namespace outside the platform, or to each workload of a platform
    /// namespace that listens on some of the rule's ports (on those ports
    /// only, as its own policy must admit them too).
    fn egress_flows(&mut self, platform: &PlatformModel, this: usize, egress: &[EgressModel]) {
        for egress in egress {
            let ranges = || {
                egress.ports.iter().map(|range| FlowPort {
                    port: range.start,
                    end_port: range.end,
                    protocol: egress.protocol,
                })
            };
            match &egress.destination {
                EgressDestination::Addresses(blocks) => {
                    let external = self.peer(Peer::External {
                        name: egress.name.clone(),
                        blocks: blocks.clone(),
                    });
                    self.flow(this, external, ranges().collect(), FlowKind::External);
                }
                EgressDestination::Namespace {
                    namespace,
                    pod_labels,
                } => {
                    let pods = self.peer(Peer::Namespace {
                        namespace: namespace.clone(),
                        pod_labels: pod_labels.clone(),
                    });
                    self.flow(this, pods, ranges().collect(), FlowKind::External);
                }
                EgressDestination::PlatformNamespace { namespace } => {
                    for workload in platform
                        .workloads
                        .iter()
                        .filter(|w| &w.namespace == namespace && !w.kind.runs_to_completion())
                    {
                        let listened: Vec<FlowPort> = ports(workload)
                            .into_iter()
                            .filter(|port| {
                                port.protocol == egress.protocol
                                    && egress.ports.iter().any(|range| range.contains(port.port))
                            })
                            .collect();
                        if let (false, Some(&used)) =
                            (listened.is_empty(), self.workloads.get(&workload.name))
                        {
                            self.flow(this, used, listened, FlowKind::External);
                        }
                    }
                }
            }
        }
    }

    /// Each traced workload to the in-platform collector's OTLP port.
    fn trace_flows(&mut self, platform: &PlatformModel) {
        for export in &platform.trace_exports {
            let (Some(&from), Some(&to)) = (
                self.workloads.get(&export.workload),
                self.workloads.get(&export.collector),
            ) else {
                continue;
            };
            let ports = with_protocol(&[export.port], Protocol::Tcp);
            self.flow(from, to, ports, FlowKind::Tracing);
        }
    }

    /// Autoscalers' operators to the pods whose metrics they read (KEDA to
    /// the brokers whose queues workloads scale on).
    fn scaler_flows(&mut self, platform: &PlatformModel) {
        for read in &platform.autoscaler_reads {
            let Some(&target) = self.workloads.get(&read.target) else {
                continue;
            };
            let operator = self.peer(Peer::Autoscaler {
                namespace: read.namespace.clone(),
                pod_labels: read.pod_labels.clone(),
            });
            let ports = with_protocol(&read.ports, Protocol::Tcp);
            self.flow(operator, target, ports, FlowKind::Autoscaler);
        }
    }

    /// The flows of one operator-run pod group: its operator in, replication
    /// between its pods, DNS and the API server out, what it connects to
    /// (another group, a workload, an external store), and scraping.
    fn pod_group_flows(&mut self, platform: &PlatformModel, group: &PodGroupModel) {
        let this = self.workloads[&group.name];
        let tcp = |ports: &[u16]| with_protocol(ports, Protocol::Tcp);
        if let Some((namespace, ports)) = &group.operator {
            let operator = self.peer(Peer::Operator {
                namespace: namespace.clone(),
            });
            self.flow(operator, this, tcp(ports), FlowKind::Operator);
        }
        if let (Some(port), Some(monitoring)) = (group.metrics_port, &platform.monitoring) {
            let monitoring = self.peer(Peer::Monitoring {
                namespace: monitoring.namespace.clone(),
                pod_labels: monitoring.pod_labels.clone(),
            });
            self.flow(monitoring, this, tcp(&[port]), FlowKind::Monitoring);
        }
        if !group.peer_ports.is_empty() {
            self.flow(this, this, tcp(&group.peer_ports), FlowKind::Peers);
        }
        for (name, ports) in &group.uses {
            // A data service is reached at its default access point's pods
            // (a MinIO tenant for backups, say).
            let name = platform
                .data_service(name)
                .and_then(|service| service.access.first())
                .map_or(name, |point| &point.group);
            let target_ports = match (platform.pod_group(name), platform.workload(name)) {
                _ if !ports.is_empty() => tcp(ports),
                (Some(used), _) => group_ports(used),
                (None, Some(workload)) => self::ports(workload),
                (None, None) => continue,
            };
            if let Some(&used) = self.workloads.get(name) {
                self.flow(this, used, target_ports, FlowKind::Uses);
            }
        }
        let dns = self.peer(Peer::ClusterDns);
        let dns_ports =
            [Protocol::Udp, Protocol::Tcp].map(|protocol| FlowPort::single(DNS_PORT, protocol));
        self.flow(this, dns, dns_ports.to_vec(), FlowKind::Dns);
        if group.api_server
            && let Some(api) = &platform.network.api_server
        {
            let server = self.peer(Peer::ApiServer {
                blocks: api.blocks.clone(),
            });
            self.flow(this, server, tcp(&api.ports), FlowKind::ApiServer);
        }
        self.egress_flows(platform, this, &group.egress);
    }

    /// Flows into `peer`, in order.
    pub fn flows_to(&self, peer: usize) -> impl Iterator<Item = &Flow> {
        self.incoming
            .get(peer)
            .into_iter()
            .flatten()
            .map(|&index| &self.flows[index])
    }

    /// Flows out of `peer`, in order.
    pub fn flows_from(&self, peer: usize) -> impl Iterator<Item = &Flow> {
        self.outgoing
            .get(peer)
            .into_iter()
            .flatten()
            .map(|&index| &self.flows[index])
    }

    /// The index of the workload peer `name`.
    pub fn workload_peer(&self, name: &str) -> Option<usize> {
        self.workloads.get(name).copied()
    }

    fn peer(&mut self, peer: Peer) -> usize {
        if let Some(&index) = self.index.get(&peer) {
            return index;
        }
        self.peers.push(peer.clone());
        self.incoming.push(Vec::new());
        self.outgoing.push(Vec::new());
        let index = self.peers.len() - 1;
        self.index.insert(peer, index);
        index
    }

    fn flow(&mut self, from: usize, to: usize, ports: Vec<FlowPort>, kind: FlowKind) {
        self.incoming[to].push(self.flows.len());
        self.outgoing[from].push(self.flows.len());
        self.flows.push(Flow {
            from,
            to,
            ports,
            kind,
        });
    }
}

fn workload_peer(platform: &PlatformModel, workload: &WorkloadModel) -> Peer {
    Peer::Workload {
        name: workload.name.clone(),
        namespace: workload.namespace.clone(),
        pod_labels: labels::selector_labels(platform, workload),
    }
}

/// A pod group's client ports.
fn group_ports(group: &PodGroupModel) -> Vec<FlowPort> {
    group
        .ports
        .iter()
        .map(|&(port, protocol)| FlowPort::single(port, protocol))
        .collect()
}

/// The workload's declared container ports: what its pods listen on, which is
/// what a policy on pod traffic must open (Services translate their own port
/// to this one before the policy applies).
fn ports(workload: &WorkloadModel) -> Vec<FlowPort> {
    workload.ports.iter().map(flow_port).collect()
}

fn flow_port(port: &crate::model::PortModel) -> FlowPort {
    FlowPort::single(port.container_port, port.protocol)
}

fn with_protocol(ports: &[u16], protocol: Protocol) -> Vec<FlowPort> {
    ports
        .iter()
        .map(|&port| FlowPort::single(port, protocol))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::testing;

    const HEADER: &str = "\
platform: { name: shop, kubernetesVersion: \"1.33\" }
domain: example.com
ingress: { controllerNamespace: ingress-nginx }
monitoring: { namespace: monitoring, podLabels: { app: prometheus } }
network: { apiServer: { cidrs: [10.0.0.0/28], ports: [443] } }
namespaces: { web: {}, data: {} }
workloads:
";

    /// A workload entry with the required fields and `extra` lines.
    fn workload(name: &str, namespace: &str, extra: &str) -> String {
        format!(
            "  {name}:\n    namespace: {namespace}\n    image: ghcr.io/acme/{name}:1.0.0\n    resources:\n      requests: {{ cpu: 100m, memory: 64Mi }}\n      limits: {{ cpu: 100m, memory: 64Mi }}\n{extra}"
        )
    }

    #[track_caller]
    fn graph(workloads: &[String]) -> FlowGraph {
        let spec = format!("{HEADER}{}", workloads.concat());
        let compilation = testing::compile(&spec, "prod", "{}");
        let messages: Vec<_> = compilation
            .diagnostics
            .iter()
            .map(|d| d.message.clone())
            .collect();
        let model = compilation
            .model
            .unwrap_or_else(|| panic!("the test spec is invalid: {messages:?}"));
        FlowGraph::build(&model)
    }

    /// The flows as `from -> to kind ports` lines, for readable assertions.
    fn lines(graph: &FlowGraph) -> Vec<String> {
        graph
            .flows
            .iter()
            .map(|flow| {
                let ports: Vec<String> = flow.ports.iter().map(ToString::to_string).collect();
                format!(
                    "{} -> {} {} {}",
                    graph.peers[flow.from].key(),
                    graph.peers[flow.to].key(),
                    flow.kind.as_str(),
                    ports.join(",")
                )
            })
            .collect()
    }

    #[track_caller]
    fn case(workloads: &[String], expected: &[&str]) {
        assert_eq!(lines(&graph(workloads)), expected);
    }

    #[test]
    fn uses_opens_the_used_workloads_container_ports_across_namespaces() {
        case(
            &[
                workload("api", "web", "    uses: [db]\n"),
                workload(
                    "db",
                    "data",
                    "    ports:\n      sql: { port: 5432, servicePort: 15432 }\n      stats: { port: 9187, protocol: UDP }\n",
                ),
            ],
            &[
                "api -> db uses 5432/TCP,9187/UDP",
                "api -> cluster:dns dns 53/UDP,53/TCP",
                "db -> cluster:dns dns 53/UDP,53/TCP",
            ],
        );
    }

    #[test]
    fn jobs_and_cron_jobs_are_clients_scraped_at_most() {
        case(
            &[
                workload("api", "web", "    ports:\n      http: { port: 8080 }\n"),
                workload(
                    "migrate",
                    "web",
                    "    kind: Job\n    uses: [api]\n    job: { runBefore: [api] }\n",
                ),
                workload(
                    "report",
                    "data",
                    "    kind: CronJob\n    ports:\n      metrics: { port: 9100 }\n    metrics: { port: metrics }\n    uses: [api]\n    cronJob: { schedule: \"@daily\" }\n",
                ),
            ],
            &[
                "api -> cluster:dns dns 53/UDP,53/TCP",
                "migrate -> api uses 8080/TCP",
                "migrate -> cluster:dns dns 53/UDP,53/TCP",
                "monitoring:monitoring -> report monitoring 9100/TCP",
                "report -> api uses 8080/TCP",
                "report -> cluster:dns dns 53/UDP,53/TCP",
            ],
        );
    }

    #[test]
    fn ingress_controller_reaches_only_the_exposed_port() {
        case(
            &[workload(
                "api",
                "web",
                "    ports:\n      http: { port: 8080 }\n      admin: { port: 9000 }\n    expose: { host: api, port: http }\n",
            )],
            &[
                "ingress:ingress-nginx -> api ingress 8080/TCP",
                "api -> cluster:dns dns 53/UDP,53/TCP",
            ],
        );
    }

    #[test]
    fn each_controller_reaches_the_ports_of_the_exposures_it_serves() {
        let spec = format!(
            "{}{}",
            HEADER.replace(
                "ingress: { controllerNamespace: ingress-nginx }",
                "ingress:\n  controllerNamespace: ingress-nginx\n  classes: { internal: { controllerNamespace: ingress-internal } }"
            ),
            workload(
                "agent",
                "web",
                "    ports:\n      http: { port: 8030 }\n      admin: { port: 8031 }\n      ws: { port: 8032 }\n    expose:\n      - { host: agent, port: http }\n      - { host: agent, path: /ws, port: ws }\n      - { host: agent-admin, port: admin, className: internal }\n",
            )
        );
        let compilation = testing::compile(&spec, "prod", "{}");
        let model = compilation.model.expect("a valid spec");
        assert_eq!(
            lines(&FlowGraph::build(&model)),
            [
                "ingress:ingress-internal -> agent ingress 8031/TCP",
                "ingress:ingress-nginx -> agent ingress 8030/TCP,8032/TCP",
                "agent -> cluster:dns dns 53/UDP,53/TCP",
            ]
        );
    }

    #[test]
    fn egress_to_namespaces_and_port_ranges() {
        case(
            &[
                workload(
                    "agent",
                    "web",
                    "    egress:\n      - { to: monitoring, podLabels: { app: pushgateway }, ports: [9091] }\n      - { to: kube-system, ports: [\"8000-8100\"] }\n      - { to: data, ports: [\"5000-6000\", 7000], protocol: TCP }\n      - { cidr: 203.0.113.0/24, ports: [\"9701-9708\"] }\n",
                ),
                workload(
                    "db",
                    "data",
                    "    ports:\n      sql: { port: 5432 }\n      stats: { port: 9187 }\n",
                ),
                workload("cache", "data", "    ports:\n      redis: { port: 6379 }\n"),
            ],
            &[
                "agent -> cluster:dns dns 53/UDP,53/TCP",
                "agent -> namespace:monitoring:app=pushgateway egress 9091/TCP",
                "agent -> namespace:kube-system egress 8000-8100/TCP",
                // A platform namespace: each workload there, on the ports of
                // the rule it listens on.
                "agent -> db egress 5432/TCP",
                "agent -> external:203.0.113.0/24 egress 9701-9708/TCP",
                "db -> cluster:dns dns 53/UDP,53/TCP",
                "cache -> cluster:dns dns 53/UDP,53/TCP",
            ],
        );
    }

    #[test]
    fn monitoring_reaches_only_the_metrics_port() {
        case(
            &[workload(
                "api",
                "web",
                "    ports:\n      http: { port: 8080 }\n      metrics: { port: 9090 }\n    metrics: { port: metrics }\n",
            )],
            &[
                "monitoring:monitoring -> api monitoring 9090/TCP",
                "api -> cluster:dns dns 53/UDP,53/TCP",
            ],
        );
    }

    #[test]
    fn replicated_stateful_sets_reach_their_peers() {
        let store = |name: &str, replicas: u32| {
            let extra = format!(
                "    kind: StatefulSet\n    replicas: {replicas}\n    ports:\n      raft: {{ port: 7000 }}\n    storage: {{ size: 1Gi, mountPath: /data }}\n"
            );
            workload(name, "data", &extra)
        };
        case(
            &[store("single", 1), store("cluster", 3)],
            &[
                "single -> cluster:dns dns 53/UDP,53/TCP",
                "cluster -> cluster peers 7000/TCP",
                "cluster -> cluster:dns dns 53/UDP,53/TCP",
            ],
        );
    }

    #[test]
    fn api_server_only_for_workloads_with_api_access() {
        case(
            &[
                workload(
                    "operator",
                    "web",
                    "    serviceAccount:\n      rules: [{ resources: [pods], verbs: [get] }]\n",
                ),
                workload("plain", "web", ""),
                workload(
                    "asks",
                    "web",
                    "    serviceAccount: { automountToken: true }\n",
                ),
            ],
            &[
                "operator -> cluster:dns dns 53/UDP,53/TCP",
                "operator -> cluster:api-server api server 443/TCP",
                "plain -> cluster:dns dns 53/UDP,53/TCP",
                "asks -> cluster:dns dns 53/UDP,53/TCP",
                "asks -> cluster:api-server api server 443/TCP",
            ],
        );
    }

    #[test]
    fn declared_egress_and_load_balancers() {
        let graph = graph(&[
            workload(
                "fetcher",
                "web",
                "    egress:\n      - { to: internet, ports: [443] }\n      - { cidr: 192.0.2.0/24, except: [192.0.2.128/25], ports: [53], protocol: UDP }\n",
            ),
            workload(
                "mail",
                "web",
                "    ports:\n      smtp: { port: 25 }\n    serviceType: LoadBalancer\n    egress: [{ to: internet, ports: [25] }]\n",
            ),
        ]);
        assert_eq!(
            lines(&graph),
            [
                "fetcher -> cluster:dns dns 53/UDP,53/TCP",
                "fetcher -> external:internet egress 443/TCP",
                "fetcher -> external:192.0.2.0/24 except 192.0.2.128/25 egress 53/UDP",
                "clients:any -> mail load balancer 25/TCP",
                "mail -> cluster:dns dns 53/UDP,53/TCP",
                "mail -> external:internet egress 25/TCP",
            ]
        );
        let internet = graph
            .peers
            .iter()
            .find(|p| p.key() == "external:internet")
            .expect("internet peer");
        let cidrs: Vec<String> = internet.blocks().into_iter().map(|b| b.cidr).collect();
        assert_eq!(cidrs, ["0.0.0.0/0", "::/0"]);
        let block = graph
            .peers
            .iter()
            .find(|p| p.key() == "external:192.0.2.0/24 except 192.0.2.128/25")
            .expect("CIDR peer");
        assert_eq!(block.blocks()[0].except, ["192.0.2.128/25"]);
    }

    #[test]
    fn workloads_come_first_in_spec_order_then_the_other_peers() {
        let graph = graph(&[
            workload("b", "web", "    uses: [a]\n"),
            workload("a", "data", "    ports:\n      http: { port: 80 }\n"),
        ]);
        let keys: Vec<String> = graph.peers.iter().map(Peer::key).collect();
        assert_eq!(keys, ["b", "a", "cluster:dns"]);
        assert_eq!(graph.peers[1].group(), Some("data"));
    }
}

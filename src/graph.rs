//! The platform's traffic graph: who may talk to whom, on which ports.
//! [`FlowGraph`] is built once from the model; the NetworkPolicies
//! (`lower::network_policy`) and `platformgen graph` (DOT, Mermaid) both read
//! it, so the picture a reviewer sees is exactly what the cluster enforces.
//! No I/O, no diagnostics.

mod dot;
mod flow_graph;
mod mermaid;

pub use dot::dot;
pub use flow_graph::{DNS_LABEL, DNS_NAMESPACE, Flow, FlowGraph, FlowKind, FlowPort, Peer};
pub use mermaid::mermaid;

use crate::model::PlatformModel;

/// The namespaces holding workload peers, in order of first appearance, each
/// with the indexes of its peers; then the peers outside any namespace group.
fn groups(graph: &FlowGraph) -> (Vec<(&str, Vec<usize>)>, Vec<usize>) {
    let mut groups: Vec<(&str, Vec<usize>)> = Vec::new();
    let mut others = Vec::new();
    for (index, peer) in graph.peers.iter().enumerate() {
        match peer.group() {
            Some(namespace) => match groups.iter_mut().find(|(n, _)| *n == namespace) {
                Some((_, members)) => members.push(index),
                None => groups.push((namespace, vec![index])),
            },
            None => others.push(index),
        }
    }
    (groups, others)
}

/// The first lines of a rendering: what it shows, and whether anything
/// enforces it.
fn header(platform: &PlatformModel) -> Vec<String> {
    let mut lines = vec![format!(
        "platform {}, environment {}: the traffic its NetworkPolicies allow; everything else is denied",
        platform.name, platform.environment
    )];
    if !platform.network.policies {
        lines.push(
            "network policies are off (`network.policies: false`): nothing enforces this graph"
                .to_owned(),
        );
    }
    lines
}

/// The ports of a flow as one label: `5432/TCP, 9000/TCP`.
fn ports_label(flow: &Flow) -> String {
    flow.ports
        .iter()
        .map(ToString::to_string)
        .collect::<Vec<_>>()
        .join(", ")
}

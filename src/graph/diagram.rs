//! What the DOT and Mermaid renderings of the graph share: the header lines,
//! the grouping of peers by namespace and the label of a flow's ports.

use crate::model::PlatformModel;

use super::{Flow, FlowGraph};

/// The namespaces holding workload peers, in order of first appearance, each
/// with the indexes of its peers; then the peers outside any namespace group.
pub(super) fn groups(graph: &FlowGraph) -> (Vec<(&str, Vec<usize>)>, Vec<usize>) {
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
pub(super) fn header(platform: &PlatformModel) -> Vec<String> {
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
pub(super) fn ports_label(flow: &Flow) -> String {
    flow.ports
        .iter()
        .map(ToString::to_string)
        .collect::<Vec<_>>()
        .join(", ")
}

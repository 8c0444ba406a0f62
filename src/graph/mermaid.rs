//! Mermaid flowchart rendering of a [`FlowGraph`] (renders in GitHub and
//! GitLab markdown): one subgraph per namespace, one edge per flow labelled
//! with its ports. Node ids are positional (`p0`, `p1`, ...) because Mermaid
//! ids cannot hold every character a peer's name may; labels carry the names.

use std::fmt::Write as _;

use super::diagram::{groups, header, ports_label};
use super::{FlowGraph, FlowKind, Peer};
use crate::model::PlatformModel;

pub fn mermaid(graph: &FlowGraph, platform: &PlatformModel) -> String {
    let mut out = String::new();
    for line in header(platform) {
        let _ = writeln!(out, "%% {line}");
    }
    out.push_str("flowchart LR\n");
    let (groups, others) = groups(graph);
    for (position, (namespace, members)) in groups.into_iter().enumerate() {
        let _ = writeln!(
            out,
            "  subgraph ns{position} [{}]",
            quote(&format!("namespace {namespace}"))
        );
        for index in members {
            let _ = writeln!(out, "    {}", node(index, &graph.peers[index]));
        }
        out.push_str("  end\n");
    }
    for index in others {
        let _ = writeln!(out, "  {}", node(index, &graph.peers[index]));
    }
    for flow in &graph.flows {
        let arrow = match flow.kind {
            FlowKind::Dns
            | FlowKind::Monitoring
            | FlowKind::ApiServer
            | FlowKind::Operator
            | FlowKind::Autoscaler
            | FlowKind::Tracing => "-.->",
            FlowKind::Ingress | FlowKind::LoadBalancer => "==>",
            FlowKind::Uses | FlowKind::Peers | FlowKind::External => "-->",
        };
        let _ = writeln!(
            out,
            "  p{} {arrow}|{}| p{}",
            flow.from,
            quote(&ports_label(flow)),
            flow.to
        );
    }
    out
}

fn node(index: usize, peer: &Peer) -> String {
    let label = quote(&peer.label().join("\n"));
    match peer {
        Peer::Workload { .. } => format!("p{index}[{label}]"),
        Peer::IngressController { .. }
        | Peer::Operator { .. }
        | Peer::Autoscaler { .. }
        | Peer::Monitoring { .. }
        | Peer::Namespace { .. }
        | Peer::ClusterDns => {
            format!("p{index}([{label}])")
        }
        Peer::ApiServer { .. } | Peer::External { .. } | Peer::Anywhere => {
            format!("p{index}{{{{{label}}}}}")
        }
    }
}

/// A Mermaid quoted label: `"` becomes the entity `#quot;`, a line break `<br/>`.
fn quote(text: &str) -> String {
    format!("\"{}\"", text.replace('"', "#quot;").replace('\n', "<br/>"))
}

#[cfg(test)]
mod tests {
    use super::quote;

    #[test]
    fn quoting_uses_entities_and_line_breaks() {
        assert_eq!(quote("a"), "\"a\"");
        assert_eq!(quote("a\"b\nc"), "\"a#quot;b<br/>c\"");
    }
}

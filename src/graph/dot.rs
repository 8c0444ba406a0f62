//! Graphviz DOT rendering of a [`FlowGraph`]: one cluster per namespace, one
//! edge per flow labelled with its ports. Text only; deterministic.

use std::fmt::Write as _;

use super::diagram::{groups, header, ports_label};
use super::{FlowGraph, FlowKind, Peer};
use crate::model::PlatformModel;

pub fn dot(graph: &FlowGraph, platform: &PlatformModel) -> String {
    let mut out = String::new();
    for line in header(platform) {
        let _ = writeln!(out, "// {line}");
    }
    let _ = writeln!(
        out,
        "digraph {} {{",
        quote(&format!("{} {}", platform.name, platform.environment))
    );
    out.push_str("  rankdir=LR;\n  node [shape=box];\n");
    let (groups, others) = groups(graph);
    for (namespace, members) in groups {
        let _ = writeln!(
            out,
            "  subgraph {} {{",
            quote(&format!("cluster_{namespace}"))
        );
        let _ = writeln!(
            out,
            "    label={};",
            quote(&format!("namespace {namespace}"))
        );
        for index in members {
            let _ = writeln!(out, "    {};", node(&graph.peers[index]));
        }
        out.push_str("  }\n");
    }
    for index in others {
        let _ = writeln!(out, "  {};", node(&graph.peers[index]));
    }
    for flow in &graph.flows {
        let from = quote(&graph.peers[flow.from].key());
        let to = quote(&graph.peers[flow.to].key());
        let mut attributes = vec![format!("label={}", quote(&ports_label(flow)))];
        if let Some(style) = style(flow.kind) {
            attributes.push(format!("style={style}"));
        }
        let _ = writeln!(out, "  {from} -> {to} [{}];", attributes.join(", "));
    }
    out.push_str("}\n");
    out
}

fn node(peer: &Peer) -> String {
    let key = quote(&peer.key());
    let shape = match peer {
        Peer::Workload { .. } => return key,
        Peer::IngressController { .. }
        | Peer::Operator { .. }
        | Peer::Autoscaler { .. }
        | Peer::Monitoring { .. }
        | Peer::Namespace { .. }
        | Peer::ClusterDns => "ellipse",
        Peer::ApiServer { .. } | Peer::External { .. } | Peer::Anywhere => "hexagon",
    };
    format!(
        "{key} [label={}, shape={shape}]",
        quote(&peer.label().join("\n"))
    )
}

/// Platform plumbing is drawn lighter than the dependencies people declare.
fn style(kind: FlowKind) -> Option<&'static str> {
    match kind {
        FlowKind::Dns => Some("dotted"),
        FlowKind::Monitoring
        | FlowKind::ApiServer
        | FlowKind::Operator
        | FlowKind::Autoscaler
        | FlowKind::Tracing => Some("dashed"),
        FlowKind::Ingress | FlowKind::LoadBalancer => Some("bold"),
        FlowKind::Uses | FlowKind::Peers | FlowKind::External => None,
    }
}

/// A DOT double-quoted string; a line break becomes `\n`.
fn quote(text: &str) -> String {
    let mut quoted = String::with_capacity(text.len() + 2);
    quoted.push('"');
    for c in text.chars() {
        match c {
            '"' => quoted.push_str("\\\""),
            '\\' => quoted.push_str("\\\\"),
            '\n' => quoted.push_str("\\n"),
            c => quoted.push(c),
        }
    }
    quoted.push('"');
    quoted
}

#[cfg(test)]
mod tests {
    use super::quote;

    #[test]
    fn quoting_escapes_quotes_backslashes_and_newlines() {
        assert_eq!(quote("a"), "\"a\"");
        assert_eq!(quote("a\"b\\c\nd"), "\"a\\\"b\\\\c\\nd\"");
    }
}

//! The platform's traffic graph: who may talk to whom, on which ports.
//! [`FlowGraph`] is built once from the model; the NetworkPolicies
//! (`lower::network_policy`) and `platformgen graph` (DOT, Mermaid) both read
//! it, so the picture a reviewer sees is exactly what the cluster enforces.
//! No I/O, no diagnostics.

mod diagram;
mod dot;
mod flow_graph;
mod mermaid;

pub use dot::dot;
pub use flow_graph::{DNS_LABEL, DNS_NAMESPACE, Flow, FlowGraph, FlowKind, FlowPort, Peer};
pub use mermaid::mermaid;

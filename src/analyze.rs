//! Semantic analysis: checks that need the whole spec (references, names, ports,
//! scaling) and builds the resolved [`crate::model::PlatformModel`].
//! Reads the spec, writes diagnostics; never panics on user input.

mod analyzer;
mod cidr;
mod context;
mod names;
mod network;
mod node_pools;
mod object_names;
pub(crate) use names::label_problem;
pub(crate) use object_names::subdomain_problem;
mod placement;
mod priority_classes;
mod qos;
mod quota;
mod rbac;
mod references;
mod secrets;
mod workload;
pub(crate) use workload::check_port_reference;

pub use analyzer::Hook;
pub use analyzer::analyze;
pub use context::Context;

//! Connections: a workload's `connections.<service>` turned into environment
//! variables from a data service's access point (host, port, credentials
//! from the operator's Secret), and the pod group the workload then reaches.
//! Registered after every data-service engine, so every service is known.

pub mod analyze;
pub mod lower;

use super::capability::Capability;

pub const CAPABILITY: Capability = Capability {
    name: "connections",
    spec_keys: &["workloads.*.connections"],
    sections: &[],
    namespace_paths: &[],
    docs: "docs/data-services.md",
    analyze: Some(analyze::analyze),
    analyze_workload: None,
    provides_env: None,
    lower: Some(lower::objects),
    lower_workload: None,
    rules: &[],
};

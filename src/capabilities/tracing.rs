//! Tracing with OpenTelemetry: `tracing.otlp` names the collector (a
//! workload of the platform, or an endpoint outside it), and each workload
//! with `tracing: true` gets the OTLP exporter's environment variables and
//! exactly one network flow, to the collector's OTLP port.

pub mod analyze;
pub mod model;
pub mod spec;

use super::capability::Capability;

pub const CAPABILITY: Capability = Capability {
    name: "tracing",
    spec_keys: &["tracing", "tracing.otlp", "workloads.*.tracing"],
    sections: spec::SECTIONS,
    namespace_paths: &[],
    docs: "docs/operations.md",
    analyze_workload: None,
    analyze: Some(analyze::analyze),
    provides_env: None,
    lower: None,
    lower_workload: None,
    rules: &[],
};

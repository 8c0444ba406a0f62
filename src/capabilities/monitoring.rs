//! Monitoring through the Prometheus Operator: each workload's `metrics`
//! scraped by a ServiceMonitor or PodMonitor, the operators' data-service
//! pods by PodMonitors, every public host probed by the blackbox exporter
//! (Probe), and per namespace a PrometheusRule with built-in alerts per kind
//! of workload and each workload's own `alerts`, their PromQL checked at
//! compile time, and an AlertmanagerConfig routing them by severity to
//! PagerDuty, Opsgenie or Slack (`monitoring.alerting`). Everything is labelled with `monitoring.selectorLabels`,
//! what Prometheus selects these objects by. Without `monitoring`, nothing
//! is rendered. Network policies admitting Prometheus to the scraped ports
//! are the flow graph's (`graph/flow_graph.rs`), from the same settings.

pub mod analyze;
pub mod lower;
pub mod model;
pub mod spec;

use super::capability::Capability;

pub const CAPABILITY: Capability = Capability {
    name: "monitoring",
    spec_keys: &[
        "monitoring.selectorLabels",
        "monitoring.blackboxExporter",
        "monitoring.severity",
        "monitoring.runbooks",
        "monitoring.alerting",
        "workloads.*.metrics.interval",
        "workloads.*.metrics.scrapeTimeout",
        "workloads.*.alerts",
    ],
    sections: spec::SECTIONS,
    namespace_paths: &[],
    docs: "docs/operations.md",
    analyze: Some(analyze::analyze),
    analyze_workload: None,
    provides_env: None,
    lower: Some(lower::objects),
    lower_workload: Some(lower::workload_objects),
    rules: &[],
};

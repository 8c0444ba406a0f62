//! What users write about monitoring: the platform's `monitoring` section
//! (where Prometheus runs, the labels it selects monitors and rules by, the
//! blackbox exporter, alert severity and runbooks) and each workload's
//! `metrics` and `alerts`. One concept per file; re-exported by `crate::spec`.

mod alert_rule;
mod blackbox_exporter;
mod metrics;
mod monitoring;

pub use alert_rule::AlertRule;
pub use blackbox_exporter::BlackboxExporter;
pub use metrics::Metrics;
pub use monitoring::Monitoring;

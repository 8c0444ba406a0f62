//! What users write about monitoring: the platform's `monitoring` section
//! (where Prometheus runs, the labels it selects monitors and rules by, the
//! blackbox exporter, alert severity, runbooks and Alertmanager routing) and each workload's
//! `metrics` and `alerts`. One concept per file; re-exported by `crate::spec`.

mod alert_rule;
mod alerting;
mod blackbox_exporter;
mod metrics;
mod monitoring;

pub use alert_rule::AlertRule;
pub use alerting::{
    AlertRoute, Alerting, AlertingCredentials, OpsgenieReceiver, PagerDutyReceiver, Receiver,
    SlackReceiver,
};
pub use blackbox_exporter::BlackboxExporter;
pub use metrics::Metrics;
pub use monitoring::Monitoring;

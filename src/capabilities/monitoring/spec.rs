//! What users write about monitoring: the platform's `monitoring` section
//! (where Prometheus runs, the labels it selects monitors and rules by, the
//! blackbox exporter, alert severity, runbooks and Alertmanager routing) and each workload's
//! `alerts` (its `metrics` are core: network policies admit Prometheus to them). One concept per file; re-exported by `crate::spec`.

mod alert_rule;
mod alerting;
mod blackbox_exporter;
mod monitoring;

pub use alert_rule::AlertRule;
pub use alerting::{
    AlertRoute, Alerting, AlertingCredentials, OpsgenieReceiver, PagerDutyReceiver, Receiver,
    SlackReceiver,
};
pub use blackbox_exporter::BlackboxExporter;
pub use monitoring::Monitoring;

use crate::spec::{Scope, Section, SectionType};

/// `monitoring`: where Prometheus runs and what it is given.
pub const MONITORING: Section<Monitoring> = Section::new(Scope::Platform, "monitoring");
/// `workloads.<name>.alerts`.
pub const ALERTS: Section<Vec<AlertRule>> = Section::new(Scope::Workload, "alerts");

pub const SECTIONS: &[SectionType] = &[
    SectionType::of(
        MONITORING,
        "Where the monitoring system (Prometheus) runs, so network policies admit it to each workload's `metrics` port.",
    ),
    SectionType::of(
        ALERTS,
        "Alerts of this workload beside the built-in ones (docs/operations.md), in its namespace's PrometheusRule when `monitoring` is set.",
    ),
];

/// The platform's `monitoring` section, if the spec sets it.
pub fn monitoring(spec: &crate::spec::PlatformSpec) -> Option<&Monitoring> {
    MONITORING.get(&spec.sections)
}

/// The workload's own `alerts`.
pub fn alerts(workload: &crate::spec::Workload) -> &[AlertRule] {
    ALERTS.get(&workload.sections).map_or(&[], Vec::as_slice)
}

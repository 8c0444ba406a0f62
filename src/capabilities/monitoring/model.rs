//! The monitoring capability's resolved form: what the Prometheus Operator
//! is given for this environment. Durations here are checked Prometheus
//! durations, as written.

use std::collections::BTreeMap;

#[derive(Debug, Clone)]
pub struct PrometheusModel {
    /// Labels on every monitor, probe and rule, which Prometheus selects
    /// them by.
    pub selector_labels: BTreeMap<String, String>,
    /// `severity` of the built-in alerts and of user alerts that set none.
    pub severity: String,
    /// Base of every `runbook_url` (a `#anchor` is appended).
    pub runbooks: String,
    /// The prober of uptime Probes, when configured.
    pub blackbox: Option<BlackboxModel>,
    /// Scrape settings of each workload with `metrics`, by workload name.
    pub scrapes: BTreeMap<String, ScrapeModel>,
    /// Each workload's own alerts, by workload name, in spec order.
    pub alerts: BTreeMap<String, Vec<AlertRuleModel>>,
    /// Where Alertmanager sends the alerts, when the spec says.
    pub alerting: Option<AlertingModel>,
    /// Whether each workload gets a Grafana dashboard.
    pub dashboards: bool,
}

/// Alertmanager routing, rendered per namespace with alerts.
#[derive(Debug, Clone)]
pub struct AlertingModel {
    /// Name of the Secret with the receivers' keys, in each namespace.
    pub secret: String,
    /// Where that Secret comes from: `External` (rendered in each
    /// namespace) or `Existing` (nothing rendered).
    pub source: crate::capabilities::secrets::model::SecretSource,
    pub receivers: Vec<ReceiverModel>,
    /// Severity and receiver, first match wins.
    pub routes: Vec<(String, String)>,
    pub default_receiver: String,
}

#[derive(Debug, Clone)]
pub struct ReceiverModel {
    pub name: String,
    pub integration: Integration,
}

/// A receiver's integration, with the keys of the credentials Secret it
/// reads.
#[derive(Debug, Clone)]
pub enum Integration {
    PagerDuty { routing_key: String },
    Opsgenie { api_key: String },
    Slack { api_url: String, channel: String },
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ScrapeModel {
    pub interval: String,
    pub timeout: String,
}

#[derive(Debug, Clone)]
pub struct BlackboxModel {
    /// `http` or `https`.
    pub scheme: String,
    /// `host` or `host:port`.
    pub address: String,
    pub path: String,
    pub module: String,
    pub interval: String,
}

#[derive(Debug, Clone)]
pub struct AlertRuleModel {
    pub name: String,
    pub expr: String,
    pub for_: String,
    pub severity: String,
    pub summary: String,
}

/// What the Prometheus Operator is given (`PlatformModel::parts`), when the
/// spec sets `monitoring`.
pub const PROMETHEUS: crate::model::Part<PrometheusModel> = crate::model::Part::new("prometheus");

/// What the Prometheus Operator is given, when the spec sets `monitoring`.
pub fn prometheus(platform: &crate::model::PlatformModel) -> Option<&PrometheusModel> {
    PROMETHEUS.get(&platform.parts)
}

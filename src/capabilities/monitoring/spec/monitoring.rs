//! `Monitoring`: where the cluster's monitoring system (Prometheus, run by the
//! Prometheus Operator) runs, so network policies can admit it to each
//! workload's metrics port, and how it finds the platform's monitors, probes
//! and alert rules.

use std::collections::BTreeMap;

use schemars::JsonSchema;
use serde::Deserialize;

use super::{Alerting, BlackboxExporter};

#[derive(Debug, Clone, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
pub struct Monitoring {
    /// Namespace the monitoring system runs in, e.g. `monitoring`. It must not
    /// be one of the platform's namespaces while network policies are on:
    /// their default deny would cut the monitoring system off.
    pub namespace: String,
    /// Labels of the monitoring system's pods in that namespace: only these
    /// pods are admitted. Default: every pod of the namespace.
    #[serde(default)]
    pub pod_labels: BTreeMap<String, String>,
    /// Labels put on every ServiceMonitor, PodMonitor, Probe and
    /// PrometheusRule, the ones the Prometheus resource selects them by
    /// (`serviceMonitorSelector`, `podMonitorSelector`, `probeSelector`,
    /// `ruleSelector`). Default `{ release: kube-prometheus-stack }`, what
    /// kube-prometheus-stack selects when installed as the release
    /// `kube-prometheus-stack`.
    #[serde(default)]
    pub selector_labels: Option<BTreeMap<String, String>>,
    /// The blackbox exporter that probes every public host. Without it, no
    /// uptime Probe is rendered.
    #[serde(default)]
    pub blackbox_exporter: Option<BlackboxExporter>,
    /// The `severity` label of the built-in alerts and of user alerts that
    /// set none. Default by tier: `critical` in production, `warning` in
    /// staging, `info` in development.
    #[serde(default)]
    pub severity: Option<String>,
    /// Where the runbooks are: each alert's `runbook_url` annotation is this
    /// followed by `#` and the alert's anchor. Default `docs/operations.md`,
    /// the runbooks in this repository; set it to their address in your
    /// repository browser.
    #[serde(default)]
    pub runbooks: Option<String>,
    /// Where Alertmanager sends the alerts: an AlertmanagerConfig in each
    /// namespace with alerts. Without it, Alertmanager's own configuration
    /// routes them.
    #[serde(default)]
    pub alerting: Option<Alerting>,
    /// Whether each workload gets a Grafana dashboard: a ConfigMap in its
    /// namespace labelled `grafana_dashboard: "1"`, which Grafana's dashboard
    /// sidecar loads (docs/operations.md, "Dashboards"). Default `true`.
    #[serde(default)]
    pub dashboards: Option<bool>,
}

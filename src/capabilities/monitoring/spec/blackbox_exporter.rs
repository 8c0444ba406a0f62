//! `BlackboxExporter`: the prober behind the uptime Probes of public hosts.

use schemars::JsonSchema;
use serde::Deserialize;

#[derive(Debug, Clone, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
pub struct BlackboxExporter {
    /// Address of the exporter as Prometheus reaches it, e.g.
    /// `http://prometheus-blackbox-exporter.monitoring.svc:9115`: scheme
    /// (`http` or `https`), host, optional port and optional path (default
    /// `/probe`).
    pub url: String,
    /// The exporter's module that probes, as configured in the exporter.
    /// Default `http_2xx`.
    #[serde(default)]
    pub module: Option<String>,
    /// How often each host is probed, a Prometheus duration. Default `60s`.
    #[serde(default)]
    pub interval: Option<String>,
}

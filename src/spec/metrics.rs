//! `Metrics`: where a workload serves its Prometheus metrics, and how often
//! they are scraped. Network policies admit the monitoring system to this
//! port only.

use schemars::JsonSchema;
use serde::Deserialize;

#[derive(Debug, Clone, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
pub struct Metrics {
    /// Name of the port (under `ports`) that serves the metrics.
    pub port: String,
    /// HTTP path of the metrics. Default `/metrics`.
    #[serde(default)]
    pub path: Option<String>,
    /// How often Prometheus scrapes them, a Prometheus duration (`30s`,
    /// `1m`). Default `30s`.
    #[serde(default)]
    pub interval: Option<String>,
    /// How long a scrape may take, a Prometheus duration shorter than
    /// `interval`. Default `10s`, or half the interval when that is shorter.
    #[serde(default)]
    pub scrape_timeout: Option<String>,
}

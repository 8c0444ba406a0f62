//! `Metrics`: where a workload serves its Prometheus metrics. Network policies
//! admit the monitoring system to this port only.

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
}

//! `AlertRule`: an alert a workload defines beside the built-in ones.

use schemars::JsonSchema;
use serde::Deserialize;

#[derive(Debug, Clone, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
pub struct AlertRule {
    /// Name of the alert (`alertname`): letters, digits and `_`, not starting
    /// with a digit, e.g. `HealthApiHighErrorRate`.
    pub name: String,
    /// The PromQL expression; the alert fires for each series it returns.
    /// Parsed when the spec is compiled.
    pub expr: String,
    /// How long the expression must hold before the alert fires, a
    /// Prometheus duration. Default `5m`.
    #[serde(default, rename = "for")]
    pub for_: Option<String>,
    /// The `severity` label. Default: `monitoring.severity`, or the tier's.
    #[serde(default)]
    pub severity: Option<String>,
    /// One line saying what is wrong (the `summary` annotation).
    pub summary: String,
}

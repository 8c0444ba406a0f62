//! `Probes`: liveness, readiness and startup checks.

use schemars::JsonSchema;
use serde::Deserialize;

#[derive(Debug, Clone, Default, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
pub struct Probes {
    /// Restarts the container when it fails. Default: a TCP check of the first port.
    #[serde(default)]
    pub liveness: Option<Probe>,
    /// Takes the pod out of its Service while it fails. Default: the liveness check.
    #[serde(default)]
    pub readiness: Option<Probe>,
    /// Holds the other probes off until the container has started (slow starters).
    #[serde(default)]
    pub startup: Option<Probe>,
}

/// One check. Set exactly one of `http`, `tcp` and `exec`.
#[derive(Debug, Clone, Default, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
pub struct Probe {
    /// HTTP GET of this path; healthy on a 2xx or 3xx answer.
    #[serde(default)]
    pub http: Option<String>,
    /// `true`: healthy when the port accepts a TCP connection.
    #[serde(default)]
    pub tcp: Option<bool>,
    /// Command run in the container; healthy on exit status 0.
    #[serde(default)]
    pub exec: Option<Vec<String>>,
    /// Port name for `http` and `tcp`. Default: the workload's first port.
    #[serde(default)]
    pub port: Option<String>,
    /// Seconds after the container starts before the first check.
    #[serde(default)]
    pub initial_delay_seconds: Option<u32>,
    /// Seconds between checks. Default 10.
    #[serde(default)]
    pub period_seconds: Option<u32>,
    /// Seconds before a check times out. Default 1.
    #[serde(default)]
    pub timeout_seconds: Option<u32>,
    /// Failed checks in a row before the probe fails. Default 3.
    #[serde(default)]
    pub failure_threshold: Option<u32>,
}

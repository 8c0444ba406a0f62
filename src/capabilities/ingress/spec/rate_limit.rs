//! `RateLimit`: requests per client IP that the ingress controller lets through
//! to an exposed workload.

use schemars::JsonSchema;
use serde::Deserialize;

/// Set exactly one of `requestsPerSecond` and `requestsPerMinute`.
#[derive(Debug, Clone, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
pub struct RateLimit {
    /// Sustained requests per second from one client IP.
    #[serde(default)]
    pub requests_per_second: Option<u32>,
    /// Sustained requests per minute from one client IP.
    #[serde(default)]
    pub requests_per_minute: Option<u32>,
    /// Burst allowed above the rate, as a multiple of it: with 10 requests per
    /// second and a multiplier of 5, a client may send 50 at once. Default 5.
    #[serde(default)]
    pub burst_multiplier: Option<u32>,
}

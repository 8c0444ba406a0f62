//! `ExposureModel`: where an exposed workload is reached from outside (host,
//! path, Service port) and what the proxy enforces on the way.

use super::TrafficPolicyModel;

#[derive(Debug, Clone)]
pub struct ExposureModel {
    /// Fully qualified host name.
    pub host: String,
    pub path: String,
    /// Name of the Service port traffic goes to.
    pub port: String,
    /// CORS, rate limits, WebSocket timeouts and body size at the proxy.
    pub policy: TrafficPolicyModel,
    /// A second backend, beside the workload's Service, whose share of the
    /// traffic a controller sets: the canary Service of a Rollout routed
    /// through Gateway API (set by the rollouts capability's analysis).
    pub canary_service: Option<String>,
}

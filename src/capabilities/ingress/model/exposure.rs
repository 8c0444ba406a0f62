//! `ExposureModel`: where an exposed workload is reached from outside (host,
//! path, Service port), which controller serves it, and what the proxy
//! enforces on the way.

use super::TrafficPolicyModel;

#[derive(Debug, Clone)]
pub struct ExposureModel {
    /// Name of the objects routing it (Ingress or HTTPRoute, TLS Secret
    /// `<name>-tls`, traefik Middlewares `<name>-<concern>`): the workload's
    /// name for the one-exposure form, `<workload>-<name>` in a list.
    pub object_name: String,
    /// Fully qualified host name.
    pub host: String,
    pub path: String,
    /// Name of the Service port traffic goes to.
    pub port: String,
    /// The IngressClass serving it; `None` in Gateway API mode.
    pub class_name: Option<String>,
    /// Namespace of the controller (or Gateway proxies) serving it, which the
    /// network policies admit to `port`; `None` when the spec names none.
    pub controller_namespace: Option<String>,
    /// CORS, rate limits, WebSocket timeouts, body size and client address
    /// allowlist at the proxy.
    pub policy: TrafficPolicyModel,
    /// A second backend, beside the workload's Service, whose share of the
    /// traffic a controller sets: the canary Service of a Rollout routed
    /// through Gateway API (set by the rollouts capability's analysis).
    pub canary_service: Option<String>,
}

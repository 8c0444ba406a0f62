//! `Expose`: public exposure of a workload through the ingress controller.

use schemars::JsonSchema;
use serde::Deserialize;

use super::{Cors, RateLimit, WebSocket};
use crate::spec::Quantity;

#[derive(Debug, Clone, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
pub struct Expose {
    /// Host name. A name without dots (`api`) is placed under the environment's
    /// `domain`; a name with dots is used as written.
    pub host: String,
    /// URL path prefix routed to the workload. Default `/`.
    #[serde(default)]
    pub path: Option<String>,
    /// Port name traffic goes to. Default: the workload's first port.
    #[serde(default)]
    pub port: Option<String>,
    /// Cross-origin requests from browsers, answered by the ingress controller.
    #[serde(default)]
    pub cors: Option<Cors>,
    /// Requests per client IP let through to the workload.
    #[serde(default)]
    pub rate_limit: Option<RateLimit>,
    /// WebSocket connections: proxy timeouts long enough for idle sockets.
    #[serde(default)]
    pub websocket: Option<WebSocket>,
    /// Largest request body accepted, a quantity of bytes (`50Mi`). Default:
    /// the controller's (1 MiB with ingress-nginx, unlimited with traefik).
    #[serde(default)]
    pub max_body_size: Option<Quantity>,
}

//! `Expose`: one exposure of a workload through the ingress controller: a
//! host and path routed to one of its ports, with what the proxy enforces.

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
    /// Port name traffic goes to. Default: the workload's first port; required
    /// in a list of exposures.
    #[serde(default)]
    pub port: Option<String>,
    /// In a list of exposures, names this one: its Ingress or HTTPRoute (and
    /// TLS Secret, Middlewares) is `<workload>-<name>`. Default: its `port`.
    #[serde(default)]
    pub name: Option<String>,
    /// IngressClass serving this exposure: `ingress.className` (the default)
    /// or a class declared under `ingress.classes`, such as an internal
    /// controller's. Ingress mode only.
    #[serde(default)]
    pub class_name: Option<String>,
    /// Client addresses allowed, as CIDR blocks (`10.0.0.0/8`); the
    /// controller answers others with 403. Default: every address. ingress-nginx
    /// and traefik only.
    #[serde(default)]
    pub allow_source_ranges: Option<Vec<String>>,
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

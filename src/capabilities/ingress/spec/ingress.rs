//! `Ingress`: how publicly exposed workloads are reached from outside: the
//! routing API (`mode`), the ingress controller, TLS and, in Gateway API mode,
//! the Gateway.

use schemars::JsonSchema;
use serde::Deserialize;

use indexmap::IndexMap;

use super::{Gateway, IngressClass, IngressController, IngressMode, Tls};

#[derive(Debug, Clone, Default, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
pub struct Ingress {
    /// `ingress` (default): an Ingress per exposed workload. `gateway`: one
    /// Gateway API Gateway (`ingress.gateway`) and an HTTPRoute per exposed workload.
    #[serde(default)]
    pub mode: Option<IngressMode>,
    /// The ingress controller serving the Ingresses: `nginx` (ingress-nginx,
    /// default) or `traefik`. Decides how CORS, rate limits, WebSocket timeouts
    /// and body size limits are rendered.
    #[serde(default)]
    pub controller: Option<IngressController>,
    /// IngressClass of the Ingresses. Default: the controller's name (`nginx`
    /// or `traefik`).
    #[serde(default)]
    pub class_name: Option<String>,
    /// IngressClasses beside `className`, by name, each with the namespace
    /// its controller runs in: an internal controller next to the public one.
    /// An exposure picks one with its own `className`.
    #[serde(default)]
    pub classes: IndexMap<String, IngressClass>,
    /// TLS certificates of public hosts, issued by cert-manager. Without it,
    /// public hosts are served over plain HTTP.
    #[serde(default)]
    pub tls: Option<Tls>,
    /// Namespace the ingress controller (or, in `gateway` mode, the Gateway's
    /// proxies) runs in. Network policies admit traffic from it to publicly
    /// exposed workloads.
    #[serde(default)]
    pub controller_namespace: Option<String>,
    /// The Gateway, for `mode: gateway`.
    #[serde(default)]
    pub gateway: Option<Gateway>,
}

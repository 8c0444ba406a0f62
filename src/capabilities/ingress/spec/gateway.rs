//! `Gateway`: the platform's Gateway API entry point, used when
//! `ingress.mode` is `gateway`.

use schemars::JsonSchema;
use serde::Deserialize;

#[derive(Debug, Clone, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
pub struct Gateway {
    /// GatewayClass of the cluster's Gateway API implementation, e.g. `eg`
    /// (Envoy Gateway), `nginx` (NGINX Gateway Fabric), `traefik`, `istio`.
    pub class_name: String,
    /// Namespace of the Gateway; must be declared under `namespaces`. TLS
    /// Secrets of its listeners live here too.
    pub namespace: String,
    /// Name of the Gateway. Default: the platform's name.
    #[serde(default)]
    pub name: Option<String>,
}

//! `Ingress`: how publicly exposed workloads are reached from outside.

use schemars::JsonSchema;
use serde::Deserialize;

#[derive(Debug, Clone, Default, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
pub struct Ingress {
    /// IngressClass of the cluster's ingress controller, e.g. `nginx` or `traefik`.
    #[serde(default)]
    pub class_name: Option<String>,
    /// cert-manager ClusterIssuer that signs the TLS certificates of public hosts,
    /// e.g. `selfsigned` in dev, `letsencrypt-staging`, `letsencrypt-prod`.
    /// Without it, public hosts get no TLS section.
    #[serde(default)]
    pub tls_issuer: Option<String>,
    /// Namespace the ingress controller runs in. Network policies admit traffic
    /// from it to publicly exposed workloads.
    #[serde(default)]
    pub controller_namespace: Option<String>,
}

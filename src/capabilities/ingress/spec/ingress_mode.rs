//! `IngressMode`: which Kubernetes API routes public traffic to exposed
//! workloads: `Ingress` objects, or the Gateway API (one Gateway, an HTTPRoute
//! per exposed workload).

use schemars::JsonSchema;
use serde::Deserialize;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, JsonSchema)]
#[serde(rename_all = "camelCase")]
pub enum IngressMode {
    /// An Ingress (`networking.k8s.io/v1`) per exposed workload, served by
    /// `ingress.controller`.
    Ingress,
    /// One Gateway (`gateway.networking.k8s.io/v1`, see `ingress.gateway`) and an
    /// HTTPRoute per exposed workload.
    Gateway,
}

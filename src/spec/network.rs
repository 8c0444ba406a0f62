//! `Network`: whether the platform renders NetworkPolicies, and where the
//! Kubernetes API server is for the workloads that call it. The policies
//! themselves are derived from the dependency graph (`uses`), never written by
//! hand (see `graph` and `lower::network_policy`).

use schemars::JsonSchema;
use serde::Deserialize;

#[derive(Debug, Clone, Default, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
pub struct Network {
    /// Render NetworkPolicies: a default deny of ingress and egress in every
    /// namespace, and per workload exactly the traffic the spec declares
    /// (`uses`, cluster DNS, the ingress controller, monitoring, the API
    /// server, `egress`). Default `true` in every tier, so development behaves
    /// like production; `false` is a visible weakening.
    #[serde(default)]
    pub policies: Option<bool>,
    /// Addresses of the Kubernetes API server, for workloads that call it
    /// (those whose ServiceAccount token is mounted). Cluster-specific: the
    /// endpoints of the `kubernetes` Service (`kubectl get endpoints kubernetes`).
    #[serde(default)]
    pub api_server: Option<ApiServer>,
}

/// Where the Kubernetes API server listens.
#[derive(Debug, Clone, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
pub struct ApiServer {
    /// CIDR blocks holding the API server's endpoints, e.g. `10.0.0.0/28`.
    pub cidrs: Vec<String>,
    /// TCP ports of the endpoints. Default `[443, 6443]` (managed control
    /// planes serve 443, kubeadm clusters 6443).
    #[serde(default)]
    pub ports: Option<Vec<u16>>,
}

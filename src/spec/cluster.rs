//! `cluster`: how an environment shares its cluster with others. Serde +
//! schemars only.

use schemars::JsonSchema;
use serde::Deserialize;

/// How this environment sits in its cluster, when other environments run in
/// the same one (docs/gitops.md, "Environments sharing a cluster").
#[derive(Debug, Clone, Default, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
pub struct ClusterSpec {
    /// The name each namespace of `namespaces` gets in this environment,
    /// `{name}` standing for its name in the spec: `"{name}-staging"`, or
    /// `"{name}-${environment}"` once in the base. Every reference follows
    /// (workloads' namespaces, data services, addresses, network policies,
    /// bindings); the spec keeps naming namespaces by their spec name.
    #[serde(default)]
    pub namespace_template: Option<String>,
    /// Whether this environment's render holds the cluster-scoped objects
    /// other than its Namespaces (StorageClasses, PriorityClasses,
    /// ClusterIssuers). Default `true`. `false` leaves them to another
    /// environment on the same cluster, their one owner, which must render
    /// the same objects (`check --all` verifies it).
    #[serde(default)]
    pub owns_cluster_objects: Option<bool>,
}

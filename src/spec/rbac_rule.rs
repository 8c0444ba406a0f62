//! `RbacRule`: one rule of Kubernetes API access granted to a workload's
//! ServiceAccount (a `PolicyRule` of a Role or ClusterRole).

use schemars::JsonSchema;
use serde::Deserialize;

#[derive(Debug, Clone, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
pub struct RbacRule {
    /// API groups of the resources; `""` is the core group (pods, secrets,
    /// configmaps). Default `[""]`.
    #[serde(default)]
    pub api_groups: Option<Vec<String>>,
    /// Resources, e.g. `pods`, `secrets`, `deployments`; `pods/log` names a
    /// subresource. At least one.
    pub resources: Vec<String>,
    /// Only these objects, by name. Default: every object of the resources.
    #[serde(default)]
    pub resource_names: Vec<String>,
    /// Verbs, e.g. `get`, `list`, `watch`. At least one.
    pub verbs: Vec<String>,
}

//! `Scheduling`: where a workload's pods may run and how they spread.

use schemars::JsonSchema;
use serde::Deserialize;

#[derive(Debug, Clone, Default, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
pub struct Scheduling {
    /// Spread replicas across nodes and zones (topology spread constraints).
    /// Default `true` when the workload can have two or more replicas.
    #[serde(default)]
    pub spread: Option<bool>,
    /// Node labels the pods require (nodeSelector), e.g. a node pool.
    #[serde(default)]
    pub node_selector: std::collections::BTreeMap<String, String>,
    /// PriorityClass of the pods: one declared under `priorityClasses`, or
    /// `system-cluster-critical` / `system-node-critical`.
    #[serde(default)]
    pub priority_class: Option<String>,
    /// Node pool the pods run in, declared under `nodePools`: its labels join
    /// the `nodeSelector` and its taints are tolerated.
    #[serde(default)]
    pub node_pool: Option<String>,
}

//! `NodePool`: a group of nodes the cluster provides (on-demand, spot, GPU),
//! described by the labels that select them and the taints that keep other pods
//! away. Workloads name a pool; platformgen turns that into a `nodeSelector`
//! and the tolerations the pool's taints need.

use std::collections::BTreeMap;

use schemars::JsonSchema;
use serde::Deserialize;

#[derive(Debug, Clone, Default, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
pub struct NodePool {
    /// Node labels that identify the pool's nodes, e.g.
    /// `doks.digitalocean.com/node-pool: critical` or
    /// `eks.amazonaws.com/capacityType: SPOT`. Become the pods' `nodeSelector`.
    #[serde(default)]
    pub node_selector: BTreeMap<String, String>,
    /// Taints the pool's nodes carry. Pods placed in the pool tolerate exactly
    /// these.
    #[serde(default)]
    pub taints: Vec<Taint>,
}

/// A node taint.
#[derive(Debug, Clone, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
pub struct Taint {
    /// Taint key, e.g. `node-pool` or `nvidia.com/gpu`.
    pub key: String,
    /// Taint value. Without it, the toleration matches any value (`Exists`).
    #[serde(default)]
    pub value: Option<String>,
    /// What the taint does to pods that do not tolerate it.
    pub effect: TaintEffect,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, JsonSchema)]
pub enum TaintEffect {
    /// New pods are not scheduled on the node.
    NoSchedule,
    /// The scheduler avoids the node when it can.
    PreferNoSchedule,
    /// Running pods are evicted too.
    NoExecute,
}

impl TaintEffect {
    pub fn as_str(self) -> &'static str {
        match self {
            TaintEffect::NoSchedule => "NoSchedule",
            TaintEffect::PreferNoSchedule => "PreferNoSchedule",
            TaintEffect::NoExecute => "NoExecute",
        }
    }
}

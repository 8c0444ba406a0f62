//! `PriorityClassSpec`: a PriorityClass the platform declares, so the scheduler
//! knows which pods to keep and which to preempt when the cluster is full.

use schemars::JsonSchema;
use serde::Deserialize;

#[derive(Debug, Clone, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
pub struct PriorityClassSpec {
    /// Priority of pods in this class; higher is more important. At most
    /// 1000000000: larger values are reserved for Kubernetes' system classes.
    pub value: i32,
    /// What the class is for, for people reading the cluster.
    #[serde(default)]
    pub description: Option<String>,
    /// Give this priority to pods that name no class. At most one class may
    /// set it. Default `false`.
    #[serde(default)]
    pub global_default: Option<bool>,
    /// Whether pods of this class may evict lower-priority pods to fit.
    /// Default `PreemptLowerPriority`.
    #[serde(default)]
    pub preemption_policy: Option<PreemptionPolicy>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, JsonSchema)]
pub enum PreemptionPolicy {
    /// Evict lower-priority pods when nothing else fits.
    PreemptLowerPriority,
    /// Wait in the queue ahead of lower-priority pods, but never evict them.
    Never,
}

impl PreemptionPolicy {
    pub fn as_str(self) -> &'static str {
        match self {
            PreemptionPolicy::PreemptLowerPriority => "PreemptLowerPriority",
            PreemptionPolicy::Never => "Never",
        }
    }
}

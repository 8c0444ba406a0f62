//! `Quota`: a namespace's ResourceQuota, capping what all its pods together
//! may request and use.

use schemars::JsonSchema;
use serde::Deserialize;

use crate::spec::ComputeAmounts;

#[derive(Debug, Clone, Default, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
pub struct Quota {
    /// Most CPU and memory all pods of the namespace may request together
    /// (`requests.cpu`, `requests.memory`).
    #[serde(default)]
    pub requests: ComputeAmounts,
    /// Most CPU and memory all pods of the namespace may be limited to
    /// together (`limits.cpu`, `limits.memory`).
    #[serde(default)]
    pub limits: ComputeAmounts,
    /// Most pods the namespace may hold.
    #[serde(default)]
    pub pods: Option<u32>,
}

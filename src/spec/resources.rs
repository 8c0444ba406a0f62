//! `Resources`: CPU and memory requests and limits.

use schemars::JsonSchema;
use serde::Deserialize;

use super::Quantity;

#[derive(Debug, Clone, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
pub struct Resources {
    /// What the scheduler reserves for the container.
    pub requests: ResourceAmounts,
    /// The most the container may use. Memory over the limit kills the container;
    /// CPU over it is throttled.
    pub limits: ResourceAmounts,
}

#[derive(Debug, Clone, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
pub struct ResourceAmounts {
    /// CPU, e.g. `250m` or `1`.
    pub cpu: Quantity,
    /// Memory, e.g. `256Mi` or `1Gi`.
    pub memory: Quantity,
    /// NVIDIA GPUs (`nvidia.com/gpu`), whole devices.
    #[serde(default)]
    pub gpu: Option<u32>,
}

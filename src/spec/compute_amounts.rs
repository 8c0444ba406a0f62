//! `ComputeAmounts`: an optional CPU and memory amount, for namespace-wide
//! caps and defaults (quotas, limit ranges) where either may be left open.

use schemars::JsonSchema;
use serde::Deserialize;

use super::Quantity;

#[derive(Debug, Clone, Default, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
pub struct ComputeAmounts {
    /// CPU, e.g. `500m` or `4`.
    #[serde(default)]
    pub cpu: Option<Quantity>,
    /// Memory, e.g. `512Mi` or `8Gi`.
    #[serde(default)]
    pub memory: Option<Quantity>,
}

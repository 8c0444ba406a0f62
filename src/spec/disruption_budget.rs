//! `DisruptionBudget`: a PodDisruptionBudget (policy/v1).

use schemars::JsonSchema;
use serde::Deserialize;

/// Set exactly one of `minAvailable` and `maxUnavailable`, or `enabled: false`.
#[derive(Debug, Clone, Default, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
pub struct DisruptionBudget {
    /// `false` leaves the workload without a budget.
    #[serde(default)]
    pub enabled: Option<bool>,
    /// Pods that must stay up during a voluntary disruption (node drain).
    #[serde(default)]
    pub min_available: Option<u32>,
    /// Pods that may be down at once during a voluntary disruption.
    #[serde(default)]
    pub max_unavailable: Option<u32>,
}

//! `LimitRange`: a namespace's per-container defaults and bounds, for
//! containers the spec does not size itself (sidecars injected by a mesh or
//! an operator).

use schemars::JsonSchema;
use serde::Deserialize;

use crate::spec::ComputeAmounts;

#[derive(Debug, Clone, Default, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
pub struct LimitRange {
    /// Limits of a container that sets none.
    #[serde(default)]
    pub default: ComputeAmounts,
    /// Requests of a container that sets none.
    #[serde(default)]
    pub default_request: ComputeAmounts,
    /// Largest limits a container may have.
    #[serde(default)]
    pub max: ComputeAmounts,
    /// Smallest requests a container may have.
    #[serde(default)]
    pub min: ComputeAmounts,
}

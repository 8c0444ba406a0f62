//! A namespace's resource caps: its ResourceQuota and its LimitRange, as the
//! spec wrote them (each amount optional: an unset amount is not capped).

use crate::spec::ComputeAmounts;

#[derive(Debug, Clone)]
pub struct QuotaModel {
    pub requests: ComputeAmounts,
    pub limits: ComputeAmounts,
    pub pods: Option<u32>,
}

#[derive(Debug, Clone)]
pub struct LimitRangeModel {
    pub default: ComputeAmounts,
    pub default_request: ComputeAmounts,
    pub max: ComputeAmounts,
    pub min: ComputeAmounts,
}

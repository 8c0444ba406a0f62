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

/// A namespace's ResourceQuota `default` (`NamespaceModel::parts`).
pub const QUOTA: crate::model::Part<QuotaModel> = crate::model::Part::new("quota");
/// A namespace's LimitRange `default` (`NamespaceModel::parts`).
pub const LIMIT_RANGE: crate::model::Part<LimitRangeModel> = crate::model::Part::new("limitRange");

/// The namespace's ResourceQuota `default`, when the spec sets `quota`.
pub fn quota(namespace: &crate::model::NamespaceModel) -> Option<&QuotaModel> {
    QUOTA.get(&namespace.parts)
}

/// The namespace's LimitRange `default`, when the spec sets `limitRange`.
pub fn limit_range(namespace: &crate::model::NamespaceModel) -> Option<&LimitRangeModel> {
    LIMIT_RANGE.get(&namespace.parts)
}

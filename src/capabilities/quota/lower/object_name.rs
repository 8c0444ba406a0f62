//! The name of a namespace's ResourceQuota and LimitRange.

/// Name of the namespace's quota and limit range: one of each per namespace.
pub(super) const NAME: &str = "default";

//! What a namespace writes to cap its pods: `quota` and `limitRange`, one
//! file each.

mod limit_range;
mod quota;

pub use limit_range::LimitRange;
pub use quota::Quota;

use crate::spec::{Scope, Section, SectionType};

/// `namespaces.<name>.quota`.
pub const QUOTA: Section<Quota> = Section::new(Scope::Namespace, "quota");
/// `namespaces.<name>.limitRange`.
pub const LIMIT_RANGE: Section<LimitRange> = Section::new(Scope::Namespace, "limitRange");

pub const SECTIONS: &[SectionType] = &[
    SectionType::of(
        QUOTA,
        "ResourceQuota `default`: caps on what all pods of the namespace together request, are limited to, and number.",
    ),
    SectionType::of(
        LIMIT_RANGE,
        "LimitRange `default`: per-container defaults and bounds, for containers the spec does not size (injected sidecars).",
    ),
];

/// The namespace's `quota`, if set.
pub fn quota(namespace: &crate::spec::Namespace) -> Option<&Quota> {
    QUOTA.get(&namespace.sections)
}

/// The namespace's `limitRange`, if set.
pub fn limit_range(namespace: &crate::spec::Namespace) -> Option<&LimitRange> {
    LIMIT_RANGE.get(&namespace.sections)
}

//! The ResourceQuota and LimitRange `default` of every namespace that sets
//! `quota` or `limitRange`, one kind per file.

mod limit_range;
mod object_name;
mod resource_quota;

use crate::lower::Objects;
use crate::lower::push;
use crate::model::PlatformModel;

/// The ResourceQuota and LimitRange of every namespace that sets them.
pub fn objects(platform: &PlatformModel, manifests: &mut Objects) {
    for namespace in &platform.namespaces {
        if let Some(quota) = super::model::quota(namespace) {
            push(
                manifests,
                &resource_quota::resource_quota(platform, namespace, quota),
                namespace.origin,
            );
        }
        if let Some(range) = super::model::limit_range(namespace) {
            push(
                manifests,
                &limit_range::limit_range(platform, namespace, range),
                namespace.origin,
            );
        }
    }
}

//! Namespace resource caps: resolves `quota` and `limitRange` into the model,
//! checks that a LimitRange is consistent (Kubernetes rejects it otherwise),
//! and that the namespace's workloads fit both at their largest scale
//! (otherwise pods are refused at admission, long after the spec was
//! reviewed). One file per key.

mod limit_range;
mod quota;
mod resources;

use crate::analyze::Context;
use crate::model::{PlatformModel, WorkloadModel};

/// The capability's analysis: each namespace's quota and limit range, then
/// whether the workloads the core analysis resolved fit them.
pub fn analyze(ctx: &mut Context<'_>, model: &mut PlatformModel) {
    let spec = ctx.spec;
    for namespace in &mut model.namespaces {
        let Some(declared) = spec.namespaces.get(&namespace.name) else {
            continue;
        };
        if let Some(quota) = super::spec::quota(declared) {
            super::model::QUOTA.set(&mut namespace.parts, quota::resolve(quota));
        }
        if let Some(range) = super::spec::limit_range(declared) {
            let range = limit_range::resolve(ctx, &namespace.name, range);
            super::model::LIMIT_RANGE.set(&mut namespace.parts, range);
        }
    }
    for namespace in &model.namespaces {
        let members: Vec<&WorkloadModel> = model
            .workloads
            .iter()
            .filter(|w| w.namespace == namespace.name)
            .collect();
        if let Some(declared) = super::model::quota(namespace) {
            quota::check(ctx, &namespace.name, declared, &members);
        }
        if let Some(range) = super::model::limit_range(namespace) {
            limit_range::check(ctx, &namespace.name, range, &members);
        }
    }
}

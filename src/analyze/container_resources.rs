//! A container's `resources`: each request within its limit (Kubernetes
//! rejects the pod otherwise), resolved into a [`ResourcesModel`].

use crate::diagnostic::{Code, Diagnostic};
use crate::model::ResourcesModel;
use crate::spec::Resources;

use super::Context;

/// The resources written at `path` (`workloads.<name>.resources`, or a side
/// container's), checked.
pub(super) fn resolve(ctx: &mut Context<'_>, path: &[&str], written: &Resources) -> ResourcesModel {
    let resources = ResourcesModel {
        cpu_request: written.requests.cpu.clone(),
        memory_request: written.requests.memory.clone(),
        cpu_limit: written.limits.cpu.clone(),
        memory_limit: written.limits.memory.clone(),
        gpu: written.limits.gpu.or(written.requests.gpu),
    };
    for (resource, request, limit) in [
        ("cpu", &resources.cpu_request, &resources.cpu_limit),
        ("memory", &resources.memory_request, &resources.memory_limit),
    ] {
        if request.milli() > limit.milli() {
            let at = |section: &'static str| {
                let mut full = path.to_vec();
                full.extend([section, resource]);
                full
            };
            let span = ctx.value(&at("requests"));
            let limit_span = ctx.value(&at("limits"));
            ctx.report(
                Diagnostic::error(
                    Code::ResourceBounds,
                    format!("{resource} request `{request}` exceeds its limit `{limit}`"),
                )
                .at(span, "request")
                .with_secondary(limit_span, "limit"),
            );
        }
    }
    resources
}

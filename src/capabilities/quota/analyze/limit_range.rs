//! `limitRange`: its minimum, default request, default limit and maximum
//! must be in that order (Kubernetes rejects it otherwise), and the
//! namespace's workloads must lie within its bounds (or their pods are
//! refused).

use crate::analyze::Context;
use crate::capabilities::quota::model::LimitRangeModel;
use crate::capabilities::quota::spec::LimitRange;
use crate::diagnostic::{Code, Diagnostic};
use crate::model::WorkloadModel;

use super::resources::{RESOURCES, amount};

pub(super) fn resolve(ctx: &mut Context<'_>, name: &str, range: &LimitRange) -> LimitRangeModel {
    // Each pair must be ordered, as the API server's LimitRange validation
    // requires; the first field is the smaller one.
    let pairs = [
        ("min", &range.min, "defaultRequest", &range.default_request),
        ("min", &range.min, "default", &range.default),
        ("min", &range.min, "max", &range.max),
        (
            "defaultRequest",
            &range.default_request,
            "default",
            &range.default,
        ),
        ("defaultRequest", &range.default_request, "max", &range.max),
        ("default", &range.default, "max", &range.max),
    ];
    for resource in RESOURCES {
        for (low_field, low, high_field, high) in pairs {
            let (Some(low), Some(high)) = (amount(low, resource), amount(high, resource)) else {
                continue;
            };
            if low.milli() > high.milli() {
                let span = ctx.value(&["namespaces", name, "limitRange", low_field, resource]);
                let high_span =
                    ctx.value(&["namespaces", name, "limitRange", high_field, resource]);
                ctx.report(
                    Diagnostic::error(
                        Code::LimitRangeViolation,
                        format!(
                            "`limitRange.{low_field}.{resource}` ({low}) is above `limitRange.{high_field}.{resource}` ({high})"
                        ),
                    )
                    .at(span, low_field)
                    .with_secondary(high_span, high_field)
                    .with_note("Kubernetes rejects a LimitRange whose minimum, default request, default limit and maximum are not in that order"),
                );
            }
        }
    }
    LimitRangeModel {
        default: range.default.clone(),
        default_request: range.default_request.clone(),
        max: range.max.clone(),
        min: range.min.clone(),
    }
}

/// Checks that the namespace's workloads (`members`) lie within its bounds.
pub(super) fn check(
    ctx: &mut Context<'_>,
    name: &str,
    range: &LimitRangeModel,
    members: &[&WorkloadModel],
) {
    for workload in members {
        for resource in RESOURCES {
            let r = &workload.resources;
            let (request, limit) = match resource {
                "cpu" => (&r.cpu_request, &r.cpu_limit),
                _ => (&r.memory_request, &r.memory_limit),
            };
            let bounds = [
                (
                    "max",
                    amount(&range.max, resource),
                    "limits",
                    "limit",
                    limit,
                    true,
                ),
                (
                    "min",
                    amount(&range.min, resource),
                    "requests",
                    "request",
                    request,
                    false,
                ),
            ];
            for (bound_field, bound, section, noun, value, is_max) in bounds {
                let Some(bound) = bound else { continue };
                let outside = if is_max {
                    value.milli() > bound.milli()
                } else {
                    value.milli() < bound.milli()
                };
                if !outside {
                    continue;
                }
                let span =
                    ctx.value(&["workloads", &workload.name, "resources", section, resource]);
                let bound_span =
                    ctx.value(&["namespaces", name, "limitRange", bound_field, resource]);
                let relation = if is_max { "above" } else { "below" };
                ctx.report(
                    Diagnostic::error(
                        Code::LimitRangeViolation,
                        format!(
                            "the {resource} {noun} `{value}` of `{}` is {relation} the `{bound_field}` of namespace `{name}` ({bound})",
                            workload.name
                        ),
                    )
                    .at(span, format!("{relation} {bound}"))
                    .with_secondary(bound_span, format!("`limitRange.{bound_field}.{resource}`"))
                    .with_note("Kubernetes would refuse to create the workload's pods"),
                );
            }
        }
    }
}

//! Namespace resource caps: resolves `quota` and `limitRange`, checks that a
//! LimitRange is consistent (Kubernetes rejects it otherwise), and that the
//! namespace's workloads fit both at their largest scale (otherwise pods are
//! refused at admission, long after the spec was reviewed).

use crate::diagnostic::{Code, Diagnostic};
use crate::model::{LimitRangeModel, NamespaceModel, QuotaModel, WorkloadModel};
use crate::spec::{ComputeAmounts, Namespace, Quantity};

use super::Context;

const RESOURCES: [&str; 2] = ["cpu", "memory"];

fn amount<'a>(amounts: &'a ComputeAmounts, resource: &str) -> Option<&'a Quantity> {
    match resource {
        "cpu" => amounts.cpu.as_ref(),
        _ => amounts.memory.as_ref(),
    }
}

pub(super) fn resolve(
    ctx: &mut Context<'_>,
    name: &str,
    namespace: &Namespace,
) -> (Option<QuotaModel>, Option<LimitRangeModel>) {
    let quota = namespace.quota.as_ref().map(|q| QuotaModel {
        requests: q.requests.clone(),
        limits: q.limits.clone(),
        pods: q.pods,
    });
    let limit_range = namespace.limit_range.as_ref().map(|range| {
        // Each pair must be ordered, as the API server's LimitRange validation
        // requires; the first field is the smaller one.
        let pairs = [
            ("min", &range.min, "defaultRequest", &range.default_request),
            ("min", &range.min, "default", &range.default),
            ("min", &range.min, "max", &range.max),
            ("defaultRequest", &range.default_request, "default", &range.default),
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
    });
    (quota, limit_range)
}

/// Checks that each namespace's workloads fit its quota at their largest
/// scale and its LimitRange bounds.
pub(super) fn check_workloads(
    ctx: &mut Context<'_>,
    namespaces: &[NamespaceModel],
    workloads: &[WorkloadModel],
) {
    for namespace in namespaces {
        let members: Vec<&WorkloadModel> = workloads
            .iter()
            .filter(|w| w.namespace == namespace.name)
            .collect();
        if let Some(quota) = &namespace.quota {
            check_quota(ctx, &namespace.name, quota, &members);
        }
        if let Some(range) = &namespace.limit_range {
            check_limit_range(ctx, &namespace.name, range, &members);
        }
    }
}

fn check_quota(ctx: &mut Context<'_>, name: &str, quota: &QuotaModel, members: &[&WorkloadModel]) {
    for (section, amounts) in [("requests", &quota.requests), ("limits", &quota.limits)] {
        for resource in RESOURCES {
            let Some(cap) = amount(amounts, resource) else {
                continue;
            };
            let per_pod = |w: &WorkloadModel| {
                let r = &w.resources;
                match (section, resource) {
                    ("requests", "cpu") => r.cpu_request.milli(),
                    ("requests", _) => r.memory_request.milli(),
                    (_, "cpu") => r.cpu_limit.milli(),
                    _ => r.memory_limit.milli(),
                }
            };
            let total: u128 = members
                .iter()
                .map(|w| u128::from(w.max_replicas()) * per_pod(w))
                .sum();
            if total > cap.milli() {
                let span = ctx.value(&["namespaces", name, "quota", section, resource]);
                let parts: Vec<String> = members
                    .iter()
                    .filter(|w| w.max_replicas() > 0)
                    .map(|w| {
                        format!(
                            "`{}` {} × {}",
                            w.name,
                            w.max_replicas(),
                            format_amount(resource, per_pod(w))
                        )
                    })
                    .collect();
                ctx.report(
                    Diagnostic::error(
                        Code::QuotaExceeded,
                        format!(
                            "the workloads of `{name}` need `{section}.{resource}: {}` at their largest scale, above the quota of {cap}",
                            format_amount(resource, total)
                        ),
                    )
                    .at(span, "too small")
                    .with_note(format!("at their largest scale: {}", parts.join(", ")))
                    .with_help("raise the quota, or lower the workloads' scale or resources"),
                );
            }
        }
    }
    if let Some(pods) = quota.pods {
        let total: u64 = members.iter().map(|w| u64::from(w.max_replicas())).sum();
        if total > u64::from(pods) {
            let span = ctx.value(&["namespaces", name, "quota", "pods"]);
            let parts: Vec<String> = members
                .iter()
                .map(|w| format!("`{}` {}", w.name, w.max_replicas()))
                .collect();
            ctx.report(
                Diagnostic::error(
                    Code::QuotaExceeded,
                    format!(
                    "the workloads of `{name}` run {total} pods at their largest scale, above the quota of {pods}"
                ),
                )
                .at(span, "too small")
                .with_note(format!("at their largest scale: {}", parts.join(", "))),
            );
        }
    }
}

fn check_limit_range(
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

/// A total in milli-units, written as people write quantities: `4500m` or
/// `5` for CPU, `3Gi`, `640Mi` or bytes for memory.
fn format_amount(resource: &str, milli: u128) -> String {
    if resource == "cpu" {
        return if milli.is_multiple_of(1000) {
            (milli / 1000).to_string()
        } else {
            format!("{milli}m")
        };
    }
    let bytes = milli / 1000;
    for (suffix, size) in [
        ("Ti", 1u128 << 40),
        ("Gi", 1 << 30),
        ("Mi", 1 << 20),
        ("Ki", 1 << 10),
    ] {
        if bytes >= size && bytes.is_multiple_of(size) {
            return format!("{}{suffix}", bytes / size);
        }
    }
    bytes.to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[track_caller]
    fn case(resource: &str, milli: u128, expected: &str) {
        assert_eq!(format_amount(resource, milli), expected);
    }

    #[test]
    fn totals_read_like_quantities() {
        case("cpu", 4_500, "4500m");
        case("cpu", 5_000, "5");
        case("memory", 3 * (1 << 30) * 1000, "3Gi");
        case("memory", 640 * (1 << 20) * 1000, "640Mi");
        case("memory", 1_500_000, "1500");
    }
}

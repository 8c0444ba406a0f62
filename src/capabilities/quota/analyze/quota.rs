//! `quota`: resolved as written; the namespace's workloads at their largest
//! scale must fit it, or some of their pods could never be created.

use crate::analyze::Context;
use crate::capabilities::quota::model::QuotaModel;
use crate::capabilities::quota::spec::Quota;
use crate::diagnostic::{Code, Diagnostic};
use crate::model::WorkloadModel;

use super::resources::{RESOURCES, amount};

pub(super) fn resolve(quota: &Quota) -> QuotaModel {
    QuotaModel {
        requests: quota.requests.clone(),
        limits: quota.limits.clone(),
        pods: quota.pods,
    }
}

/// Checks that the namespace's workloads (`members`) fit its quota at their
/// largest scale.
pub(super) fn check(
    ctx: &mut Context<'_>,
    name: &str,
    quota: &QuotaModel,
    members: &[&WorkloadModel],
) {
    for (section, amounts) in [("requests", &quota.requests), ("limits", &quota.limits)] {
        for resource in RESOURCES {
            let Some(cap) = amount(amounts, resource) else {
                continue;
            };
            let per_pod = |w: &WorkloadModel| {
                w.pod_amount(|r| match (section, resource) {
                    ("requests", "cpu") => r.cpu_request.milli(),
                    ("requests", _) => r.memory_request.milli(),
                    (_, "cpu") => r.cpu_limit.milli(),
                    _ => r.memory_limit.milli(),
                })
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

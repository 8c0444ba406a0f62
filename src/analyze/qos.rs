//! QoS by intent: a workload that says `qos: guaranteed` must have CPU and
//! memory requests equal to their limits, or Kubernetes silently makes it
//! Burstable (evicted earlier under node pressure). Limits are not derived
//! from requests or the other way round: which of the two numbers is right is
//! the author's call, so a mismatch is an error that names both.

use crate::diagnostic::{Code, Diagnostic};
use crate::spec::{QosClass, Quantity};

use super::Context;

pub(super) fn check(ctx: &mut Context<'_>) {
    for (name, workload) in &ctx.spec.workloads {
        if workload.enabled == Some(false) {
            continue;
        }
        let Some(qos) = workload.qos else {
            continue;
        };
        // Every container counts: one with requests below its limits makes
        // the whole pod Burstable.
        let mut containers: Vec<(Vec<String>, &crate::spec::Resources)> =
            vec![(path(&["workloads", name, "resources"]), &workload.resources)];
        for (field, list) in [
            ("sidecars", &workload.sidecars),
            ("initContainers", &workload.init_containers),
        ] {
            for (index, side) in list.iter().enumerate() {
                let index = index.to_string();
                containers.push((
                    path(&["workloads", name, field, &index, "resources"]),
                    &side.resources,
                ));
            }
        }
        let pairs: Vec<(&[String], &str, &Quantity, &Quantity)> = containers
            .iter()
            .flat_map(|(at, resources)| {
                [
                    (
                        at.as_slice(),
                        "cpu",
                        &resources.requests.cpu,
                        &resources.limits.cpu,
                    ),
                    (
                        at.as_slice(),
                        "memory",
                        &resources.requests.memory,
                        &resources.limits.memory,
                    ),
                ]
            })
            .collect();
        let qos_span = ctx.value(&["workloads", name, "qos"]);
        match qos {
            QosClass::Guaranteed => {
                for (at, resource, request, limit) in pairs {
                    if request.milli() == limit.milli() {
                        continue;
                    }
                    let field = |section: &'static str| -> Vec<&str> {
                        let mut full: Vec<&str> = at.iter().map(String::as_str).collect();
                        full.extend([section, resource]);
                        full
                    };
                    let span = ctx.value(&field("requests"));
                    let limit_span = ctx.value(&field("limits"));
                    ctx.report(
                        Diagnostic::error(
                            Code::QosMismatch,
                            format!(
                                "`{name}` is `qos: guaranteed` but its {resource} request `{request}` differs from its limit `{limit}`"
                            ),
                        )
                        .at(span, "request")
                        .with_secondary(limit_span, "limit")
                        .with_secondary(qos_span, "declared here")
                        .with_help(format!(
                            "set both to the amount the workload needs, e.g. {resource} request and limit `{limit}`: a pod is Guaranteed only when requests equal limits"
                        )),
                    );
                }
            }
            QosClass::Burstable => {
                if pairs
                    .iter()
                    .all(|(_, _, request, limit)| request.milli() == limit.milli())
                {
                    ctx.report(
                        Diagnostic::warning(
                            Code::QosMismatch,
                            format!(
                                "`{name}` is `qos: burstable` but its requests equal its limits, which makes it Guaranteed"
                            ),
                        )
                        .at(qos_span, "declared here")
                        .with_help("write `qos: guaranteed`, or lower a request below its limit"),
                    );
                }
            }
        }
    }
}

fn path(segments: &[&str]) -> Vec<String> {
    segments.iter().map(|s| (*s).to_owned()).collect()
}

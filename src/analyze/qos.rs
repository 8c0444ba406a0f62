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
        let resources = &workload.resources;
        let pairs: [(&str, &Quantity, &Quantity); 2] = [
            ("cpu", &resources.requests.cpu, &resources.limits.cpu),
            (
                "memory",
                &resources.requests.memory,
                &resources.limits.memory,
            ),
        ];
        let qos_span = ctx.value(&["workloads", name, "qos"]);
        match qos {
            QosClass::Guaranteed => {
                for (resource, request, limit) in pairs {
                    if request.milli() == limit.milli() {
                        continue;
                    }
                    let span = ctx.value(&["workloads", name, "resources", "requests", resource]);
                    let limit_span =
                        ctx.value(&["workloads", name, "resources", "limits", resource]);
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
                    .all(|(_, request, limit)| request.milli() == limit.milli())
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

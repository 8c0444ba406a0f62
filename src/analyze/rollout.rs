//! `rollout`: what each kind can do. A Deployment recreates or surges; a
//! StatefulSet replaces one pod at a time and can hold the lower ordinals
//! back with a `partition`; Jobs and CronJobs have no rollout (reported with
//! the other service fields by `batch`).

use crate::diagnostic::{Code, Diagnostic};
use crate::model::RolloutModel;
use crate::spec::{Rollout, Workload, WorkloadKind};

use super::Context;

pub(super) fn resolve(
    ctx: &mut Context<'_>,
    name: &str,
    workload: &Workload,
    kind: WorkloadKind,
) -> RolloutModel {
    let Some(rollout) = &workload.rollout else {
        return RolloutModel::Default;
    };
    let path = ["workloads", name, "rollout"];
    match (rollout, kind) {
        (_, WorkloadKind::Job | WorkloadKind::CronJob) => RolloutModel::Default,
        (Rollout::Recreate(_), WorkloadKind::Deployment) => RolloutModel::Recreate,
        (Rollout::Recreate(_), WorkloadKind::StatefulSet) => {
            let span = ctx.value(&path);
            ctx.report(
                Diagnostic::error(
                    Code::InvalidRollout,
                    format!("StatefulSet `{name}` cannot be recreated"),
                )
                .at(span, "a Deployment's strategy")
                .with_help("a StatefulSet replaces one pod at a time, highest ordinal first; `{ partition: N }` holds the pods below N back"),
            );
            RolloutModel::Default
        }
        (Rollout::Rolling(rolling), WorkloadKind::Deployment) => {
            if rolling.partition.is_some() {
                let span = ctx.key(&[path[0], path[1], path[2], "partition"]);
                ctx.report(
                    Diagnostic::error(
                        Code::InvalidRollout,
                        format!("Deployment `{name}` sets `rollout.partition`"),
                    )
                    .at(span, "a StatefulSet's setting")
                    .with_help(
                        "a Deployment's rollout is tuned with `maxSurge` and `maxUnavailable`",
                    ),
                );
            }
            if rolling.max_surge.is_some_and(|surge| surge.is_zero())
                && rolling
                    .max_unavailable
                    .is_some_and(|unavailable| unavailable.is_zero())
            {
                let span = ctx.value(&[path[0], path[1], path[2], "maxUnavailable"]);
                let surge_span = ctx.value(&[path[0], path[1], path[2], "maxSurge"]);
                ctx.report(
                    Diagnostic::error(
                        Code::InvalidRollout,
                        format!("the rollout of `{name}` can never replace a pod"),
                    )
                    .at(span, "no pod may stop")
                    .with_secondary(surge_span, "and none may start beside them")
                    .with_help(
                        "with `maxSurge: 0` (no room for an extra pod), allow `maxUnavailable: 1`",
                    ),
                );
            }
            RolloutModel::Surge {
                max_surge: rolling.max_surge,
                max_unavailable: rolling.max_unavailable,
            }
        }
        (Rollout::Rolling(rolling), WorkloadKind::StatefulSet) => {
            for (field, set) in [
                ("maxSurge", rolling.max_surge.is_some()),
                ("maxUnavailable", rolling.max_unavailable.is_some()),
            ] {
                if set {
                    let span = ctx.key(&[path[0], path[1], path[2], field]);
                    ctx.report(
                        Diagnostic::error(
                            Code::InvalidRollout,
                            format!("StatefulSet `{name}` sets `rollout.{field}`"),
                        )
                        .at(span, "a Deployment's setting")
                        .with_help("a StatefulSet replaces one pod at a time; `{ partition: N }` holds the pods below N back"),
                    );
                }
            }
            RolloutModel::Partition(rolling.partition.unwrap_or(0))
        }
    }
}

//! PG4006 `missing-disruption-budget`: every replicated Deployment and
//! StatefulSet has a PodDisruptionBudget.

use crate::diagnostic::Code;
use crate::spec::RuleLevel::{Error, Off, Warning};

use super::pod::{Pod, selects};
use super::{Context, Finding, ReplicaCount, Rule, TierLevels};

pub(super) static RULE: Rule = Rule {
    code: Code::MissingDisruptionBudget,
    summary: "Every Deployment and StatefulSet with 2 or more replicas has a \
        PodDisruptionBudget.",
    levels: TierLevels::new(Off, Warning, Error),
    rationale: "Replicas protect against one failure at a time, but a node drain (a cluster \
        upgrade, an autoscaler removing a node) evicts pods voluntarily and, without a \
        PodDisruptionBudget, may evict every replica of a service at once. A budget makes the \
        drain wait until the evicted pod is replaced. Workloads with a single replica are \
        left to `single-replica` (PG4005): a budget for one pod either blocks every drain or \
        protects nothing.",
    fix: "Remove `disruptionBudget: { enabled: false }`: platformgen derives a budget \
        (`maxUnavailable: 1`) for every workload with 2 or more replicas. Or set \
        `disruptionBudget.maxUnavailable` or `minAvailable` explicitly.",
    check,
};

fn check(ctx: &Context<'_>, findings: &mut Vec<Finding>) {
    for pod in ctx.pods().filter(Pod::is_replicated) {
        let manifest = pod.manifest;
        if ReplicaCount::of(ctx, manifest).min < 2 {
            continue;
        }
        let covered = ctx.objects("PodDisruptionBudget").any(|budget| {
            budget.namespace == manifest.namespace
                && budget
                    .value
                    .pointer("/spec/selector")
                    .is_some_and(|selector| selects(selector, pod.labels()))
        });
        if covered {
            continue;
        }
        let span = match ctx.workload_of(manifest) {
            Some(workload) => ctx
                .first_written(
                    &workload.name,
                    &[&["disruptionBudget", "enabled"], &["disruptionBudget"]],
                )
                .unwrap_or(workload.origin),
            None => manifest.origin,
        };
        findings.push(
            Finding::new(
                RULE.code,
                format!("{}/disruption-budget", manifest.identity()),
                format!("`{}` has no PodDisruptionBudget", manifest.identity()),
                span,
                "a node drain may evict every replica at once",
            )
            .workload(ctx.owner(manifest))
            .namespace(manifest.namespace.as_deref())
            .help("remove `disruptionBudget: { enabled: false }` (a budget is derived), or set `disruptionBudget.maxUnavailable: 1`"),
        );
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    use crate::policy::testing::{BASE, Fixture};

    #[test]
    fn replicated_workloads_need_a_budget() {
        assert_eq!(Fixture::new(BASE).check(&RULE), Vec::<String>::new());
        let base = BASE.replace(
            "    replicas: 3\n",
            "    replicas: 3\n    disruptionBudget: { enabled: false }\n",
        );
        assert_eq!(
            Fixture::new(&base).check(&RULE),
            ["platform.yaml:27:34 `StatefulSet/shop/db` has no PodDisruptionBudget"]
        );
    }

    #[test]
    fn single_replicas_are_left_to_single_replica() {
        let base = BASE.replace("    replicas: 3\n", "    replicas: 1\n");
        assert_eq!(Fixture::new(&base).check(&RULE), Vec::<String>::new());
    }
}

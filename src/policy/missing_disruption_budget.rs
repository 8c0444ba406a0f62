//! PG4006 `missing-disruption-budget`: every replicated Deployment and
//! StatefulSet has a PodDisruptionBudget.

use std::collections::BTreeMap;

use crate::diagnostic::Code;
use crate::object::Manifest;
use crate::spec::RuleLevel::{Error, Off, Warning};

use super::pod::{Pod, selects};
use super::{Context, Finding, ReplicaCount, Rule, RuleScope, TierLevels};

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
        protects nothing. Jobs and CronJobs are not checked: their pods are not kept \
        available.",
    fix: "Remove `disruptionBudget: { enabled: false }`: platformgen derives a budget \
        (`maxUnavailable: 1`) for every workload with 2 or more replicas. Or set \
        `disruptionBudget.maxUnavailable` or `minAvailable` explicitly.",
    scope: RuleScope::Objects,
    check,
};

/// The label every workload's selector carries: budgets are bucketed by it so
/// each pod is matched only against budgets that could select it.
const NAME_LABEL: &str = "app.kubernetes.io/name";

fn check(ctx: &Context<'_>, findings: &mut Vec<Finding>) {
    // (namespace, the name label a budget requires, if any) → budgets.
    let mut budgets: BTreeMap<(Option<&str>, Option<&str>), Vec<&Manifest>> = BTreeMap::new();
    for budget in ctx.objects("PodDisruptionBudget") {
        let name = crate::object::path::at(&budget.value, &["spec", "selector", "matchLabels"])
            .and_then(|labels| labels.get(NAME_LABEL))
            .and_then(serde_json::Value::as_str);
        budgets
            .entry((budget.key.namespace.as_deref(), name))
            .or_default()
            .push(budget);
    }
    for pod in ctx.pods().filter(Pod::is_replicated) {
        let manifest = pod.manifest;
        if ReplicaCount::of(ctx, manifest).min < 2 {
            continue;
        }
        let namespace = manifest.key.namespace.as_deref();
        let pod_name = pod
            .labels()
            .and_then(|labels| labels.get(NAME_LABEL))
            .and_then(serde_json::Value::as_str);
        // Budgets that require this pod's name label, then those that require none.
        let mut candidates = vec![(namespace, None)];
        if pod_name.is_some() {
            candidates.push((namespace, pod_name));
        }
        let covered = candidates
            .iter()
            .filter_map(|key| budgets.get(key))
            .flatten()
            .any(|budget| {
                crate::object::path::at(&budget.value, &["spec", "selector"])
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
            .namespace(manifest.key.namespace.as_deref())
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

    #[test]
    fn jobs_and_cron_jobs_are_not_reported() {
        // A Job's and a CronJob's single pod, with a metrics port and no
        // probes, runs to completion: nothing to keep available.
        let fixture = Fixture::new(&format!("{BASE}{}", crate::policy::testing::BATCH));
        let kinds: Vec<&str> = fixture
            .manifests
            .iter()
            .map(|m| m.key.kind.as_ref())
            .collect();
        assert!(
            kinds.contains(&"Job") && kinds.contains(&"CronJob"),
            "{kinds:?}"
        );
        assert_eq!(fixture.check(&RULE), Vec::<String>::new());
    }
}

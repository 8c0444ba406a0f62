//! PG4005 `single-replica`: every Deployment and StatefulSet runs at least two
//! pods (its `replicas`, or its autoscaler's minimum).

use crate::diagnostic::Code;
use crate::spec::RuleLevel::{Error, Off, Warning};

use super::pod::Pod;
use super::replica_count::replicas;
use super::{Context, Finding, ReplicaCount, Rule, RuleScope, TierLevels};

pub(super) static RULE: Rule = Rule {
    code: Code::SingleReplica,
    summary: "Every Deployment and StatefulSet runs at least 2 replicas (or an autoscaler \
        minimum of at least 2).",
    levels: TierLevels::new(Off, Warning, Error),
    rationale: "A single pod is a single point of failure: a node drain, a node failure, an \
        eviction or a rollout takes the service down until a new pod is scheduled, pulled and \
        ready. Two replicas, spread across nodes (platformgen spreads them by default), keep \
        it serving. A store that cannot run more than one instance (a single-primary \
        database) needs a reasoned waiver, which records the risk where reviewers see it. Jobs \
        and CronJobs, whose single pod runs to completion, are not checked.",
    fix: "Set `replicas: 2` or more, or `autoscaling.min: 2` or more. For a workload that \
        cannot be replicated, add a waiver with the reason.",
    scope: RuleScope::Objects,
    check,
};

fn check(ctx: &Context<'_>, findings: &mut Vec<Finding>) {
    for pod in ctx.pods().filter(Pod::is_replicated) {
        let manifest = pod.manifest;
        let count = ReplicaCount::of(ctx, manifest);
        if count.min >= 2 {
            continue;
        }
        let (span, label) = match (ctx.workload_of(manifest), count.autoscaler) {
            (Some(workload), Some(_)) => (
                ctx.first_written(&workload.name, &[&["autoscaling", "min"]])
                    .unwrap_or(workload.origin),
                format!("autoscales down to {}", replicas(count.min)),
            ),
            (Some(workload), None) => (
                ctx.first_written(&workload.name, &[&["replicas"]])
                    .unwrap_or(workload.origin),
                replicas(count.min),
            ),
            (None, autoscaler) => (
                autoscaler.map_or(manifest.origin, |a| a.origin),
                replicas(count.min),
            ),
        };
        findings.push(
            Finding::new(
                RULE.code,
                format!("{}/replicas", manifest.identity()),
                format!(
                    "`{}` runs {}: one failure takes it down",
                    manifest.identity(),
                    replicas(count.min)
                ),
                span,
                label,
            )
            .workload(ctx.owner(manifest))
            .namespace(manifest.key.namespace.as_deref())
            .help("set `replicas: 2` (or `autoscaling.min: 2`), or waive the rule with the reason this workload cannot be replicated"),
        );
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    use crate::policy::testing::{BASE, Fixture};

    #[test]
    fn points_at_replicas_or_the_autoscaler_minimum() {
        assert_eq!(Fixture::new(BASE).check(&RULE), Vec::<String>::new());
        let base = BASE.replace("    replicas: 3\n", "    replicas: 1\n");
        assert_eq!(
            Fixture::new(&base).check(&RULE),
            ["platform.yaml:26:15 `StatefulSet/shop/db` runs 1 replica: one failure takes it down"]
        );
        let base = BASE.replace(
            "    replicas: 2\n",
            "    autoscaling: { min: 1, max: 3, cpu: 70 }\n",
        );
        assert_eq!(
            Fixture::new(&base).check(&RULE),
            ["platform.yaml:15:25 `Deployment/shop/web` runs 1 replica: one failure takes it down"]
        );
    }

    #[test]
    fn an_unset_replica_count_points_at_the_workload() {
        let base = BASE.replace("    replicas: 3\n", "");
        assert_eq!(
            Fixture::new(&base).check(&RULE),
            ["platform.yaml:17:3 `StatefulSet/shop/db` runs 1 replica: one failure takes it down"]
        );
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

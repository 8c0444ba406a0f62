//! PG4003 `missing-probes`: every long-running container that listens on a port
//! has a liveness and a readiness probe.

use crate::diagnostic::Code;
use crate::spec::RuleLevel::{Error, Warning};

use super::{Context, Finding, Rule, RuleScope, TierLevels};

pub(super) static RULE: Rule = Rule {
    code: Code::MissingProbes,
    summary: "Every long-running container that listens on a port has a liveness and a \
        readiness probe.",
    levels: TierLevels::new(Warning, Error, Error),
    rationale: "Without a readiness probe a pod receives traffic from the moment its process \
        starts, before it can answer, and keeps receiving it when it can no longer answer: \
        every rollout and every overload turns into failed requests. Without a liveness probe \
        a hung process is never restarted. Jobs and CronJobs, whose pods finish, are not \
        checked.",
    fix: "Declare `probes.liveness` and `probes.readiness` (an `http` path, `tcp: true` or an \
        `exec` command). A workload with ports gets a TCP liveness probe on its first port by \
        default, and the readiness probe defaults to the liveness probe.",
    scope: RuleScope::Objects,
    check,
};

fn check(ctx: &Context<'_>, findings: &mut Vec<Finding>) {
    for pod in ctx.pods().filter(|pod| pod.is_long_running()) {
        for container in pod.containers() {
            if container.init || !container.has_ports() {
                continue;
            }
            let missing: Vec<&str> = [
                ("livenessProbe", "liveness"),
                ("readinessProbe", "readiness"),
            ]
            .into_iter()
            .filter(|(field, _)| {
                container
                    .value
                    .get(*field)
                    .is_none_or(serde_json::Value::is_null)
            })
            .map(|(_, name)| name)
            .collect();
            if missing.is_empty() {
                continue;
            }
            let what = missing.join(" and ");
            let span = ctx.container_field(&pod, &container, &["probes"]);
            findings.push(
                Finding::new(
                    RULE.code,
                    format!("{}/{}/probes", pod.manifest.identity(), container.name),
                    format!(
                        "container `{}` in `{}` listens on a port but has no {what} probe",
                        container.name,
                        pod.manifest.identity()
                    ),
                    span,
                    format!("no {what} probe"),
                )
                .workload(ctx.owner(pod.manifest))
                .namespace(pod.manifest.key.namespace.as_deref())
                .help(format!(
                    "declare `probes.{}`",
                    missing.join("` and `probes.")
                )),
            );
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    use crate::policy::testing::{BASE, Fixture};

    #[test]
    fn containers_with_ports_need_both_probes() {
        let mut fixture = Fixture::new(BASE);
        assert_eq!(fixture.check(&RULE), Vec::<String>::new());
        fixture.remove(
            "Deployment/shop/web",
            "/spec/template/spec/containers/0/readinessProbe",
        );
        assert_eq!(
            fixture.check(&RULE),
            [
                "platform.yaml:7:3 container `web` in `Deployment/shop/web` listens on a port but has no readiness probe"
            ]
        );
    }

    #[test]
    fn explicit_probes_point_at_the_probes_key() {
        let base = BASE.replace(
            "    replicas: 2\n",
            "    replicas: 2\n    probes:\n      liveness: { exec: [true] }\n",
        );
        let mut fixture = Fixture::new(&base);
        fixture.remove(
            "Deployment/shop/web",
            "/spec/template/spec/containers/0/livenessProbe",
        );
        fixture.remove(
            "Deployment/shop/web",
            "/spec/template/spec/containers/0/readinessProbe",
        );
        assert_eq!(
            fixture.check(&RULE),
            [
                "platform.yaml:16:5 container `web` in `Deployment/shop/web` listens on a port but has no liveness and readiness probe"
            ]
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

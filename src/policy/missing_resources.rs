//! PG4002 `missing-resources`: every container has CPU and memory requests and
//! limits.

use crate::diagnostic::Code;
use crate::spec::RuleLevel::{Error, Warning};

use super::{Context, Finding, Rule, RuleScope, TierLevels};

pub(super) static RULE: Rule = Rule {
    code: Code::MissingResources,
    summary: "Every container has CPU and memory requests and limits.",
    levels: TierLevels::new(Warning, Error, Error),
    rationale: "Without requests the scheduler places pods blind and packs a node until it \
        runs out; without a memory limit one leaking container can push a node into memory \
        pressure and get its neighbours evicted; without a CPU limit a busy pod starves the \
        others on its node. Requests equal to what a service needs and limits above them also \
        give the pod a predictable Quality of Service class.",
    fix: "Set `resources.requests` and `resources.limits`, each with `cpu` and `memory`.",
    scope: RuleScope::Objects,
    check,
};

const AMOUNTS: [(&str, &str); 4] = [
    ("requests", "cpu"),
    ("requests", "memory"),
    ("limits", "cpu"),
    ("limits", "memory"),
];

fn check(ctx: &Context<'_>, findings: &mut Vec<Finding>) {
    for pod in ctx.pods() {
        for container in pod.containers() {
            let missing: Vec<String> = AMOUNTS
                .iter()
                .filter(|(kind, resource)| {
                    container
                        .value
                        .get("resources")
                        .and_then(|r| r.get(*kind))
                        .and_then(|r| r.get(*resource))
                        .is_none_or(serde_json::Value::is_null)
                })
                .map(|(kind, resource)| format!("`{kind}.{resource}`"))
                .collect();
            if missing.is_empty() {
                continue;
            }
            let span = ctx.container_field(&pod, &container, &["resources"]);
            findings.push(
                Finding::new(
                    RULE.code,
                    format!("{}/{}/resources", pod.manifest.identity(), container.name),
                    format!(
                        "container `{}` in `{}` has no {}",
                        container.name,
                        pod.manifest.identity(),
                        missing.join(", ")
                    ),
                    span,
                    format!("missing {}", missing.join(", ")),
                )
                .workload(ctx.owner(pod.manifest))
                .namespace(pod.manifest.key.namespace.as_deref())
                .help(
                    "set `resources.requests` and `resources.limits`, each with `cpu` and `memory`",
                ),
            );
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    use crate::policy::testing::{BASE, Fixture};

    #[test]
    fn reports_each_missing_amount() {
        let mut fixture = Fixture::new(BASE);
        assert_eq!(fixture.check(&RULE), Vec::<String>::new());
        fixture
            .remove(
                "Deployment/shop/web",
                "/spec/template/spec/containers/0/resources/limits",
            )
            .remove(
                "StatefulSet/shop/db",
                "/spec/template/spec/containers/0/resources/requests/cpu",
            );
        assert_eq!(
            fixture.check(&RULE),
            [
                "platform.yaml:12:5 container `web` in `Deployment/shop/web` has no `limits.cpu`, `limits.memory`",
                "platform.yaml:23:5 container `db` in `StatefulSet/shop/db` has no `requests.cpu`",
            ]
        );
    }
}

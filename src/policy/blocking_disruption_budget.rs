//! PG4011 `blocking-disruption-budget`: no PodDisruptionBudget forbids every
//! eviction. The analyzer rejects such a spec (PG3006); this rule checks the
//! rendered objects, whatever produced them.

use serde_json::Value;

use crate::diagnostic::Code;
use crate::object::Manifest;
use crate::spec::RuleLevel::Error;

use super::pod::{Pod, selects};
use super::replica_count::replicas;
use super::{Context, Finding, ReplicaCount, Rule, RuleScope, TierLevels};

pub(super) static RULE: Rule = Rule {
    code: Code::BlockingDisruptionBudget,
    summary: "No PodDisruptionBudget forbids every eviction (`maxUnavailable: 0`, or \
        `minAvailable` at or above the replica count).",
    levels: TierLevels::new(Error, Error, Error),
    rationale: "A budget that never allows an eviction blocks every node drain: cluster \
        upgrades, node pool rotations and the cluster autoscaler stall on it until someone \
        deletes the budget by hand. The spec analyzer already rejects such a budget (PG3006); \
        this rule guards the rendered objects too, whatever produced them.",
    fix: "Keep at least one pod evictable: `disruptionBudget.maxUnavailable: 1`, or a \
        `minAvailable` below the (minimum) replica count.",
    scope: RuleScope::Objects,
    check,
};

fn check(ctx: &Context<'_>, findings: &mut Vec<Finding>) {
    for budget in ctx.objects("PodDisruptionBudget") {
        let spec = budget.value.get("spec");
        let field = |name: &str| spec.and_then(|s| s.get(name));
        let blocking = if let Some(max) = field("maxUnavailable") {
            is_zero(max).then(|| {
                (
                    "maxUnavailable",
                    describe(max),
                    "no pod may ever be evicted".to_owned(),
                )
            })
        } else if let Some(min) = field("minAvailable") {
            blocking_min(ctx, budget, min).map(|label| ("minAvailable", describe(min), label))
        } else {
            None
        };
        let Some((name, value, label)) = blocking else {
            continue;
        };
        findings.push(
            Finding::new(
                RULE.code,
                format!("{}/{name}", budget.identity()),
                format!("`{}` can never allow an eviction", budget.identity()),
                ctx.workload_field(budget, &["disruptionBudget", name]),
                format!("`{name}: {value}` {label}"),
            )
            .workload(ctx.owner(budget))
            .namespace(budget.key.namespace.as_deref())
            .help("keep at least one pod evictable, e.g. `disruptionBudget.maxUnavailable: 1`"),
        );
    }
}

/// Why `minAvailable` blocks every eviction of the pods `budget` selects, if
/// it does: a percentage of 100, or a count at or above their replicas.
fn blocking_min(ctx: &Context<'_>, budget: &Manifest, min: &Value) -> Option<String> {
    if min.as_str() == Some("100%") {
        return Some("keeps every pod up".to_owned());
    }
    let min = min.as_u64()?;
    let selector = crate::object::path::at(&budget.value, &["spec", "selector"])?;
    let count = ctx
        .pods()
        .filter(Pod::is_replicated)
        .filter(|pod| {
            pod.manifest.key.namespace == budget.key.namespace && selects(selector, pod.labels())
        })
        .map(|pod| ReplicaCount::of(ctx, pod.manifest).min)
        .min()?;
    (min >= count).then(|| format!("keeps all {} up", replicas(count)))
}

fn is_zero(value: &Value) -> bool {
    value.as_u64() == Some(0) || value.as_str() == Some("0%")
}

fn describe(value: &Value) -> String {
    match value {
        Value::String(text) => text.clone(),
        other => other.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    use crate::policy::testing::{BASE, Fixture};
    use serde_json::json;

    #[test]
    fn budgets_that_allow_no_eviction_are_reported() {
        let mut fixture = Fixture::new(BASE);
        assert_eq!(fixture.check(&RULE), Vec::<String>::new());
        fixture.set(
            "PodDisruptionBudget/shop/web",
            "/spec/maxUnavailable",
            json!(0),
        );
        fixture.remove("PodDisruptionBudget/shop/db", "/spec/maxUnavailable");
        fixture.set(
            "PodDisruptionBudget/shop/db",
            "/spec/minAvailable",
            json!(3),
        );
        assert_eq!(
            fixture.check(&RULE),
            [
                "platform.yaml:17:3 `PodDisruptionBudget/shop/db` can never allow an eviction",
                "platform.yaml:7:3 `PodDisruptionBudget/shop/web` can never allow an eviction",
            ]
        );
    }

    #[test]
    fn a_minimum_below_the_replicas_allows_evictions() {
        let base = BASE.replace(
            "    replicas: 3\n",
            "    replicas: 3\n    disruptionBudget: { minAvailable: 2 }\n",
        );
        assert_eq!(Fixture::new(&base).check(&RULE), Vec::<String>::new());
    }
}

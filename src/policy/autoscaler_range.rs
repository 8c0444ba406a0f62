//! PG4010 `autoscaler-range`: every HorizontalPodAutoscaler's `maxReplicas` is
//! at least its `minReplicas`. The analyzer rejects such a spec (PG3004); this
//! rule checks the rendered objects, whatever produced them.

use serde_json::Value;

use crate::diagnostic::Code;
use crate::spec::RuleLevel::Error;

use super::{Context, Finding, Rule, RuleScope, TierLevels};

pub(super) static RULE: Rule = Rule {
    code: Code::AutoscalerRange,
    summary: "Every HorizontalPodAutoscaler has `maxReplicas` >= `minReplicas`.",
    levels: TierLevels::new(Error, Error, Error),
    rationale: "An autoscaler whose maximum is below its minimum is rejected by the API \
        server, so the whole sync fails; an older controller would pin the workload at an \
        arbitrary count. The spec analyzer already rejects `autoscaling.min` above `max` \
        (PG3004); this rule guards the rendered objects too, whatever produced them.",
    fix: "Set `autoscaling.max` to at least `autoscaling.min`.",
    scope: RuleScope::Objects,
    check,
};

fn check(ctx: &Context<'_>, findings: &mut Vec<Finding>) {
    for hpa in ctx.objects("HorizontalPodAutoscaler") {
        let number =
            |keys: &[&str]| crate::object::path::at(&hpa.value, keys).and_then(Value::as_u64);
        let min = number(&["spec", "minReplicas"]).unwrap_or(1);
        let Some(max) = number(&["spec", "maxReplicas"]) else {
            continue;
        };
        if max >= min {
            continue;
        }
        findings.push(
            Finding::new(
                RULE.code,
                format!("{}/range", hpa.identity()),
                format!(
                    "`{}` scales to at most {max} but at least {min} replicas",
                    hpa.identity()
                ),
                ctx.workload_field(hpa, &["autoscaling", "max"]),
                format!("`maxReplicas: {max}` is below `minReplicas: {min}`"),
            )
            .workload(ctx.owner(hpa))
            .namespace(hpa.key.namespace.as_deref())
            .help("set `autoscaling.max` to at least `autoscaling.min`"),
        );
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    use crate::policy::testing::{BASE, Fixture};
    use serde_json::json;

    #[test]
    fn max_below_min_is_reported_at_autoscaling_max() {
        let base = BASE.replace(
            "    replicas: 2\n",
            "    autoscaling: { min: 2, max: 4, cpu: 70 }\n",
        );
        let mut fixture = Fixture::new(&base);
        assert_eq!(fixture.check(&RULE), Vec::<String>::new());
        fixture.set(
            "HorizontalPodAutoscaler/shop/web",
            "/spec/maxReplicas",
            json!(1),
        );
        assert_eq!(
            fixture.check(&RULE),
            [
                "platform.yaml:15:33 `HorizontalPodAutoscaler/shop/web` scales to at most 1 but at least 2 replicas"
            ]
        );
    }
}

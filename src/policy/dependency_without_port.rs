//! PG4012 `dependency-without-port`: every `uses` edge ends at a workload that
//! declares a port.

use crate::diagnostic::Code;
use crate::spec::RuleLevel::Error;

use super::{Context, Finding, Rule, RuleScope, TierLevels};

pub(super) static RULE: Rule = Rule {
    code: Code::DependencyWithoutPort,
    summary: "Every workload named in `uses` declares at least one port.",
    levels: TierLevels::new(Error, Error, Error),
    rationale: "`A uses B` means A connects to B, and network policies open exactly A → B on \
        B's ports. A dependency without ports opens nothing, so the connection A needs is \
        denied at run time; usually a port was forgotten, or the dependency is really the \
        other way round (B consumes from A). The spec analyzer already rejects such a spec \
        (PG3026); this rule guards the resolved model too.",
    fix: "Declare the port the dependency listens on under its `ports`, or remove the entry \
        from `uses` if nothing connects to it.",
    scope: RuleScope::Platform,
    check,
};

fn check(ctx: &Context<'_>, findings: &mut Vec<Finding>) {
    for workload in &ctx.model.workloads {
        for (index, dependency) in workload.uses.iter().enumerate() {
            let Some(target) = ctx.model.workload(dependency) else {
                continue;
            };
            if !target.ports.is_empty() {
                continue;
            }
            let index = index.to_string();
            let span = ctx
                .written(&["workloads", &workload.name, "uses", &index])
                .unwrap_or(workload.origin);
            findings.push(
                Finding::new(
                    RULE.code,
                    format!("{}/uses/{dependency}", workload.name),
                    format!(
                        "`{}` uses `{dependency}`, which declares no port",
                        workload.name
                    ),
                    span,
                    "nothing to connect to",
                )
                .workload(Some(&workload.name))
                .namespace(Some(&workload.namespace))
                .secondary(target.origin, "declares no `ports`")
                .help(format!(
                    "declare the port `{dependency}` listens on under its `ports`, or remove it from `uses`"
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
    fn uses_of_a_portless_workload_are_reported() {
        let mut fixture = Fixture::new(BASE);
        assert_eq!(fixture.check(&RULE), Vec::<String>::new());
        // The analyzer may reject this spec itself; the rule guards the model.
        let mut model = fixture.compilation.model.clone().expect("compiled");
        model.workloads[1].ports.clear();
        fixture.compilation.model = Some(model);
        assert_eq!(
            fixture.check(&RULE),
            ["platform.yaml:16:12 `web` uses `db`, which declares no port"]
        );
    }
}

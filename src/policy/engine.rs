//! The policy engine: runs every rule for one environment, gives each finding
//! the level of its rule in this tier (or the spec's override), and matches
//! waivers. Owns the meaning of `policy.rules` and `policy.waivers`; checking
//! their shape (known rules, non-empty reasons) is the analyzer's.

use crate::diagnostic::{Code, Diagnostic, Severity, suggestion};
use crate::merge;
use crate::model::PlatformModel;
use crate::object::Manifest;
use crate::spec::{PolicySpec, RuleLevel, Tier, Waiver};
use crate::yaml::Node;

use super::{Context, Finding, PolicyReport, RULES, Rule, Suppression, find_rule};

/// Runs the policy rules over one compiled environment.
pub fn check(
    model: &PlatformModel,
    manifests: &[Manifest],
    tree: &Node,
    policy: &PolicySpec,
) -> PolicyReport {
    let ctx = Context::new(model, manifests, tree);
    let waivers: Vec<(&Waiver, Option<&Rule>)> = policy
        .waivers
        .iter()
        .map(|waiver| (waiver, find_rule(&waiver.rule)))
        .collect();
    let waiver_span =
        |index: usize| merge::value_span(tree, &["policy", "waivers", &index.to_string(), "rule"]);
    let mut used = vec![false; waivers.len()];
    let mut findings = Vec::new();
    for rule in RULES {
        let level = level(rule, model.tier, policy);
        let mut found = Vec::new();
        (rule.check)(&ctx, &mut found);
        for mut finding in found {
            if let Some(index) = waivers.iter().position(|(waiver, waived)| {
                waived.is_some_and(|w| w.code == rule.code) && covers(waiver, &finding)
            }) {
                used[index] = true;
                finding.suppression = Some(Suppression {
                    reason: waivers[index].0.reason.trim().to_owned(),
                    span: waiver_span(index),
                });
            }
            finding.diagnostic.severity = match level {
                RuleLevel::Off => continue,
                RuleLevel::Warning => Severity::Warning,
                RuleLevel::Error => Severity::Error,
            };
            findings.push(finding);
        }
    }
    findings.sort_by(|a, b| {
        (a.diagnostic.sort_key(), &a.subject).cmp(&(b.diagnostic.sort_key(), &b.subject))
    });
    findings.dedup();

    let mut report = PolicyReport {
        findings,
        ..PolicyReport::default()
    };
    for (index, (waiver, rule)) in waivers.iter().enumerate() {
        // A waiver of an unknown rule is the analyzer's error (PG4901).
        let Some(rule) = rule else { continue };
        if used[index] {
            report.used_waivers.push(waiver_span(index));
        } else {
            report
                .unused_waivers
                .push(unused(&ctx, waiver, rule, waiver_span(index)));
        }
    }
    report
}

/// The level of `rule` in `tier`: the spec's override when it names the rule
/// (by id or name; the last one written wins), else the rule's default.
fn level(rule: &Rule, tier: Tier, policy: &PolicySpec) -> RuleLevel {
    policy
        .rules
        .iter()
        .rev()
        .find(|(name, _)| find_rule(name).is_some_and(|r| r.code == rule.code))
        .map_or_else(|| rule.levels.get(tier), |(_, level)| *level)
}

fn covers(waiver: &Waiver, finding: &Finding) -> bool {
    let matches =
        |wanted: &Option<String>, actual: &Option<String>| wanted.is_none() || wanted == actual;
    matches(&waiver.workload, &finding.workload) && matches(&waiver.namespace, &finding.namespace)
}

fn unused(
    ctx: &Context<'_>,
    waiver: &Waiver,
    rule: &Rule,
    span: crate::source::Span,
) -> Diagnostic {
    let target = match (&waiver.workload, &waiver.namespace) {
        (Some(workload), _) => format!(" for `{workload}`"),
        (None, Some(namespace)) => format!(" in namespace `{namespace}`"),
        (None, None) => String::new(),
    };
    let mut diagnostic = Diagnostic::warning(
        Code::UnusedWaiver,
        format!(
            "waiver of `{}` ({}){target} matches no finding",
            rule.id(),
            rule.name()
        ),
    )
    .at(span, "unused waiver")
    .with_help("remove the waiver: a stale waiver would hide the next real problem");
    if let Some(workload) = &waiver.workload {
        let names = ctx
            .model
            .workloads
            .iter()
            .map(|w| w.name.as_str())
            .chain(ctx.manifests.iter().map(|m| m.key.name.as_str()));
        if !names.clone().any(|name| name == workload) {
            diagnostic = diagnostic
                .with_note(format!(
                    "no workload `{workload}` runs in environment `{}`",
                    ctx.model.environment
                ))
                .with_help_opt(suggestion::did_you_mean(workload, names));
        }
    }
    diagnostic
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::policy::testing::{BASE, Fixture};

    /// BASE with a single-replica `db` and `policy` appended.
    fn platform(policy: &str) -> String {
        format!(
            "{}{policy}",
            BASE.replace("    replicas: 3\n", "    replicas: 1\n")
        )
    }

    fn run(base: &str, environment: &str, overlay: &str) -> PolicyReport {
        let fixture = Fixture::with(base, environment, overlay);
        let compilation = &fixture.compilation;
        check(
            compilation.model.as_ref().expect("compiled"),
            &fixture.manifests,
            compilation.tree.as_ref().expect("compiled"),
            &compilation.spec.as_ref().expect("compiled").policy,
        )
    }

    /// `(code, severity, suppressed)` of the findings of rule PG4005.
    fn single_replica(report: &PolicyReport) -> Vec<(Severity, bool)> {
        report
            .findings
            .iter()
            .filter(|f| f.code() == Code::SingleReplica)
            .map(|f| (f.severity(), f.is_suppressed()))
            .collect()
    }

    #[test]
    fn levels_follow_the_tier() {
        let base = platform("");
        let report = run(&base, "prod", "{}\n");
        assert_eq!(single_replica(&report), [(Severity::Error, false)]);
        let report = run(&base, "staging", "{}\n");
        assert_eq!(single_replica(&report), [(Severity::Warning, false)]);
        assert_eq!(single_replica(&run(&base, "dev", "{}\n")), []);
    }

    #[test]
    fn overrides_change_the_level_by_id_or_name() {
        let base = platform("policy:\n  rules:\n    single-replica: error\n");
        assert_eq!(
            single_replica(&run(&base, "dev", "{}\n")),
            [(Severity::Error, false)]
        );
        let overlay = "policy:\n  rules:\n    PG4005: off\n";
        assert_eq!(single_replica(&run(&base, "prod", overlay)), []);
    }

    #[test]
    fn a_waiver_suppresses_its_findings_with_the_reason() {
        let base = platform(
            "policy:\n  waivers:\n    - { rule: single-replica, workload: db, reason: \" single primary \" }\n",
        );
        let report = run(&base, "prod", "{}\n");
        assert_eq!(single_replica(&report), [(Severity::Error, true)]);
        let finding = report
            .findings
            .iter()
            .find(|f| f.code() == Code::SingleReplica)
            .expect("a finding");
        let suppression = finding.suppression.as_ref().expect("suppressed");
        assert_eq!(suppression.reason, "single primary");
        assert_eq!(report.used_waivers, [suppression.span]);
        assert!(report.unused_waivers.is_empty());
    }

    #[test]
    fn a_waiver_of_a_rule_that_is_off_is_still_used() {
        let base = platform(
            "policy:\n  waivers:\n    - { rule: PG4005, workload: db, reason: single primary }\n",
        );
        let report = run(&base, "dev", "{}\n");
        assert_eq!(single_replica(&report), []);
        assert_eq!(report.used_waivers.len(), 1);
        assert!(report.unused_waivers.is_empty());
    }

    #[test]
    fn waivers_match_by_workload_and_namespace() {
        for (waiver, suppressed) in [
            ("{ rule: PG4005, reason: r }", true),
            ("{ rule: PG4005, namespace: shop, reason: r }", true),
            (
                "{ rule: PG4005, workload: db, namespace: shop, reason: r }",
                true,
            ),
            ("{ rule: PG4005, workload: web, reason: r }", false),
            ("{ rule: PG4005, namespace: other, reason: r }", false),
            ("{ rule: PG4001, workload: db, reason: r }", false),
        ] {
            let base = platform(&format!("policy:\n  waivers:\n    - {waiver}\n"));
            let report = run(&base, "prod", "{}\n");
            assert_eq!(
                single_replica(&report),
                [(Severity::Error, suppressed)],
                "{waiver}"
            );
            assert_eq!(
                report.unused_waivers.len(),
                usize::from(!suppressed),
                "{waiver}"
            );
        }
    }

    #[test]
    fn an_unused_waiver_is_a_warning_with_a_suggestion() {
        let base = platform(
            "policy:\n  waivers:\n    - { rule: PG4005, workload: dbb, reason: single primary }\n",
        );
        let report = run(&base, "prod", "{}\n");
        let [warning] = report.unused_waivers.as_slice() else {
            panic!("one unused waiver: {:?}", report.unused_waivers);
        };
        assert_eq!(warning.code, Code::UnusedWaiver);
        assert_eq!(warning.severity, Severity::Warning);
        assert_eq!(
            warning.message,
            "waiver of `PG4005` (single-replica) for `dbb` matches no finding"
        );
        assert_eq!(warning.help.as_deref(), Some("did you mean `db`?"));
        assert_eq!(
            warning.notes,
            ["no workload `dbb` runs in environment `prod`"]
        );
    }
}

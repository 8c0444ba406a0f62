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

use super::context::{OriginIndex, Origins, origins};
use super::{Context, Finding, PolicyReport, Rule, RuleScope, Suppression, find_rule};

/// Runs `rules` (in code order: `capabilities::rules`) over one compiled
/// environment.
pub fn check(
    rules: &[&'static Rule],
    model: &PlatformModel,
    manifests: &[Manifest],
    tree: &Node,
    policy: &PolicySpec,
) -> PolicyReport {
    let mut run = PolicyRun::new(rules, model, tree, policy);
    run.check_objects(&manifests.iter().collect::<Vec<_>>());
    run.finish(manifests.iter().map(|m| m.key.name.as_str()))
}

/// The policy rules of one environment, run over its objects a part at a
/// time: [`PolicyRun::check_objects`] for each part (each workload's objects
/// with the platform-wide ones, see `lower::lower_visiting`), then
/// [`PolicyRun::finish`]. A finding about a platform-wide object comes from
/// every part and is reported once.
pub struct PolicyRun<'m> {
    rules: &'m [&'static Rule],
    model: &'m PlatformModel,
    tree: &'m Node,
    policy: &'m PolicySpec,
    origins: Origins<'m>,
    waivers: Vec<(&'m Waiver, Option<&'static Rule>)>,
    used: Vec<bool>,
    findings: Vec<Finding>,
    /// Whether the rules of [`RuleScope::Platform`] have run.
    platform_checked: bool,
}

impl<'m> PolicyRun<'m> {
    /// A run of `rules` (in code order: `capabilities::rules`).
    pub fn new(
        rules: &'m [&'static Rule],
        model: &'m PlatformModel,
        tree: &'m Node,
        policy: &'m PolicySpec,
    ) -> Self {
        let waivers: Vec<_> = policy
            .waivers
            .iter()
            .map(|waiver| (waiver, find_rule(rules, &waiver.rule)))
            .collect();
        Self {
            rules,
            model,
            tree,
            policy,
            origins: origins(model),
            used: vec![false; waivers.len()],
            waivers,
            findings: Vec::new(),
            platform_checked: false,
        }
    }

    /// Whether the policy waives any finding: [`PolicyRun::finish`] then
    /// needs the names of the objects, for the suggestions of waivers that
    /// match none.
    pub fn has_waivers(&self) -> bool {
        !self.waivers.is_empty()
    }

    /// Runs the rules over `objects`, in apply order.
    pub fn check_objects(&mut self, objects: &[&Manifest]) {
        let ctx = Context::over(
            self.model,
            objects.to_vec(),
            self.tree,
            OriginIndex::Shared(&self.origins),
        );
        for rule in self.rules {
            if rule.scope == RuleScope::Platform && self.platform_checked {
                continue;
            }
            let level = level(self.rules, rule, self.model.tier, self.policy);
            let mut found = Vec::new();
            (rule.check)(&ctx, &mut found);
            for mut finding in found {
                if let Some(index) = self.waivers.iter().position(|(waiver, waived)| {
                    waived.is_some_and(|w| w.code == rule.code) && covers(waiver, &finding)
                }) {
                    self.used[index] = true;
                    finding.suppression = Some(Suppression {
                        reason: self.waivers[index].0.reason.trim().to_owned(),
                        span: waiver_span(self.tree, index),
                    });
                }
                finding.diagnostic.severity = match level {
                    RuleLevel::Off => continue,
                    RuleLevel::Warning => Severity::Warning,
                    RuleLevel::Error => Severity::Error,
                };
                self.findings.push(finding);
            }
        }
        self.platform_checked = true;
    }

    /// The report, with the waivers no finding used; `object_names` are the
    /// names of every object checked, for their suggestions.
    pub fn finish<'n>(self, object_names: impl Iterator<Item = &'n str> + Clone) -> PolicyReport
    where
        'm: 'n,
    {
        let mut findings = self.findings;
        findings.sort_by(|a, b| {
            (a.diagnostic.sort_key(), &a.subject).cmp(&(b.diagnostic.sort_key(), &b.subject))
        });
        findings.dedup();

        let mut report = PolicyReport {
            findings,
            ..PolicyReport::default()
        };
        for (index, (waiver, rule)) in self.waivers.iter().enumerate() {
            // A waiver of an unknown rule is the analyzer's error (PG4901).
            let Some(rule) = rule else { continue };
            let span = waiver_span(self.tree, index);
            if self.used[index] {
                report.used_waivers.push(span);
            } else {
                report.unused_waivers.push(unused(
                    self.model,
                    object_names.clone(),
                    waiver,
                    rule,
                    span,
                ));
            }
        }
        report
    }
}

fn waiver_span(tree: &Node, index: usize) -> crate::source::Span {
    merge::value_span(tree, &["policy", "waivers", &index.to_string(), "rule"])
}

/// The level of `rule` in `tier`: the spec's override when it names the rule
/// (by id or name; the last one written wins), else the rule's default.
fn level(rules: &[&Rule], rule: &Rule, tier: Tier, policy: &PolicySpec) -> RuleLevel {
    policy
        .rules
        .iter()
        .rev()
        .find(|(name, _)| find_rule(rules, name).is_some_and(|r| r.code == rule.code))
        .map_or_else(|| rule.levels.get(tier), |(_, level)| *level)
}

fn covers(waiver: &Waiver, finding: &Finding) -> bool {
    let matches =
        |wanted: &Option<String>, actual: &Option<String>| wanted.is_none() || wanted == actual;
    matches(&waiver.workload, &finding.workload) && matches(&waiver.namespace, &finding.namespace)
}

fn unused<'n>(
    model: &'n PlatformModel,
    object_names: impl Iterator<Item = &'n str> + Clone,
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
        let names = model
            .workloads
            .iter()
            .map(|w| w.name.as_str())
            .chain(object_names);
        if !names.clone().any(|name| name == workload) {
            diagnostic = diagnostic
                .with_note(format!(
                    "no workload `{workload}` runs in environment `{}`",
                    model.environment
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
            &crate::capabilities::rules(),
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

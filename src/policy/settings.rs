//! The spec's `policy` section: every waiver and rule override names a policy
//! rule, and every waiver says why. Checked here, with the rest of the spec, so
//! `render` rejects a malformed policy section as `check` does; what waivers and
//! overrides mean is this module's. The pipeline runs it after analysis.

use crate::diagnostic::{Code, Diagnostic, Diagnostics, suggestion};
use crate::merge::{key_span, value_span};
use crate::policy::{Rule, find_rule};
use crate::spec::PlatformSpec;
use crate::yaml::Node;

/// Checks the `policy` section of `spec` (deserialized from `tree`) against
/// the known `rules` (`capabilities::rules`).
pub fn check_settings(rules: &[&Rule], spec: &PlatformSpec, tree: &Node) -> Diagnostics {
    let mut diagnostics = Diagnostics::default();
    let policy = &spec.policy;
    for (index, waiver) in policy.waivers.iter().enumerate() {
        let index = index.to_string();
        if find_rule(rules, &waiver.rule).is_none() {
            let span = value_span(tree, &["policy", "waivers", &index, "rule"]);
            diagnostics.push(unknown_rule(rules, &waiver.rule, span));
        }
        if waiver.reason.trim().is_empty() {
            let span = value_span(tree, &["policy", "waivers", &index, "reason"]);
            diagnostics.push(
                Diagnostic::error(Code::InvalidValue, "a waiver needs a reason")
                    .at(span, "empty reason")
                    .with_help("say why the exception is acceptable, for reviewers and auditors"),
            );
        }
    }
    for name in policy.rules.keys() {
        if find_rule(rules, name).is_none() {
            let span = key_span(tree, &["policy", "rules", name]);
            diagnostics.push(unknown_rule(rules, name, span));
        }
    }
    diagnostics
}

fn unknown_rule(rules: &[&Rule], name: &str, span: crate::source::Span) -> Diagnostic {
    let candidates = rules.iter().flat_map(|rule| [rule.id(), rule.name()]);
    Diagnostic::error(Code::UnknownRule, format!("unknown policy rule `{name}`"))
        .at(span, "no rule has this id or name")
        .with_help_opt(suggestion::did_you_mean(name, candidates))
        .with_note("`platformgen codes` lists the rules: PG4001 and up")
}

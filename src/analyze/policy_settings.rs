//! The spec's `policy` section: every waiver and rule override names a policy
//! rule, and every waiver says why. Checked here, with the rest of the spec, so
//! `render` rejects a malformed policy section as `check` does; what waivers and
//! overrides mean is `crate::policy`'s.

use crate::diagnostic::{Code, Diagnostic, suggestion};
use crate::policy::{RULES, find_rule};

use super::Context;

pub(super) fn check(ctx: &mut Context<'_>) {
    let policy = &ctx.spec.policy;
    for (index, waiver) in policy.waivers.iter().enumerate() {
        let index = index.to_string();
        if find_rule(&waiver.rule).is_none() {
            let span = ctx.value(&["policy", "waivers", &index, "rule"]);
            ctx.report(unknown_rule(&waiver.rule, span));
        }
        if waiver.reason.trim().is_empty() {
            let span = ctx.value(&["policy", "waivers", &index, "reason"]);
            ctx.report(
                Diagnostic::error(Code::InvalidValue, "a waiver needs a reason")
                    .at(span, "empty reason")
                    .with_help("say why the exception is acceptable, for reviewers and auditors"),
            );
        }
    }
    for name in policy.rules.keys() {
        if find_rule(name).is_none() {
            let span = ctx.key(&["policy", "rules", name]);
            ctx.report(unknown_rule(name, span));
        }
    }
}

fn unknown_rule(name: &str, span: crate::source::Span) -> Diagnostic {
    let candidates = RULES.iter().flat_map(|rule| [rule.id(), rule.name()]);
    Diagnostic::error(Code::UnknownRule, format!("unknown policy rule `{name}`"))
        .at(span, "no rule has this id or name")
        .with_help_opt(suggestion::did_you_mean(name, candidates))
        .with_note("`platformgen codes` lists the rules: PG4001 and up")
}

//! A workload's own `alerts`: names Prometheus accepts, unique in the
//! workload; PromQL that parses; a valid `for`; a summary. The expression is
//! parsed with `promql-parser` (docs/decisions.md) so a typo is an error at
//! its spec line, not a rule group Prometheus refuses to load after the
//! rollout.

use crate::analyze::Context;
use crate::capabilities::monitoring::spec::AlertRule;
use crate::diagnostic::{Code, Diagnostic};

use super::super::model::AlertRuleModel;

/// How long an alert's expression must hold when `for` is not written.
const DEFAULT_FOR: &str = "5m";

pub(super) fn resolve(
    ctx: &mut Context<'_>,
    workload: &str,
    rules: &[AlertRule],
    default_severity: &str,
) -> Vec<AlertRuleModel> {
    let mut resolved: Vec<AlertRuleModel> = Vec::new();
    for (index, rule) in rules.iter().enumerate() {
        let index = index.to_string();
        let path = |field: &'static str| ["workloads", workload, "alerts", index.as_str(), field];
        let mut valid = true;
        if !is_alert_name(&rule.name) {
            let span = ctx.value(&path("name"));
            ctx.report(
                Diagnostic::error(
                    Code::InvalidName,
                    format!("invalid alert name `{}`", rule.name),
                )
                .at(span, "letters, digits and `_`, not starting with a digit")
                .with_help("e.g. `HealthApiHighErrorRate`"),
            );
            valid = false;
        } else if let Some(first) = resolved.iter().position(|r| r.name == rule.name) {
            let span = ctx.value(&path("name"));
            let first = first.to_string();
            let earlier = ctx.value(&["workloads", workload, "alerts", first.as_str(), "name"]);
            ctx.report(
                Diagnostic::error(
                    Code::InvalidValue,
                    format!("alert `{}` is defined twice for `{workload}`", rule.name),
                )
                .at(span, "second definition")
                .with_secondary(earlier, "first defined here"),
            );
            valid = false;
        }
        if let Err(problem) = parse_promql(&rule.expr) {
            let span = ctx.value(&path("expr"));
            ctx.report(
                Diagnostic::error(
                    Code::InvalidPromql,
                    format!("alert `{}`: invalid PromQL", rule.name),
                )
                .at(span, first_line(&problem))
                .with_note("Prometheus would refuse to load the namespace's alert rules"),
            );
            valid = false;
        }
        let for_ = rule.for_.clone().unwrap_or_else(|| DEFAULT_FOR.to_owned());
        if rule.for_.is_some() && super::duration::checked(ctx, &path("for"), &for_).is_none() {
            valid = false;
        }
        if rule.summary.trim().is_empty() {
            let span = ctx.value(&path("summary"));
            ctx.report(
                Diagnostic::error(Code::InvalidValue, "an alert's `summary` is empty")
                    .at(span, "say what is wrong, in one line"),
            );
            valid = false;
        }
        let severity = match &rule.severity {
            Some(severity) => {
                let before = ctx.diagnostics.error_count();
                super::severity::check(ctx, &path("severity"), severity);
                valid &= ctx.diagnostics.error_count() == before;
                severity.clone()
            }
            None => default_severity.to_owned(),
        };
        if valid {
            resolved.push(AlertRuleModel {
                name: rule.name.clone(),
                expr: rule.expr.trim().to_owned(),
                for_,
                severity,
                summary: rule.summary.trim().to_owned(),
            });
        }
    }
    resolved
}

/// Prometheus's metric and label name syntax, which alert names follow.
fn is_alert_name(name: &str) -> bool {
    let mut chars = name.chars();
    chars
        .next()
        .is_some_and(|c| c.is_ascii_alphabetic() || c == '_')
        && chars.all(|c| c.is_ascii_alphanumeric() || c == '_')
}

/// Longest expression parsed. The parser and its syntax tree recurse once
/// per nesting level (`-(-(…`), and a stack overflow cannot be caught;
/// measured, twelve thousand levels still parse on a 2 MiB thread stack.
const MAX_EXPR_LEN: usize = 8192;

/// Parses `expr` as PromQL. The parser is third-party code reading user
/// text: a panic inside it is turned into an error rather than aborting the
/// compile, and an expression too long to parse safely is refused.
pub fn parse_promql(expr: &str) -> Result<(), String> {
    if expr.trim().is_empty() {
        return Err("the expression is empty".to_owned());
    }
    if expr.len() > MAX_EXPR_LEN {
        return Err(format!(
            "the expression is longer than {MAX_EXPR_LEN} bytes; split it with recording rules"
        ));
    }
    let parsed = std::panic::catch_unwind(|| promql_parser::parser::parse(expr).map(|_| ()));
    parsed.unwrap_or_else(|_| Err("the expression could not be parsed".to_owned()))
}

fn first_line(text: &str) -> &str {
    text.lines().next().unwrap_or(text)
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::ops::Add;

    #[track_caller]
    fn case(expr: &str, valid: bool) {
        assert_eq!(
            parse_promql(expr).is_ok(),
            valid,
            "{expr}: {:?}",
            parse_promql(expr)
        );
    }

    #[test]
    fn promql() {
        case("up == 0", true);
        case(
            "sum by (namespace) (rate(http_requests_total{code=~\"5..\"}[5m])) / sum by (namespace) (rate(http_requests_total[5m])) > 0.05",
            true,
        );
        case(
            "histogram_quantile(0.99, sum by (le) (rate(x_bucket[5m]))) > 1",
            true,
        );
        case("", false);
        case("sum(rate(x[5m])", false);
        case("rate(x[5x])", false);
        case("up ==", false);
        case("{", false);
        case("x[5m][5m]", false);
        case("no_such_function(up)", false);
        // Nested as deep as the length allows, without overflowing the stack.
        let deepest = format!("{}up{}", "-(".repeat(2730), ")".repeat(2730));
        assert!(deepest.len() <= MAX_EXPR_LEN);
        case(&deepest, true);
        case(&"-".repeat(MAX_EXPR_LEN - 2).add("up"), true);
        case(&"-".repeat(MAX_EXPR_LEN).add("up"), false);
    }

    #[test]
    fn alert_names() {
        assert!(is_alert_name("HealthApiDown"));
        assert!(is_alert_name("_x9"));
        assert!(!is_alert_name("9x"));
        assert!(!is_alert_name("health-api-down"));
        assert!(!is_alert_name(""));
    }
}

//! Alert severities: the label Alertmanager routes on, so a label value.

use crate::analyze::Context;
use crate::diagnostic::{Code, Diagnostic};
use crate::model::labels::is_label_value;

/// Reports `severity` at `path` unless it is a label value.
pub(super) fn check(ctx: &mut Context<'_>, path: &[&str], severity: &str) {
    if severity.is_empty() || !is_label_value(severity) {
        let span = ctx.value(path);
        ctx.report(
            Diagnostic::error(Code::InvalidValue, format!("invalid severity `{severity}`"))
                .at(
                    span,
                    "a label value: at most 63 letters, digits, `-`, `_` or `.`",
                )
                .with_help("Alertmanager routes on it: `critical`, `warning` or `info`"),
        );
    }
}

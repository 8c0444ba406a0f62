//! The text report of `diff`: for each changed resource a title line, a line
//! marked `!` per thing Kubernetes will refuse or destroy (with the remedy),
//! the secret keys that changed, and a unified diff with `---`/`+++` file lines,
//! so the output also reads well through diff viewers (`| delta`, `| less`).
//! Colored only when asked (the caller decides from the terminal, `--color`
//! and `NO_COLOR`).
//!
//! Must not decide what changed (that is `diff::diff`) or print.

use crate::diff::{Change, EnvironmentDiff, LineTag, ResourceDiff, Severity};

const RESET: &str = "\x1b[0m";
const BOLD: &str = "\x1b[1m";
const RED: &str = "\x1b[31m";
const GREEN: &str = "\x1b[32m";
const YELLOW: &str = "\x1b[33m";
const CYAN: &str = "\x1b[36m";

/// Every environment's changes; empty when nothing changed.
pub fn text_report(diffs: &[EnvironmentDiff], color: bool) -> String {
    let mut out = String::new();
    let paint = |out: &mut String, style: &str, text: &str| {
        if color {
            out.push_str(style);
            out.push_str(text);
            out.push_str(RESET);
        } else {
            out.push_str(text);
        }
        out.push('\n');
    };
    for diff in diffs {
        for resource in &diff.resources {
            if !out.is_empty() {
                out.push('\n');
            }
            paint(
                &mut out,
                BOLD,
                &format!(
                    "{}: {} {}",
                    diff.environment,
                    resource.change.as_str(),
                    resource.title()
                ),
            );
            for hazard in &resource.hazards {
                let style = if hazard.severity.fails_ci() {
                    RED
                } else {
                    YELLOW
                };
                paint(
                    &mut out,
                    style,
                    &hazard_line(hazard.severity, &hazard.reason, &hazard.remedy),
                );
            }
            for key in &resource.secret_keys {
                paint(
                    &mut out,
                    YELLOW,
                    &format!("  {}: {} (value masked)", key.path, key.change.as_str()),
                );
            }
            let (old, new) = file_names(&diff.environment, resource);
            paint(&mut out, BOLD, &format!("--- {old}"));
            paint(&mut out, BOLD, &format!("+++ {new}"));
            for hunk in &resource.hunks {
                paint(&mut out, CYAN, &hunk.header());
                for line in &hunk.lines {
                    let text = format!("{}{}", line.tag.prefix(), line.text);
                    match line.tag {
                        LineTag::Context => {
                            out.push_str(&text);
                            out.push('\n');
                        }
                        LineTag::Removed => paint(&mut out, RED, &text),
                        LineTag::Added => paint(&mut out, GREEN, &text),
                    }
                }
            }
        }
    }
    out
}

/// `  ! refused: <reason>; remedy: <remedy>`: marked so it can be found with
/// `grep '^  !'`.
fn hazard_line(severity: Severity, reason: &str, remedy: &str) -> String {
    format!("  ! {}: {reason}; remedy: {remedy}", severity.as_str())
}

/// `a/<env>/<file>` and `b/<env>/<file>`, `/dev/null` for a side that does
/// not exist, as `git diff` writes them.
fn file_names(environment: &str, resource: &ResourceDiff) -> (String, String) {
    let path = format!("{environment}/{}", resource.file_path);
    let old = match resource.change {
        Change::Added => "/dev/null".to_owned(),
        _ => format!("a/{path}"),
    };
    let new = match resource.change {
        Change::Removed => "/dev/null".to_owned(),
        _ => format!("b/{path}"),
    };
    (old, new)
}

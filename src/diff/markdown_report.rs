//! The Markdown report of `diff`, for a pull-request comment: first, when
//! there are any, a warning listing what Kubernetes will refuse or destroy
//! (so a reviewer cannot miss it under the details), then a summary table
//! with one row per environment, then per environment one collapsible
//! `<details>` section per resource holding a ```` ```diff ```` block, so a
//! large change stays a short comment until a reviewer opens a resource.
//!
//! Must not decide what changed or print. Everything a user controls that
//! lands in HTML is escaped, and code fences are longer than any run of
//! backticks in the diff, so a ConfigMap holding Markdown cannot break out.

use std::fmt::Write as _;

use crate::diff::EnvironmentDiff;

/// The report; `against` names what the render was compared with (a ref or a
/// directory), shown in the heading.
pub fn markdown_report(diffs: &[EnvironmentDiff], against: &str) -> String {
    let mut out = String::new();
    let _ = writeln!(out, "### platformgen diff against `{}`\n", code(against));
    hazard_warning(&mut out, diffs);
    out.push_str("| environment | changed | added | removed |\n");
    out.push_str("|---|--:|--:|--:|\n");
    for diff in diffs {
        let summary = diff.summary();
        let _ = writeln!(
            out,
            "| {} | {} | {} | {} |",
            html(&diff.environment),
            summary.changed,
            summary.added,
            summary.removed
        );
    }
    if diffs.iter().all(|diff| diff.resources.is_empty()) {
        out.push_str("\nNo changes.\n");
        return out;
    }
    for diff in diffs.iter().filter(|diff| !diff.resources.is_empty()) {
        let _ = writeln!(out, "\n#### {}", html(&diff.environment));
        for resource in &diff.resources {
            let _ = writeln!(
                out,
                "\n<details>\n<summary>{} <code>{}</code></summary>\n",
                resource.change.as_str(),
                html(&resource.title())
            );
            if !resource.secret_keys.is_empty() {
                out.push_str("Secret values are masked. Keys:\n\n");
                for key in &resource.secret_keys {
                    let _ = writeln!(out, "- `{}`: {}", code(&key.path), key.change.as_str());
                }
                out.push('\n');
            }
            let diff_text = resource.diff_text();
            let fence = "`".repeat(longest_backtick_run(&diff_text).max(2) + 1);
            let _ = write!(out, "{fence}diff\n{diff_text}{fence}\n\n</details>\n");
        }
    }
    out
}

/// A GitHub alert block listing every hazard, one bullet per hazard: the
/// environment, the resource, the reason and the remedy. Blocking ones
/// (refused or destructive) get a `[!WARNING]`, notices alone a `[!NOTE]`.
fn hazard_warning(out: &mut String, diffs: &[EnvironmentDiff]) {
    let hazards: Vec<_> = diffs
        .iter()
        .flat_map(|diff| {
            diff.resources.iter().flat_map(move |resource| {
                resource
                    .hazards
                    .iter()
                    .map(move |hazard| (diff, resource, hazard))
            })
        })
        .collect();
    if hazards.is_empty() {
        return;
    }
    if diffs.iter().any(EnvironmentDiff::has_failing_hazards) {
        out.push_str(
            "> [!WARNING]\n> **Kubernetes will refuse some of these changes, or they destroy data.**\n>\n",
        );
    } else {
        out.push_str("> [!NOTE]\n> **Worth knowing before this is applied.**\n>\n");
    }
    for (diff, resource, hazard) in hazards {
        let _ = writeln!(
            out,
            "> - **{}** {} <code>{}</code>: {}. Remedy: {}.",
            hazard.severity.as_str(),
            html(&diff.environment),
            html(&resource.title()),
            html(&hazard.reason),
            html(&hazard.remedy)
        );
    }
    out.push('\n');
}

/// Escapes text for HTML (inside `<summary>`, `<code>` and table cells).
fn html(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '|' => out.push_str("&#124;"),
            _ => out.push(c),
        }
    }
    out
}

/// Text inside a single-backtick code span: a backtick would end it.
fn code(text: &str) -> String {
    text.replace('`', "'")
}

fn longest_backtick_run(text: &str) -> usize {
    let (mut longest, mut run) = (0, 0);
    for c in text.chars() {
        if c == '`' {
            run += 1;
            longest = longest.max(run);
        } else {
            run = 0;
        }
    }
    longest
}

#[cfg(test)]
mod tests {
    use super::*;

    #[track_caller]
    fn case(text: &str, expected: usize) {
        assert_eq!(longest_backtick_run(text), expected, "{text:?}");
    }

    #[test]
    fn fences_outgrow_backticks_in_the_diff() {
        case("", 0);
        case("a `b` c", 1);
        case("```\n``", 3);
        case("x````", 4);
    }

    #[test]
    fn html_is_escaped() {
        assert_eq!(html("a<b>&\"|"), "a&lt;b&gt;&amp;&quot;&#124;");
        assert_eq!(code("a`b"), "a'b");
    }
}

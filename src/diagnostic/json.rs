//! Diagnostics as JSON, for `platformgen check --format json` (editors, CI bots).
//!
//! Owns the JSON shape only; it must not print, decide exit codes or depend on
//! `annotate-snippets` (the text form lives in `render.rs`). The shape is a public
//! interface: fields may be added, never renamed or removed. Every field is always
//! present (`null` when absent) so consumers need no existence checks, and objects
//! are `serde_json::Map`s, whose keys serialize sorted, so output is deterministic.
//!
//! ```json
//! {"diagnostics": [{"code": "PG3001", "name": "unknown-dependency", "severity": "error",
//!                   "message": "...", "location": {...} | null,
//!                   "labels": [{"message": "...", "primary": true, "location": {...}}],
//!                   "notes": ["..."], "help": "..." | null}],
//!  "summary": {"errors": 1, "warnings": 0}}
//! ```
//!
//! A location is `{"file", "line", "column", "endLine", "endColumn", "byteStart",
//! "byteEnd"}`: lines and columns 1-based, columns in characters, and the end
//! exclusive (the position just after the last character), as in LSP and SARIF.

use serde_json::{Value, json};

use crate::diagnostic::render::clamped_range;
use crate::diagnostic::{Diagnostic, Label, Severity};
use crate::source::{Sources, Span};

/// The report for `diagnostics`, in the order given (callers pass them sorted).
pub fn to_json(diagnostics: &[Diagnostic], sources: &Sources) -> Value {
    let errors = diagnostics.iter().filter(|d| d.is_error()).count();
    let items: Vec<Value> = diagnostics
        .iter()
        .map(|diagnostic| diagnostic_json(diagnostic, sources))
        .collect();
    json!({
        "diagnostics": items,
        "summary": { "errors": errors, "warnings": diagnostics.len() - errors },
    })
}

pub(crate) fn diagnostic_json(diagnostic: &Diagnostic, sources: &Sources) -> Value {
    let severity = match diagnostic.severity {
        Severity::Error => "error",
        Severity::Warning => "warning",
    };
    // The primary label first, so `labels[0]` is the main place when there is one.
    let labels: Vec<Value> = diagnostic
        .primary
        .iter()
        .map(|label| label_json(label, true, sources))
        .chain(
            diagnostic
                .secondary
                .iter()
                .map(|label| label_json(label, false, sources)),
        )
        .collect();
    json!({
        "code": diagnostic.code.id(),
        "name": diagnostic.code.name(),
        "severity": severity,
        "message": diagnostic.message,
        "location": diagnostic.primary.as_ref().map(|label| location(label.span, sources)),
        "labels": labels,
        "notes": diagnostic.notes,
        "help": diagnostic.help,
    })
}

fn label_json(label: &Label, primary: bool, sources: &Sources) -> Value {
    json!({
        "message": label.message,
        "primary": primary,
        "location": location(label.span, sources),
    })
}

/// The span clamped exactly as the text renderer clamps it, so `--format json`
/// and the terminal never disagree about where a problem is.
pub(crate) fn location(span: Span, sources: &Sources) -> Value {
    let file = sources.get(span.file);
    let range = clamped_range(file, span);
    let (line, column) = file.line_col(range.start);
    let (end_line, end_column) = file.line_col(range.end);
    json!({
        "file": file.path,
        "line": line,
        "column": column,
        "endLine": end_line,
        "endColumn": end_column,
        "byteStart": range.start,
        "byteEnd": range.end,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::diagnostic::Code;
    use crate::source::{FileId, SourceFile};

    fn sources() -> Sources {
        let mut sources = Sources::default();
        sources.add(SourceFile::new(
            "platform.yaml",
            "workloads:\n  api:\n    uses: [health-postgress]\n",
        ));
        sources.add(SourceFile::new(
            "environments/prod.yaml",
            "workloads:\n  api:\n    replicas: 0\n",
        ));
        sources
    }

    #[track_caller]
    fn check(diagnostics: &[Diagnostic], expected: Value) {
        let actual = to_json(diagnostics, &sources());
        assert_eq!(
            actual,
            expected,
            "\n--- actual ---\n{}",
            serde_json::to_string_pretty(&actual).unwrap_or_default()
        );
    }

    #[test]
    fn full_diagnostic_shape() {
        // `health-postgress` is bytes 29..45 of line 3.
        let diagnostic = Diagnostic::error(
            Code::UnknownDependency,
            "unknown dependency `health-postgress`",
        )
        .at(Span::new(FileId(0), 29, 45), "no workload has this name")
        .with_secondary(Span::new(FileId(1), 13, 16), "enabled here")
        .with_note("`uses` must name a workload")
        .with_help("did you mean `health-postgres`?");
        let primary = json!({
            "file": "platform.yaml",
            "line": 3, "column": 12, "endLine": 3, "endColumn": 28,
            "byteStart": 29, "byteEnd": 45,
        });
        check(
            &[diagnostic],
            json!({
                "diagnostics": [{
                    "code": "PG3001",
                    "name": "unknown-dependency",
                    "severity": "error",
                    "message": "unknown dependency `health-postgress`",
                    "location": primary,
                    "labels": [
                        { "message": "no workload has this name", "primary": true, "location": primary },
                        {
                            "message": "enabled here",
                            "primary": false,
                            "location": {
                                "file": "environments/prod.yaml",
                                "line": 2, "column": 3, "endLine": 2, "endColumn": 6,
                                "byteStart": 13, "byteEnd": 16,
                            },
                        },
                    ],
                    "notes": ["`uses` must name a workload"],
                    "help": "did you mean `health-postgres`?",
                }],
                "summary": { "errors": 1, "warnings": 0 },
            }),
        );
    }

    #[test]
    fn diagnostic_without_place_has_null_location_and_help() {
        let diagnostic = Diagnostic::warning(Code::Io, "could not remove `out/stale.yaml`");
        check(
            &[diagnostic],
            json!({
                "diagnostics": [{
                    "code": "PG1000",
                    "name": "io",
                    "severity": "warning",
                    "message": "could not remove `out/stale.yaml`",
                    "location": null,
                    "labels": [],
                    "notes": [],
                    "help": null,
                }],
                "summary": { "errors": 0, "warnings": 1 },
            }),
        );
    }

    #[test]
    fn summary_counts_and_order_is_kept() {
        let diagnostics = [
            Diagnostic::warning(Code::Io, "w"),
            Diagnostic::error(Code::MissingFile, "e1"),
            Diagnostic::error(Code::EmptyFile, "e2"),
        ];
        let value = to_json(&diagnostics, &sources());
        assert_eq!(value["summary"], json!({ "errors": 2, "warnings": 1 }));
        let messages: Vec<&Value> = (0..3)
            .map(|i| &value["diagnostics"][i]["message"])
            .collect();
        assert_eq!(messages, [&json!("w"), &json!("e1"), &json!("e2")]);
        assert_eq!(
            to_json(&[], &sources()),
            json!({ "diagnostics": [], "summary": { "errors": 0, "warnings": 0 } })
        );
    }

    #[test]
    fn spans_are_clamped_like_the_text_renderer() {
        let mut sources = Sources::default();
        sources.add(SourceFile::new("f.yaml", "é: 1\n"));
        let diagnostic = Diagnostic::error(Code::InvalidUtf8, "odd")
            .at(Span::new(FileId(0), 1, 1), "inside `é`")
            .with_secondary(Span::new(FileId(0), 4, 99), "past the end");
        let value = to_json(&[diagnostic], &sources);
        let labels = &value["diagnostics"][0]["labels"];
        assert_eq!(
            labels[0]["location"],
            json!({
                "file": "f.yaml",
                "line": 1, "column": 1, "endLine": 1, "endColumn": 1,
                "byteStart": 0, "byteEnd": 0,
            })
        );
        assert_eq!(
            labels[1]["location"],
            json!({
                "file": "f.yaml",
                "line": 1, "column": 4, "endLine": 2, "endColumn": 1,
                "byteStart": 4, "byteEnd": 6,
            })
        );
    }

    #[test]
    fn serialization_is_deterministic() {
        let diagnostic =
            Diagnostic::error(Code::UnknownDependency, "x").at(Span::new(FileId(0), 29, 45), "y");
        let text = serde_json::to_string(&to_json(&[diagnostic], &sources())).unwrap_or_default();
        assert!(
            text.starts_with(r#"{"diagnostics":[{"code":"PG3001","help":null,"labels":"#),
            "{text}"
        );
    }
}

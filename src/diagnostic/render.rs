//! Turns [`Diagnostic`]s into the rustc/cargo-style text users read in a terminal.
//!
//! This is the only importer of `annotate-snippets`: its API changes between minor
//! versions, so it is pinned and confined here. Nothing else may depend on it, and
//! this module must not decide *what* is reported (that is the stages' job) nor
//! print anything (callers choose stdout or stderr). It also owns clamping spans to
//! something displayable, because `annotate-snippets` panics on spans past the end
//! of the text or inside a multi-byte character, and a bad span must never turn a
//! helpful report into a crash.

use std::borrow::Cow;
use std::ops::Range;

use annotate_snippets::{
    Annotation, AnnotationKind, Group, Level, Renderer, Snippet, normalize_untrusted_str,
};

use crate::diagnostic::{Diagnostic, Label, Severity};
use crate::source::{FileId, SourceFile, Sources, Span};

/// How to render. `color: false` is plain ASCII text, stable enough for snapshots.
#[derive(Copy, Clone, Debug, Default, PartialEq, Eq)]
pub struct RenderOptions {
    /// Emit ANSI escape codes. Callers decide (TTY, `NO_COLOR`, `--color`).
    pub color: bool,
}

/// One diagnostic as text, without a trailing newline:
///
/// ```text
/// error[PG3001]: unknown dependency `health-postgress`
///   --> platform.yaml:42:7
///    |
/// 42 |     uses: [health-postgress]
///    |            ^^^^^^^^^^^^^^^^ no workload has this name
///    |
///    = help: did you mean `health-postgres`?
/// ```
pub fn render(diagnostic: &Diagnostic, sources: &Sources, options: RenderOptions) -> String {
    renderer(options).render(&[group(diagnostic, sources)])
}

/// Every diagnostic, separated by blank lines, then a blank line and a summary
/// (`error: found 2 errors and 1 warning`). No trailing newline; empty when there
/// is nothing to report.
pub fn render_all(diagnostics: &[Diagnostic], sources: &Sources, options: RenderOptions) -> String {
    let mut blocks: Vec<String> = diagnostics
        .iter()
        .map(|diagnostic| render(diagnostic, sources, options))
        .collect();
    let errors = diagnostics.iter().filter(|d| d.is_error()).count();
    let warnings = diagnostics.len() - errors;
    if let Some((severity, text)) = summary(errors, warnings) {
        // Rendered through the same renderer so the `error:` prefix is colored
        // exactly like the diagnostics above it.
        let title = level(severity).primary_title(text);
        blocks.push(renderer(options).render(&[Group::with_title(title)]));
    }
    blocks.join("\n\n")
}

/// The summary line's severity and text, or `None` when there is nothing to count.
fn summary(errors: usize, warnings: usize) -> Option<(Severity, String)> {
    let count = |n: usize, what: &str| {
        let plural = if n == 1 { "" } else { "s" };
        format!("{n} {what}{plural}")
    };
    match (errors, warnings) {
        (0, 0) => None,
        (0, w) => Some((Severity::Warning, format!("found {}", count(w, "warning")))),
        (e, 0) => Some((Severity::Error, format!("found {}", count(e, "error")))),
        (e, w) => Some((
            Severity::Error,
            format!("found {} and {}", count(e, "error"), count(w, "warning")),
        )),
    }
}

/// The byte range of `span` clamped into `file`: inside the text and on char
/// boundaries (the start rounded down, the end rounded up, so a span into the
/// middle of `é` covers the whole `é`; a zero-width span stays zero-width).
/// Shared with `json.rs` so both outputs report the same place.
pub(crate) fn clamped_range(file: &SourceFile, span: Span) -> Range<usize> {
    let text = file.text.as_str();
    let raw = span.range();
    // Both loops stop: 0 and `text.len()` are char boundaries.
    let mut start = raw.start.min(text.len());
    while !text.is_char_boundary(start) {
        start -= 1;
    }
    if raw.end <= raw.start {
        return start..start;
    }
    let mut end = raw.end.min(text.len());
    while !text.is_char_boundary(end) {
        end += 1;
    }
    start..end
}

/// [`clamped_range`] without trailing line breaks. A YAML block scalar's span ends
/// after its final newline, which would otherwise draw a multi-line bracket
/// reaching down to column 1 of the next key, wrongly suggesting that key is part
/// of the problem. Only the drawing is trimmed; positions stay exact in JSON.
fn display_range(file: &SourceFile, span: Span) -> Range<usize> {
    let Range { start, mut end } = clamped_range(file, span);
    let bytes = file.text.as_bytes();
    while end > start && matches!(bytes[end - 1], b'\n' | b'\r') {
        end -= 1;
    }
    start..end
}

fn renderer(options: RenderOptions) -> Renderer {
    if options.color {
        Renderer::styled()
    } else {
        Renderer::plain()
    }
}

fn level(severity: Severity) -> Level<'static> {
    match severity {
        Severity::Error => Level::ERROR,
        Severity::Warning => Level::WARNING,
    }
}

/// The whole diagnostic as one `annotate-snippets` group: title, one snippet per
/// file (the primary label's file first), then notes and help.
fn group<'a>(diagnostic: &'a Diagnostic, sources: &'a Sources) -> Group<'a> {
    let title = level(diagnostic.severity)
        .primary_title(diagnostic.message.as_str())
        .id(diagnostic.code.id());
    let mut group = Group::with_title(title);

    // Labels grouped by file, files in order of first appearance, so that the
    // primary's file comes first and output does not depend on hashing.
    let labels = diagnostic
        .primary
        .iter()
        .map(|label| (label, AnnotationKind::Primary))
        .chain(
            diagnostic
                .secondary
                .iter()
                .map(|label| (label, AnnotationKind::Context)),
        );
    let mut files: Vec<(FileId, Vec<(&Label, AnnotationKind)>)> = Vec::new();
    for (label, kind) in labels {
        match files.iter_mut().find(|(file, _)| *file == label.span.file) {
            Some((_, in_file)) => in_file.push((label, kind)),
            None => files.push((label.span.file, vec![(label, kind)])),
        }
    }
    for (file, labels) in files {
        group = group.element(snippet(sources.get(file), &labels));
    }

    // Notes and help are "trusted" text to annotate-snippets (passed through
    // verbatim) but often quote user input, so strip control characters that
    // could garble or hijack the terminal. An empty one would be a bare `= help:`.
    let notes = diagnostic.notes.iter().map(|note| (Level::NOTE, note));
    let help = diagnostic.help.iter().map(|help| (Level::HELP, help));
    for (level, text) in notes.chain(help).filter(|(_, text)| !text.is_empty()) {
        group = group.element(level.message(normalize_untrusted_str(text)));
    }
    group
}

/// A snippet of only the lines the labels touch, numbered as in the file. Passing
/// the whole file would make every diagnostic cost a scan of it.
fn snippet<'a>(
    file: &'a SourceFile,
    labels: &[(&'a Label, AnnotationKind)],
) -> Snippet<'a, Annotation<'a>> {
    let ranges: Vec<Range<usize>> = labels
        .iter()
        .map(|(label, _)| display_range(file, label.span))
        .collect();
    // `labels` is never empty, so the `unwrap_or` defaults are never used.
    let first_line = ranges
        .iter()
        .map(|r| file.line_col(r.start).0)
        .min()
        .unwrap_or(1);
    let last_line = ranges
        .iter()
        .map(|r| file.line_col(r.end).0)
        .max()
        .unwrap_or(first_line);
    // Line starts are just after a `\n`, so both ends are char boundaries. The
    // slice keeps the last line's line break, which annotate-snippets ignores.
    let slice_start = file.line_start(first_line);
    let slice_end = file.line_start(last_line + 1);
    let mut source = Cow::Borrowed(&file.text[slice_start..slice_end]);
    // In a file ending in `\n`, `SourceFile::line_col` puts the end-of-file
    // offset on an empty last line, but annotate-snippets has no line after a
    // final `\n` and would move the caret (and the `-->` location) to the end of
    // the line before. A line break after the slice gives it that empty line.
    if last_line > first_line && file.line_start(last_line) == file.text.len() {
        source.to_mut().push('\n');
    }
    let annotations = labels.iter().zip(&ranges).map(|((label, kind), range)| {
        // An empty message would leave a trailing space after the underline, and
        // a line break would continue the label outside the gutter.
        let message = Some(label.message.as_str())
            .filter(|message| !message.is_empty())
            .map(|message| {
                if message.contains(['\n', '\r']) {
                    Cow::Owned(message.replace(['\n', '\r'], " "))
                } else {
                    Cow::Borrowed(message)
                }
            });
        kind.span(range.start - slice_start..range.end - slice_start)
            .label(message)
    });
    Snippet::source(source)
        .line_start(first_line)
        .path(file.path.as_str())
        .annotations(annotations)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::diagnostic::Code;

    const BASE: &str = "\
platform:
  name: shop
workloads:
  api:
    image: shop/api:1.4
    uses: [health-postgress]
  health-postgres:
    image: postgres:16
";

    const OVERLAY: &str = "\
workloads:
  api:
    replicas: 0
";

    /// `BASE` as `platform.yaml` (file 0) and `OVERLAY` as
    /// `environments/prod.yaml` (file 1).
    fn sources() -> Sources {
        let mut sources = Sources::default();
        sources.add(SourceFile::new("platform.yaml", BASE));
        sources.add(SourceFile::new("environments/prod.yaml", OVERLAY));
        sources
    }

    /// The span of the first occurrence of `needle` in file `file`.
    #[track_caller]
    fn span_of(sources: &Sources, file: u32, needle: &str) -> Span {
        let file = FileId(file);
        let start = sources.get(file).text.find(needle).expect("needle in text");
        Span::new(file, start, start + needle.len())
    }

    #[track_caller]
    fn check(diagnostic: &Diagnostic, sources: &Sources, expected: &str) {
        let actual = render(diagnostic, sources, RenderOptions { color: false });
        assert_eq!(
            actual, expected,
            "\n--- actual ---\n{actual}\n--------------"
        );
    }

    /// One file `f.yaml` holding `text`, for the edge cases.
    fn single(text: &str) -> Sources {
        let mut sources = Sources::default();
        sources.add(SourceFile::new("f.yaml", text));
        sources
    }

    fn unknown_dependency(sources: &Sources) -> Diagnostic {
        Diagnostic::error(
            Code::UnknownDependency,
            "unknown dependency `health-postgress`",
        )
        .at(
            span_of(sources, 0, "health-postgress"),
            "no workload has this name",
        )
        .with_help("did you mean `health-postgres`?")
    }

    #[test]
    fn single_line_primary_label_with_help() {
        let sources = sources();
        check(
            &unknown_dependency(&sources),
            &sources,
            "\
error[PG3001]: unknown dependency `health-postgress`
 --> platform.yaml:6:12
  |
6 |     uses: [health-postgress]
  |            ^^^^^^^^^^^^^^^^ no workload has this name
  |
  = help: did you mean `health-postgres`?",
        );
    }

    #[test]
    fn secondary_label_in_the_same_file() {
        let sources = sources();
        let diagnostic = Diagnostic::error(Code::DuplicateName, "duplicate workload `api`")
            .at(
                span_of(&sources, 0, "health-postgres:"),
                "defined again here",
            )
            .with_secondary(span_of(&sources, 0, "api"), "first defined here");
        check(
            &diagnostic,
            &sources,
            "\
error[PG3002]: duplicate workload `api`
 --> platform.yaml:7:3
  |
4 |   api:
  |   --- first defined here
...
7 |   health-postgres:
  |   ^^^^^^^^^^^^^^^^ defined again here",
        );
    }

    #[test]
    fn secondary_label_in_another_file() {
        let sources = sources();
        let diagnostic = Diagnostic::error(Code::InvalidValue, "`replicas` must be at least 1")
            .at(span_of(&sources, 1, "0"), "set to 0 here")
            .with_secondary(span_of(&sources, 0, "api:"), "workload defined in the base");
        check(
            &diagnostic,
            &sources,
            "\
error[PG2004]: `replicas` must be at least 1
 --> environments/prod.yaml:3:15
  |
3 |     replicas: 0
  |               ^ set to 0 here
  |
 ::: platform.yaml:4:3
  |
4 |   api:
  |   ---- workload defined in the base",
        );
    }

    #[test]
    fn files_in_order_of_first_appearance_with_a_shared_gutter() {
        let mut sources = Sources::default();
        sources.add(SourceFile::new("platform.yaml", "x: 1\n".repeat(120)));
        sources.add(SourceFile::new("environments/prod.yaml", "x: 2\n"));
        let line = |n: usize| Span::new(FileId(0), (n - 1) * 5, (n - 1) * 5 + 1);
        let diagnostic = Diagnostic::error(Code::DuplicateKey, "`x` set three times")
            .at(Span::new(FileId(1), 0, 1), "last set here")
            .with_secondary(line(116), "set here")
            .with_secondary(line(2), "first set here");
        check(
            &diagnostic,
            &sources,
            "\
error[PG1003]: `x` set three times
   --> environments/prod.yaml:1:1
    |
  1 | x: 2
    | ^ last set here
    |
   ::: platform.yaml:2:1
    |
  2 | x: 1
    | - first set here
...
116 | x: 1
    | - set here",
        );
    }

    #[test]
    fn without_a_primary_label_secondary_labels_still_show() {
        // Not expected from any stage, but dropping a label would hide information.
        let sources = sources();
        let diagnostic = Diagnostic::warning(Code::UnknownField, "unused workload")
            .with_secondary(span_of(&sources, 0, "api"), "declared here");
        check(
            &diagnostic,
            &sources,
            "\
warning[PG2001]: unused workload
 --> platform.yaml:4:3
  |
4 |   api:
  |   --- declared here",
        );
    }

    #[test]
    fn notes_then_help() {
        let sources = sources();
        let diagnostic = unknown_dependency(&sources)
            .with_note("`uses` must name a workload enabled in this environment")
            .with_note("workloads: api, health-postgres");
        check(
            &diagnostic,
            &sources,
            "\
error[PG3001]: unknown dependency `health-postgress`
 --> platform.yaml:6:12
  |
6 |     uses: [health-postgress]
  |            ^^^^^^^^^^^^^^^^ no workload has this name
  |
  = note: `uses` must name a workload enabled in this environment
  = note: workloads: api, health-postgres
  = help: did you mean `health-postgres`?",
        );
    }

    #[test]
    fn no_primary_label_renders_only_the_header_notes_and_help() {
        let diagnostic = Diagnostic::error(Code::MissingFile, "`platform.yaml` not found in `.`")
            .with_note("platformgen looks for the spec in the platform directory")
            .with_help("pass the directory with `--platform <dir>`");
        check(
            &diagnostic,
            &Sources::default(),
            "\
error[PG1011]: `platform.yaml` not found in `.`
 |
 = note: platformgen looks for the spec in the platform directory
 = help: pass the directory with `--platform <dir>`",
        );
        let bare = Diagnostic::warning(Code::Io, "could not remove `out/stale.yaml`");
        check(
            &bare,
            &Sources::default(),
            "warning[PG1000]: could not remove `out/stale.yaml`",
        );
    }

    #[test]
    fn zero_width_span_at_end_of_file() {
        let sources = single("a: 1\nb: [2\n");
        let diagnostic = Diagnostic::error(Code::YamlSyntax, "unclosed `[`")
            .at(Span::point(FileId(0), 11), "file ends here")
            .with_secondary(span_of(&sources, 0, "["), "opened here");
        check(
            &diagnostic,
            &sources,
            "\
error[PG1001]: unclosed `[`
 --> f.yaml:3:1
  |
2 | b: [2
  |    - opened here
3 |
  | ^ file ends here",
        );
        // Without a final newline the caret sits just past the last character.
        let sources = single("a: 1");
        let diagnostic = Diagnostic::error(Code::YamlSyntax, "expected a value")
            .at(Span::point(FileId(0), 4), "");
        check(
            &diagnostic,
            &sources,
            "\
error[PG1001]: expected a value
 --> f.yaml:1:5
  |
1 | a: 1
  |     ^",
        );
    }

    #[test]
    fn span_across_lines() {
        let sources = sources();
        let start = span_of(&sources, 0, "api:").start as usize;
        let end = span_of(&sources, 0, "health-postgress]").end as usize;
        let diagnostic = Diagnostic::warning(Code::UnknownField, "workload spans lines")
            .at(Span::new(FileId(0), start, end), "this workload");
        check(
            &diagnostic,
            &sources,
            "\
warning[PG2001]: workload spans lines
 --> platform.yaml:4:3
  |
4 | /   api:
5 | |     image: shop/api:1.4
6 | |     uses: [health-postgress]
  | |____________________________^ this workload",
        );
    }

    #[test]
    fn trailing_newline_of_a_span_is_not_drawn() {
        // A block scalar's span ends after its newline; drawing it would reach
        // into the next line.
        let sources = single("a: |\n  text\nb: 1\n");
        let start = 7;
        let diagnostic = Diagnostic::error(Code::InvalidValue, "bad text")
            .at(Span::new(FileId(0), start, start + 5), "here");
        check(
            &diagnostic,
            &sources,
            "\
error[PG2004]: bad text
 --> f.yaml:2:3
  |
2 |   text
  |   ^^^^ here",
        );
    }

    #[test]
    fn tab_before_the_caret() {
        // annotate-snippets expands a tab to four spaces in the source line and
        // shifts the caret to match; the column stays in characters.
        let sources = single("env:\n\tkey: value\n");
        let diagnostic = Diagnostic::error(Code::TabIndentation, "tab used for indentation")
            .at(span_of(&sources, 0, "value"), "value after a tab");
        check(
            &diagnostic,
            &sources,
            "\
error[PG1002]: tab used for indentation
 --> f.yaml:2:7
  |
2 |     key: value
  |          ^^^^^ value after a tab",
        );
    }

    #[test]
    fn multibyte_characters_before_the_span() {
        let sources = single("café: \"crème brûlée\" extra\n");
        let diagnostic = Diagnostic::error(Code::YamlSyntax, "trailing text")
            .at(span_of(&sources, 0, "extra"), "unexpected");
        check(
            &diagnostic,
            &sources,
            "\
error[PG1001]: trailing text
 --> f.yaml:1:22
  |
1 | café: \"crème brûlée\" extra
  |                      ^^^^^ unexpected",
        );
    }

    #[test]
    fn span_inside_a_multibyte_character_covers_the_character() {
        let sources = single("é: 1\n");
        let diagnostic = Diagnostic::error(Code::InvalidUtf8, "odd span")
            .at(Span::new(FileId(0), 1, 1), "inside `é`")
            .with_secondary(Span::new(FileId(0), 1, 2), "also inside");
        check(
            &diagnostic,
            &sources,
            "\
error[PG1004]: odd span
 --> f.yaml:1:1
  |
1 | é: 1
  | ^
  | |
  | inside `é`
  | also inside",
        );
    }

    #[test]
    fn out_of_range_spans_are_clamped_not_panics() {
        let sources = single("a: 1\n");
        let diagnostic = Diagnostic::error(Code::YamlSyntax, "far away")
            .at(Span::new(FileId(0), 100, 200), "past the end")
            .with_secondary(Span::new(FileId(0), 2, 1000), "runs off");
        check(
            &diagnostic,
            &sources,
            "\
error[PG1001]: far away
 --> f.yaml:2:1
  |
1 | a: 1
  |   -- runs off
2 |
  | ^ past the end",
        );
        // Every start and end offset, in and past a text with multi-byte
        // characters, a tab and CRLF, including end < start (the fields are
        // public), with a secondary label on the same line.
        let text = "é: \"ü\"\r\n\tx: ✓\n\n";
        let sources = single(text);
        for start in 0..=text.len() + 2 {
            for end in 0..=text.len() + 2 {
                let span = Span {
                    file: FileId(0),
                    start: u32::try_from(start).unwrap_or(u32::MAX),
                    end: u32::try_from(end).unwrap_or(u32::MAX),
                };
                let diagnostic = Diagnostic::error(Code::YamlSyntax, "x")
                    .at(span, "y")
                    .with_secondary(Span::point(FileId(0), end), "z");
                let text = render(&diagnostic, &sources, RenderOptions { color: false });
                // The `-->` location annotate-snippets computes agrees with ours.
                let start = clamped_range(sources.get(FileId(0)), span).start;
                let location = sources.location(Span::point(FileId(0), start));
                assert!(
                    text.contains(&format!("--> {location}\n")),
                    "{span:?}:\n{text}"
                );
            }
        }
    }

    #[test]
    fn untrusted_text_cannot_break_the_layout() {
        // An escape sequence in a note is made visible instead of clearing the
        // screen; a line break in a label stays inside the gutter; an empty help
        // is dropped.
        let sources = single("a: 1\n");
        let diagnostic = Diagnostic::error(Code::InvalidValue, "bad")
            .at(span_of(&sources, 0, "1"), "first\nsecond")
            .with_note("value `\u{1b}[2Jboom`")
            .with_help("");
        check(
            &diagnostic,
            &sources,
            "\
error[PG2004]: bad
 --> f.yaml:1:4
  |
1 | a: 1
  |    ^ first second
  |
  = note: value `␛[2Jboom`",
        );
    }

    #[test]
    fn color_adds_escape_codes_around_the_same_text() {
        let sources = sources();
        let diagnostic = unknown_dependency(&sources);
        let plain = render(&diagnostic, &sources, RenderOptions { color: false });
        let colored = render(&diagnostic, &sources, RenderOptions { color: true });
        assert!(!plain.contains('\u{1b}'));
        assert!(colored.contains("\u{1b}["));
        assert_eq!(strip_ansi(&colored), plain);
    }

    /// Removes `ESC [ ... <letter>` sequences (all the styled renderer emits).
    fn strip_ansi(text: &str) -> String {
        let mut out = String::new();
        let mut chars = text.chars();
        while let Some(c) = chars.next() {
            if c == '\u{1b}' {
                for c in chars.by_ref() {
                    if c.is_ascii_alphabetic() {
                        break;
                    }
                }
            } else {
                out.push(c);
            }
        }
        out
    }

    #[track_caller]
    fn check_all(diagnostics: &[Diagnostic], expected_summary: Option<&str>) {
        let sources = sources();
        let text = render_all(diagnostics, &sources, RenderOptions { color: false });
        let last = text.rsplit("\n\n").next().unwrap_or("");
        match expected_summary {
            Some(summary) => assert_eq!(last, summary),
            None => assert_eq!(text, ""),
        }
    }

    #[test]
    fn summary_line_counts_errors_and_warnings() {
        let error = || Diagnostic::error(Code::MissingFile, "e");
        let warning = || Diagnostic::warning(Code::Io, "w");
        check_all(&[], None);
        check_all(&[error()], Some("error: found 1 error"));
        check_all(&[error(), error(), error()], Some("error: found 3 errors"));
        check_all(&[warning()], Some("warning: found 1 warning"));
        check_all(&[warning(), warning()], Some("warning: found 2 warnings"));
        check_all(
            &[error(), warning()],
            Some("error: found 1 error and 1 warning"),
        );
        check_all(
            &[warning(), error(), error(), warning()],
            Some("error: found 2 errors and 2 warnings"),
        );
    }

    #[test]
    fn render_all_separates_diagnostics_with_blank_lines() {
        let sources = sources();
        let diagnostics = [
            unknown_dependency(&sources),
            Diagnostic::warning(Code::Io, "could not remove `out/stale.yaml`"),
        ];
        let text = render_all(&diagnostics, &sources, RenderOptions { color: false });
        assert_eq!(
            text,
            "\
error[PG3001]: unknown dependency `health-postgress`
 --> platform.yaml:6:12
  |
6 |     uses: [health-postgress]
  |            ^^^^^^^^^^^^^^^^ no workload has this name
  |
  = help: did you mean `health-postgres`?

warning[PG1000]: could not remove `out/stale.yaml`

error: found 1 error and 1 warning"
        );
    }
}

//! A rendered template's text to objects: one YAML document per object,
//! separated by `---` lines, each read by platformgen's YAML reader (so the
//! same rules and limits apply as to spec files) and typed by the YAML 1.2
//! core schema, as Kubernetes reads manifests.

use crate::diagnostic::{Code, Diagnostic};
use crate::object::Manifest;
use crate::source::{FileId, SourceFile, Sources, Span};
use crate::yaml::{self, Limits, to_json};

/// The objects of the rendered text of the template `relative`. The text
/// becomes a source of its own, `<relative> (rendered)`, so errors in it
/// point at what the template produced.
pub(super) fn objects(
    relative: &str,
    rendered: String,
    sources: &mut Sources,
) -> Result<Vec<Manifest>, Vec<Diagnostic>> {
    let file = sources.add(SourceFile::new(format!("{relative} (rendered)"), rendered));
    let text = sources.get(file).text.clone();
    let mut objects = Vec::new();
    let mut errors = Vec::new();
    for (start, end) in documents(&text) {
        // Each document is read in place, the rest blanked out, so spans are
        // the rendered file's own.
        let isolated: String = text
            .char_indices()
            .map(|(at, c)| {
                if (start..end).contains(&at) || c == '\n' {
                    c
                } else {
                    ' '
                }
            })
            .collect();
        let node = match yaml::parse(file, &isolated, &Limits::default()) {
            Ok(node) => node,
            Err(diagnostic) if diagnostic.code == Code::EmptyFile => continue,
            Err(diagnostic) => {
                errors.push(diagnostic);
                continue;
            }
        };
        let span = node.span;
        match Manifest::from_value(to_json(&node), span) {
            Ok(object) => objects.push(object),
            Err(missing) => errors.push(not_an_object(file, span, &missing.to_string())),
        }
    }
    if errors.is_empty() {
        Ok(objects)
    } else {
        Err(errors)
    }
}

/// Byte ranges of the documents of `text`, between `---` lines.
fn documents(text: &str) -> Vec<(usize, usize)> {
    let mut ranges = Vec::new();
    let mut start = 0;
    let mut at = 0;
    for line in text.split_inclusive('\n') {
        let content = line.trim_end();
        if content == "---" || content.starts_with("--- ") {
            ranges.push((start, at));
            start = at + line.len();
        }
        at += line.len();
    }
    ranges.push((start, text.len()));
    ranges
}

fn not_an_object(file: FileId, span: Span, why: &str) -> Diagnostic {
    let _ = file;
    Diagnostic::error(
        Code::TemplateError,
        format!("a document of the template is not a Kubernetes object: {why}"),
    )
    .at(span, "this document")
    .with_help("each document needs `apiVersion`, `kind` and `metadata.name`")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn documents_split_at_separator_lines_only() {
        let text = "a: 1\n---\nb: '---'\n--- # two\nc: 3\n";
        let ranges = documents(text);
        let parts: Vec<&str> = ranges.iter().map(|(s, e)| &text[*s..*e]).collect();
        assert_eq!(parts, ["a: 1\n", "b: '---'\n", "c: 3\n"]);
    }
}

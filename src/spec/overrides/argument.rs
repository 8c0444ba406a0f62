//! One command-line argument (`PATH=VALUE`) read into a tree from the root
//! down to the key it sets. The argument is its own source file, so every
//! span points into it: the path's span for the keys, the value's for the
//! value.

use super::schema_path::{PathProblem, SpecShape};
use crate::diagnostic::{Code, Diagnostic, suggestion};
use crate::merge::KeyPath;
use crate::read::{Override, OverrideFlag};
use crate::source::{FileId, Sources, Span};
use crate::yaml::{self, Entry, Limits, Map, Node, Scalar, Value};

/// Reads `value` (whose text is the file `file`) into a tree to merge over
/// `merged`.
pub(super) fn read(
    file: FileId,
    value: &Override,
    merged: &Node,
    shape: &SpecShape,
    sources: &mut Sources,
) -> Result<Node, Diagnostic> {
    let text = value.argument.as_str();
    let whole = Span::new(file, 0, text.len());
    let Some(equals) = text.find('=') else {
        return Err(malformed(value.flag, whole, "no `=` in the argument"));
    };
    let (written_path, written_value) = (&text[..equals], &text[equals + 1..]);
    let path_span = Span::new(file, 0, equals);
    let value_span = Span::new(file, equals + 1, text.len());
    if written_path.is_empty() {
        return Err(malformed(value.flag, path_span, "nothing before `=`"));
    }
    let path = match value.flag {
        OverrideFlag::Set => KeyPath::parse_in(written_path, merged).map_err(|error| {
            malformed(
                value.flag,
                Span::point(file, error.offset),
                error.message.clone(),
            )
        })?,
        OverrideFlag::Image => image_path(written_path, merged, path_span)?,
    };
    // A value under `secrets` may be the secret itself: hide it from every
    // message before anything can quote the argument.
    if path.segments().iter().any(|segment| segment == "secrets") {
        sources.redact(value_span);
    }
    if let Err(problem) = shape.check(&path, merged) {
        return Err(wrong_path(&path, problem, path_span));
    }
    let node = match value.flag {
        OverrideFlag::Set => parse_value(file, equals, written_value, sources)?,
        OverrideFlag::Image => {
            if written_value.is_empty() {
                return Err(malformed(value.flag, value_span, "no image after `=`"));
            }
            text_node(value_span, written_value)
        }
    };
    Ok(nest(&path, node, path_span, whole))
}

/// `--image NAME=REF` sets `workloads.NAME.image`; NAME must be a workload.
fn image_path(name: &str, merged: &Node, span: Span) -> Result<KeyPath, Diagnostic> {
    let workloads = merged.get("workloads").and_then(Node::as_map);
    let known = || {
        workloads
            .into_iter()
            .flat_map(|map| map.entries.keys().map(String::as_str))
    };
    if !known().any(|workload| workload == name) {
        return Err(Diagnostic::error(
            Code::InvalidOverride,
            format!("`--image` names `{name}`, which is not a workload"),
        )
        .at(span, "no workload of this name")
        .with_help_opt(suggestion::did_you_mean(name, known()))
        .with_note(format!(
            "workloads: {}",
            known().collect::<Vec<_>>().join(", ")
        )));
    }
    Ok(["workloads", name, "image"].into_iter().collect())
}

/// The value of `--set`, read as YAML (`3`, `true`, `[a, b]`, `{cpu: 1}`,
/// `null`, `"a: b"`). It is parsed in place, the path before it blanked out,
/// so the parser's spans are the argument's own.
fn parse_value(
    file: FileId,
    equals: usize,
    written: &str,
    sources: &Sources,
) -> Result<Node, Diagnostic> {
    let start = equals + 1;
    if written.trim().is_empty() {
        // Nothing after `=` is the empty string, as in Helm, not null.
        return Ok(text_node(Span::new(file, start, start + written.len()), ""));
    }
    let mut text = " ".repeat(start);
    text.push_str(written);
    debug_assert_eq!(text.len(), sources.get(file).text.len());
    yaml::parse(file, &text, &Limits::default())
}

/// A value that is text whatever it looks like (an image reference).
fn text_node(span: Span, text: &str) -> Node {
    Node::new(
        span,
        Value::Scalar(Scalar {
            text: text.to_owned(),
            quoted: true,
        }),
    )
}

/// `value` under `path`, as nested mappings from the root; every key points
/// at the path as written.
fn nest(path: &KeyPath, value: Node, path_span: Span, whole: Span) -> Node {
    let mut node = value;
    for segment in path.segments().iter().rev() {
        let mut map = Map::default();
        map.entries.insert(
            segment.clone(),
            Entry {
                key_span: path_span,
                value: node,
            },
        );
        node = Node::new(whole, Value::Map(map));
    }
    node
}

fn malformed(flag: OverrideFlag, span: Span, label: impl Into<String>) -> Diagnostic {
    let (message, help) = match flag {
        OverrideFlag::Set => (
            "`--set` takes PATH=VALUE",
            "for example `--set workloads.health-api.replicas=3`; a key with dots in quotes: \
             `--set 'nodePools.gpu.nodeSelector.\"cloud.google.com/gke-nodepool\"=gpu'`",
        ),
        OverrideFlag::Image => (
            "`--image` takes WORKLOAD=IMAGE",
            "for example `--image health-api=ghcr.io/acme/health-api:1.4.3`",
        ),
    };
    Diagnostic::error(Code::InvalidOverride, message)
        .at(span, label)
        .with_help(help)
}

fn wrong_path(path: &KeyPath, problem: PathProblem, span: Span) -> Diagnostic {
    let shown = |at: usize| -> String {
        path.segments()[..=at]
            .iter()
            .map(String::as_str)
            .collect::<KeyPath>()
            .to_string()
    };
    let parent = |at: usize| -> String {
        if at == 0 {
            "the top level".to_owned()
        } else {
            format!("`{}`", shown(at - 1))
        }
    };
    let segment = |at: usize| path.segments()[at].as_str();
    match problem {
        PathProblem::UnknownField { at, known } => Diagnostic::error(
            Code::UnknownField,
            format!("unknown field `{}` in {}", segment(at), parent(at)),
        )
        .at(span, "no such key in the spec")
        .with_help(
            suggestion::did_you_mean(segment(at), known.iter().map(String::as_str))
                .or_else(|| {
                    let known: Vec<&str> = known.iter().map(String::as_str).collect();
                    crate::spec::habits::hint(segment(at), &known)
                })
                .unwrap_or_else(|| format!("the keys there: {}", known.join(", "))),
        ),
        PathProblem::UnknownEntry { at, existing } => Diagnostic::error(
            Code::InvalidOverride,
            format!(
                "`{}` is not in {} of this environment",
                segment(at),
                parent(at)
            ),
        )
        .at(span, "sets a key of an entry that does not exist")
        .with_help_opt(suggestion::did_you_mean(
            segment(at),
            existing.iter().map(String::as_str),
        ))
        .with_note(if existing.is_empty() {
            "there are none".to_owned()
        } else {
            format!("there are: {}", existing.join(", "))
        }),
        PathProblem::InsideList { at } => Diagnostic::error(
            Code::InvalidOverride,
            format!("`{}` is a list, which is set whole", shown(at - 1)),
        )
        .at(span, "a key inside a list")
        .with_help(format!(
            "set the whole list: `--set '{}=[a, b]'`",
            shown(at - 1)
        )),
        PathProblem::BelowValue { at } => Diagnostic::error(
            Code::InvalidOverride,
            format!(
                "`{}` is a single value, with no keys below it",
                shown(at - 1)
            ),
        )
        .at(span, "a key below a value")
        .with_help(format!("set the value itself: `--set {}=…`", shown(at - 1))),
    }
}

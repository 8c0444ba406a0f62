//! The YAML path of every line of an object's canonical YAML
//! (`spec.template.spec.containers[0].image`), so a diff hunk can say where in
//! the object it is, the way `git diff` names the enclosing function.
//!
//! Owns the walk that pairs lines with paths. Must not format YAML itself: the
//! line count of each piece is taken from [`crate::yaml::write`], the only
//! formatter, so a change in the canonical form cannot silently shift paths.
//! The walk mirrors the emitter's layout (a key line before a nested
//! collection; a map in a list starts on its `- ` line; a list in a list puts a
//! bare `-` on its own line); if the total ever disagrees with the emitted
//! text, there are no paths rather than wrong ones.

use std::fmt::Write as _;

use serde_json::{Map, Value};

use crate::yaml::write as yaml;

/// The path of each line of `yaml::to_yaml(value)`, in order; `None` when the
/// walk and the emitter disagree on the number of lines.
pub fn line_paths(value: &Value) -> Option<Vec<String>> {
    let mut walk = Walk::default();
    match value {
        Value::Object(map) if !map.is_empty() => walk.entries(map),
        Value::Array(items) if !items.is_empty() => walk.items(items),
        scalar => {
            let lines = lines(&yaml::to_yaml(scalar));
            walk.push_lines(lines);
        }
    }
    (walk.lines.len() == lines(&yaml::to_yaml(value))).then_some(walk.lines)
}

/// Renders a path: keys joined by `.`, list indices as `[i]`; a key that is
/// not a plain word (`app.kubernetes.io/name`) as `["..."]`.
pub(super) fn format_path<'s>(steps: impl IntoIterator<Item = PathStep<'s>>) -> String {
    let mut out = String::new();
    for step in steps {
        match step {
            PathStep::Key(key) => {
                if is_word(key) {
                    if !out.is_empty() {
                        out.push('.');
                    }
                    out.push_str(key);
                } else {
                    out.push('[');
                    out.push_str(&Value::String(key.to_owned()).to_string());
                    out.push(']');
                }
            }
            PathStep::Index(index) => {
                let _ = write!(out, "[{index}]");
            }
        }
    }
    out
}

/// A step of a path given to [`format_path`].
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(super) enum PathStep<'s> {
    Key(&'s str),
    Index(usize),
}

fn is_word(key: &str) -> bool {
    !key.is_empty()
        && key
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b == b'_' || b == b'-')
}

fn lines(text: &str) -> usize {
    text.bytes().filter(|&b| b == b'\n').count()
}

#[derive(Default)]
struct Walk<'v> {
    path: Vec<PathStep<'v>>,
    lines: Vec<String>,
}

impl<'v> Walk<'v> {
    fn push_lines(&mut self, count: usize) {
        let path = format_path(self.path.iter().copied());
        for _ in 0..count {
            self.lines.push(path.clone());
        }
    }

    /// The entries of a non-empty map, wherever it sits: under a key, each
    /// entry on lines of its own; in a list, the first entry on the `- ` line,
    /// which takes no line of its own either.
    fn entries(&mut self, map: &'v Map<String, Value>) {
        for (key, value) in map {
            self.path.push(PathStep::Key(key));
            self.entry(key, value);
            self.path.pop();
        }
    }

    fn entry(&mut self, key: &'v str, value: &'v Value) {
        match value {
            Value::Object(map) if !map.is_empty() => {
                self.push_lines(key_lines(key, &Value::Null));
                self.entries(map);
            }
            Value::Array(items) if !items.is_empty() => {
                self.push_lines(key_lines(key, &Value::Null));
                self.items(items);
            }
            scalar => self.push_lines(key_lines(key, scalar)),
        }
    }

    fn items(&mut self, items: &'v [Value]) {
        for (index, item) in items.iter().enumerate() {
            self.path.push(PathStep::Index(index));
            match item {
                Value::Object(map) if !map.is_empty() => self.entries(map),
                Value::Array(inner) if !inner.is_empty() => {
                    // The bare `-` line.
                    self.push_lines(1);
                    self.items(inner);
                }
                scalar => self.push_lines(item_lines(scalar)),
            }
            self.path.pop();
        }
    }
}

/// Lines of `key: value` for a scalar (or empty) value, or of the `key:` line
/// above a nested collection when `value` is null. One, unless the key is
/// long enough for the explicit `? key` form or the value is a multi-line
/// string; only then is the emitter asked.
fn key_lines(key: &str, value: &Value) -> usize {
    let short_key = key.len() < 256 && !key.contains('\n');
    let single_line = !matches!(value, Value::String(s) if s.contains('\n'));
    if short_key && single_line {
        return 1;
    }
    let mut map = Map::new();
    map.insert(key.to_owned(), value.clone());
    lines(&yaml::to_yaml(&Value::Object(map)))
}

/// Lines of `- value` for a scalar (or empty) list item.
fn item_lines(value: &Value) -> usize {
    if !matches!(value, Value::String(s) if s.contains('\n')) {
        return 1;
    }
    lines(&yaml::to_yaml(&Value::Array(vec![value.clone()])))
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;

    /// Each line of the emitted YAML with its path, as `path | line`.
    fn annotated(value: &Value) -> Vec<String> {
        let text = yaml::to_yaml(value);
        let paths = line_paths(value).expect("paths for every line");
        text.lines()
            .zip(paths)
            .map(|(line, path)| format!("{path} | {}", line.trim_start()))
            .collect()
    }

    #[track_caller]
    fn case(value: Value, expected: &[&str]) {
        assert_eq!(annotated(&value), expected);
    }

    #[test]
    fn every_line_gets_the_path_of_the_key_or_item_it_belongs_to() {
        case(
            json!({
                "kind": "Deployment",
                "metadata": {"labels": {"app.kubernetes.io/name": "web"}, "name": "web"},
                "spec": {"template": {"spec": {"containers": [
                    {"image": "web:1", "name": "web", "args": ["a", "b"]},
                    {"image": "sidecar:1", "name": "sidecar"},
                ]}}},
            }),
            &[
                "kind | kind: Deployment",
                "metadata | metadata:",
                "metadata.labels | labels:",
                "metadata.labels[\"app.kubernetes.io/name\"] | app.kubernetes.io/name: web",
                "metadata.name | name: web",
                "spec | spec:",
                "spec.template | template:",
                "spec.template.spec | spec:",
                "spec.template.spec.containers | containers:",
                "spec.template.spec.containers[0].args | - args:",
                "spec.template.spec.containers[0].args[0] | - a",
                "spec.template.spec.containers[0].args[1] | - b",
                "spec.template.spec.containers[0].image | image: web:1",
                "spec.template.spec.containers[0].name | name: web",
                "spec.template.spec.containers[1].image | - image: sidecar:1",
                "spec.template.spec.containers[1].name | name: sidecar",
            ],
        );
    }

    #[test]
    fn multi_line_strings_lists_of_lists_and_empty_collections() {
        let value = json!({
            "data": {"app.conf": "a = 1\nb = 2\n", "empty": {}},
            "matrix": [[1, 2], []],
        });
        let lines = annotated(&value);
        let paths: Vec<&str> = lines
            .iter()
            .map(|l| l.split(" | ").next().unwrap_or_default())
            .collect();
        assert_eq!(
            paths,
            [
                "data",
                "data[\"app.conf\"]",
                "data[\"app.conf\"]",
                "data[\"app.conf\"]",
                "data.empty",
                "matrix",
                "matrix[0]",
                "matrix[0][0]",
                "matrix[0][1]",
                "matrix[1]",
            ]
        );
    }

    #[test]
    fn long_keys_take_two_lines() {
        let long = "k".repeat(1_200);
        let value = json!({ long.clone(): {"a": 1}, "b": 2 });
        let paths = line_paths(&value).expect("paths");
        // Keys are sorted: `b` first.
        assert_eq!(paths.len(), 4);
        assert_eq!(paths[0], "b");
        assert_eq!(paths[1], long);
        assert_eq!(paths[2], long);
        assert_eq!(paths[3], format!("{long}.a"));
    }

    #[test]
    fn scalars_at_the_root() {
        assert_eq!(line_paths(&json!("x")), Some(vec![String::new()]));
        assert_eq!(line_paths(&json!({})), Some(vec![String::new()]));
        assert_eq!(line_paths(&json!(["x"])), Some(vec!["[0]".to_owned()]));
    }
}

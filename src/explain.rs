//! `explain`: the merged spec of one environment, each value annotated with the
//! file:line that set it and what it replaced.

use crate::merge::{KeyPath, Provenance};
use crate::source::Sources;
use crate::yaml::{Node, Value};

/// The merged tree (or the subtree at `path`) as YAML-like text with a
/// provenance comment on every value. A leaf is printed as one line that
/// starts with `path` in the [`KeyPath`] syntax, which reads back as a path.
pub fn explain(
    tree: &Node,
    path: &KeyPath,
    sources: &Sources,
    provenance: &Provenance,
) -> Option<String> {
    let node = crate::merge::find(tree, &path.as_strs())?;
    let mut out = String::new();
    let mut writer = Writer {
        out: &mut out,
        sources,
        provenance,
        path: path.clone(),
    };
    match &node.value {
        Value::Map(_) | Value::Seq(_) => writer.node(node, 0),
        _ => {
            let line = format!("{path}: {}", writer.value_text(node));
            writer.leaf_line(&line, node);
        }
    }
    Some(out)
}

struct Writer<'a> {
    out: &'a mut String,
    sources: &'a Sources,
    provenance: &'a Provenance,
    path: KeyPath,
}

fn scalar_text(node: &Node) -> String {
    match &node.value {
        Value::Null => "null".to_owned(),
        Value::Scalar(scalar) if scalar.text.contains('\n') => format!("{:?}", scalar.text),
        Value::Scalar(scalar) if scalar.quoted => format!("{:?}", scalar.text),
        Value::Scalar(scalar) => scalar.text.clone(),
        Value::Seq(items) if items.is_empty() => "[]".to_owned(),
        Value::Map(map) if map.entries.is_empty() => "{}".to_owned(),
        Value::Seq(_) | Value::Map(_) => String::new(),
    }
}

impl Writer<'_> {
    /// A leaf's text, or the mask for a secret value (see `redaction`).
    fn value_text(&self, node: &Node) -> String {
        if let Value::Scalar(scalar) = &node.value
            && crate::spec::redaction::is_secret_value(self.path.segments(), &scalar.text)
        {
            return crate::spec::redaction::MASK.to_owned();
        }
        scalar_text(node)
    }

    fn origin(&self, node: &Node) -> String {
        let mut origin = format!("# {}", self.sources.location(node.span));
        if let Some(replaced) = self.provenance.overridden(&self.path) {
            let value =
                if crate::spec::redaction::is_secret_value(self.path.segments(), &replaced.value) {
                    crate::spec::redaction::MASK.to_owned()
                } else {
                    replaced.value.replace('\n', "\\n")
                };
            origin.push_str(&format!(
                " (overrides {} from {})",
                value,
                self.sources.location(replaced.span)
            ));
        }
        origin
    }

    fn leaf_line(&mut self, line: &str, node: &Node) {
        let origin = self.origin(node);
        self.out.push_str(line);
        self.out.push_str("  ");
        self.out.push_str(&origin);
        self.out.push('\n');
    }

    fn node(&mut self, node: &Node, indent: usize) {
        let pad = " ".repeat(indent);
        match &node.value {
            Value::Map(map) => {
                for (key, entry) in &map.entries {
                    self.path.push(key.as_str());
                    let child = &entry.value;
                    if is_collection(child) {
                        let origin = self.origin(child);
                        self.out.push_str(&format!("{pad}{key}:  {origin}\n"));
                        self.node(child, indent + 2);
                    } else {
                        let text = self.value_text(child);
                        self.leaf_line(&format!("{pad}{key}: {text}"), child);
                    }
                    self.path.pop();
                }
            }
            Value::Seq(items) => {
                for (index, item) in items.iter().enumerate() {
                    self.path.push(index.to_string());
                    if is_collection(item) {
                        let origin = self.origin(item);
                        self.out.push_str(&format!("{pad}-  {origin}\n"));
                        self.node(item, indent + 2);
                    } else {
                        let text = self.value_text(item);
                        self.leaf_line(&format!("{pad}- {text}"), item);
                    }
                    self.path.pop();
                }
            }
            _ => {}
        }
    }
}

fn is_collection(node: &Node) -> bool {
    match &node.value {
        Value::Map(map) => !map.entries.is_empty(),
        Value::Seq(items) => !items.is_empty(),
        _ => false,
    }
}

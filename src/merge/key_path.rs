//! Key paths into a merged tree (`workloads.api.uses[0]` as `["workloads", "api",
//! "uses", "0"]`): how later stages, which see only spec types, find the span to
//! point a diagnostic at.

use crate::source::Span;
use crate::yaml::{Node, Value};

/// The node at `path`, if it exists. Numeric segments index lists.
pub fn find<'a>(tree: &'a Node, path: &[&str]) -> Option<&'a Node> {
    let mut node = tree;
    for segment in path {
        node = match &node.value {
            Value::Map(map) => &map.entries.get(*segment)?.value,
            Value::Seq(items) => items.get(segment.parse::<usize>().ok()?)?,
            _ => return None,
        };
    }
    Some(node)
}

/// The span of the value at `path`, or of its nearest ancestor that exists.
pub fn value_span(tree: &Node, path: &[&str]) -> Span {
    (0..=path.len())
        .rev()
        .find_map(|len| find(tree, &path[..len]).map(|node| node.span))
        .unwrap_or(tree.span)
}

/// The span of the key that ends `path` (a mapping key), falling back to the
/// value's span.
pub fn key_span(tree: &Node, path: &[&str]) -> Span {
    if let Some((last, parent)) = path.split_last()
        && let Some(parent) = find(tree, parent)
        && let Some(map) = parent.as_map()
        && let Some(entry) = map.entries.get(*last)
    {
        return entry.key_span;
    }
    value_span(tree, path)
}

//! Base + overlay → one tree, by the written layering rules (docs/spec.md):
//! mappings merge key by key (so named collections such as `namespaces` and
//! `workloads`, which are mappings keyed by name, merge by name); `key: null`
//! removes the key; scalars and lists in the overlay replace what the base had.
//! Knows no spec types.
//!
//! Every node keeps the span of the file it came from, so after the merge each
//! value still says which file set it; [`Provenance`] also records what it
//! replaced, and which overlay line removed a key.
//!
//! Both files must be mappings at the top: a base that is a list or a scalar
//! would otherwise be replaced by the overlay without a word, and an overlay
//! that is one would replace the whole spec.

use super::provenance::Removed;
use super::{KeyPath, Provenance};
use crate::diagnostic::{Code, Diagnostic};
use crate::yaml::{Node, Value};

/// Merges `overlay` over `base`, recording every replaced value in
/// `provenance`; fails when either file is not a mapping at its top level.
pub fn merge(
    base: Node,
    overlay: Node,
    provenance: &mut Provenance,
) -> Result<Node, Vec<Diagnostic>> {
    let mut errors = Vec::new();
    if !matches!(base.value, Value::Map(_)) {
        errors.push(
            Diagnostic::error(
                Code::WrongType,
                format!("the base spec must be a mapping, found {}", base.kind_name()),
            )
            .at(base.span, "expected a mapping of `platform`, `namespaces`, `workloads`, …")
            .with_help("write the spec as keys at the start of the line: `platform:`, `namespaces:`, `workloads:`"),
        );
    }
    if !matches!(overlay.value, Value::Map(_)) {
        errors.push(
            Diagnostic::error(
                Code::WrongType,
                format!(
                    "an environment overlay must be a mapping, found {}",
                    overlay.kind_name()
                ),
            )
            .at(
                overlay.span,
                "expected a mapping of the keys this environment changes",
            )
            .with_help("an environment overlay that changes nothing is written `{}`"),
        );
    }
    if !errors.is_empty() {
        return Err(errors);
    }
    provenance.record_overlay(overlay.span.file);
    let mut path = KeyPath::root();
    Ok(merge_at(base, overlay, &mut path, provenance))
}

fn merge_at(base: Node, overlay: Node, path: &mut KeyPath, provenance: &mut Provenance) -> Node {
    match (base.value, overlay.value) {
        (Value::Map(mut base_map), Value::Map(overlay_map)) => {
            for (key, overlay_entry) in overlay_map.entries {
                // `key: null` in an overlay removes the entry: a field goes back to
                // its default, an item of a named collection goes away.
                if overlay_entry.value.value.is_null() {
                    if let Some(removed) = base_map.entries.shift_remove(&key) {
                        path.push(key);
                        provenance.record_override(
                            path.clone(),
                            removed.value.span,
                            describe(&removed.value.value),
                        );
                        provenance.record_removal(
                            path.clone(),
                            Removed {
                                by: overlay_entry.key_span,
                                base_key: removed.key_span,
                            },
                        );
                        path.pop();
                    }
                    continue;
                }
                match base_map.entries.get_mut(&key) {
                    Some(base_entry) => {
                        path.push(key);
                        let placeholder = Node::new(base_entry.value.span, Value::Null);
                        let base_value = std::mem::replace(&mut base_entry.value, placeholder);
                        base_entry.value =
                            merge_at(base_value, overlay_entry.value, path, provenance);
                        path.pop();
                    }
                    None => {
                        base_map.entries.insert(key, overlay_entry);
                    }
                }
            }
            // The mapping as a whole still starts where the base wrote it.
            Node::new(base.span, Value::Map(base_map))
        }
        (base_value, overlay_value) => {
            provenance.record_override(path.clone(), base.span, describe(&base_value));
            Node::new(overlay.span, overlay_value)
        }
    }
}

fn describe(value: &Value) -> String {
    match value {
        Value::Null => "null".to_owned(),
        Value::Scalar(scalar) => scalar.text.clone(),
        Value::Seq(items) => format!("a list of {}", items.len()),
        Value::Map(map) => format!("a mapping of {} keys", map.entries.len()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::source::FileId;
    use crate::yaml::{Limits, parse};

    fn tree(file: u32, text: &str) -> Node {
        parse(FileId(file), text, &Limits::default()).expect("valid YAML")
    }

    #[track_caller]
    fn case(base: &str, overlay: &str, expected: &str) {
        let mut provenance = Provenance::default();
        let merged = merge(tree(0, base), tree(1, overlay), &mut provenance).expect("mappings");
        assert_eq!(strip(merged), strip(tree(2, expected)));
    }

    fn strip(node: Node) -> Node {
        let value = match node.value {
            Value::Map(mut map) => {
                for entry in map.entries.values_mut() {
                    let inner = std::mem::replace(
                        &mut entry.value,
                        Node::new(Default::default(), Value::Null),
                    );
                    entry.value = strip(inner);
                    entry.key_span = Default::default();
                }
                Value::Map(map)
            }
            Value::Seq(items) => Value::Seq(items.into_iter().map(strip).collect()),
            other => other,
        };
        Node::new(Default::default(), value)
    }

    #[test]
    fn mappings_merge_and_everything_else_replaces() {
        case("a: 1\nb: 2\n", "b: 3\n", "a: 1\nb: 3\n");
        case(
            "a: {x: 1, y: 2}\n",
            "a: {y: 3, z: 4}\n",
            "a: {x: 1, y: 3, z: 4}\n",
        );
        case("a: [1, 2]\n", "a: [3]\n", "a: [3]\n");
        case("a: {x: 1}\n", "a: 5\n", "a: 5\n");
        case("a: 1\nb: 2\n", "a: null\n", "b: 2\n");
        case("a: 1\n", "b: null\n", "a: 1\n");
        case(
            "w: {api: {replicas: 1}}\n",
            "w: {web: {replicas: 2}}\n",
            "w: {api: {replicas: 1}, web: {replicas: 2}}\n",
        );
    }

    #[test]
    fn overrides_are_recorded_with_the_replaced_value() {
        let mut provenance = Provenance::default();
        let _ = merge(
            tree(0, "a: {b: 1}\n"),
            tree(1, "a: {b: 2}\n"),
            &mut provenance,
        )
        .expect("mappings");
        let replaced = provenance
            .overridden(&KeyPath::parse("a.b").expect("valid"))
            .expect("recorded");
        assert_eq!(replaced.value, "1");
        assert_eq!(replaced.span.file, FileId(0));
    }

    #[test]
    fn a_removal_records_the_overlay_line_and_the_base_key() {
        let mut provenance = Provenance::default();
        let _ = merge(
            tree(0, "a: {b: 1, c: 2}\n"),
            tree(1, "a: {b: null}\n"),
            &mut provenance,
        )
        .expect("mappings");
        let removed = provenance
            .removed(&KeyPath::parse("a.b").expect("valid"))
            .expect("recorded");
        assert_eq!(removed.by.file, FileId(1));
        assert_eq!(removed.base_key.file, FileId(0));
        assert!(provenance.set_by_overlay(removed.by));
        assert!(!provenance.set_by_overlay(removed.base_key));
        assert!(
            provenance
                .removed(&KeyPath::parse("a.c").expect("valid"))
                .is_none()
        );
    }

    #[test]
    fn files_that_are_not_mappings_at_the_top_are_rejected() {
        for (base, overlay, errors) in [
            ("- a\n- b\n", "a: 1\n", 1),
            ("just text\n", "a: 1\n", 1),
            ("a: 1\n", "- a\n", 1),
            ("~\n", "7\n", 2),
        ] {
            let result = merge(tree(0, base), tree(1, overlay), &mut Provenance::default());
            assert_eq!(
                result.map_err(|e| e.len()).err(),
                Some(errors),
                "{base:?} + {overlay:?}"
            );
        }
    }

    #[test]
    fn an_override_of_a_key_with_dots_is_recorded_under_that_one_key() {
        let mut provenance = Provenance::default();
        let _ = merge(
            tree(0, "sel: {a.b/c: 1, a: {b/c: 2}}\n"),
            tree(1, "sel: {a.b/c: 3}\n"),
            &mut provenance,
        )
        .expect("mappings");
        let dotted: KeyPath = ["sel", "a.b/c"].into_iter().collect();
        let nested: KeyPath = ["sel", "a", "b/c"].into_iter().collect();
        assert_eq!(
            provenance.overridden(&dotted).map(|r| r.value.as_str()),
            Some("1")
        );
        assert!(provenance.overridden(&nested).is_none());
    }
}

//! JSON Patch (RFC 6902) operations that turn one object into another, for
//! Kustomize overlays: as few as a person would write, one per changed field.
//!
//! Maps are compared key by key; lists by position, after their common head
//! and tail, so inserting into or removing from a list touches only the items
//! that moved in or out. At every level the field-by-field operations are
//! weighed against replacing the whole value, and the whole value wins when
//! it is smaller to write (a label map whose every entry changed is one
//! `replace`, not five).
//!
//! Owns the diff. Must not know Kubernetes kinds: operations by path and
//! index apply identically to every kind, custom resources included, which is
//! why overlays use JSON Patch rather than strategic merge (whose list merging
//! depends on the kind's schema, see docs/decisions.md).

use serde_json::{Map, Value, json};

/// One RFC 6902 operation.
#[derive(Clone, Debug, PartialEq)]
pub(super) enum Op {
    Add { path: String, value: Value },
    Remove { path: String },
    Replace { path: String, value: Value },
}

impl Op {
    /// The operation as its JSON object: `{op, path, value}`.
    pub(super) fn to_json(&self) -> Value {
        match self {
            Op::Add { path, value } => json!({"op": "add", "path": path, "value": value}),
            Op::Remove { path } => json!({"op": "remove", "path": path}),
            Op::Replace { path, value } => {
                json!({"op": "replace", "path": path, "value": value})
            }
        }
    }

    /// How much there is to read: one for the operation, plus the scalars of
    /// its value.
    fn weight(&self) -> usize {
        match self {
            Op::Remove { .. } => 1,
            Op::Add { value, .. } | Op::Replace { value, .. } => 1 + leaves(value),
        }
    }
}

/// The weight of a list of operations, to compare two ways of writing one
/// change.
pub(super) fn weight(ops: &[Op]) -> usize {
    ops.iter().map(Op::weight).sum()
}

/// The operations turning `from` into `to`, applied in order. Empty when they
/// are equal. The root itself is never replaced (an overlay patches an
/// object; it does not swap it), so two objects always give field operations.
pub(super) fn diff(from: &Value, to: &Value) -> Vec<Op> {
    let mut ops = Vec::new();
    let mut path = String::new();
    match (from, to) {
        (Value::Object(a), Value::Object(b)) => diff_maps(&mut path, a, b, &mut ops),
        _ if from == to => {}
        _ => ops.push(Op::Replace {
            path: String::new(),
            value: to.clone(),
        }),
    }
    ops
}

/// Appends the operations for the value at `path`, fine-grained or whole.
fn diff_value(path: &mut String, from: &Value, to: &Value, ops: &mut Vec<Op>) {
    if from == to {
        return;
    }
    let mut fine = Vec::new();
    match (from, to) {
        (Value::Object(a), Value::Object(b)) => diff_maps(path, a, b, &mut fine),
        (Value::Array(a), Value::Array(b)) => diff_lists(path, a, b, &mut fine),
        _ => {
            ops.push(Op::Replace {
                path: path.clone(),
                value: to.clone(),
            });
            return;
        }
    }
    // Ties go to the fine-grained form: it says exactly what changed. The
    // whole value is counted only as far as the comparison needs, and cloned
    // only when it wins: a small change deep in a large object would
    // otherwise copy and count the object once per level above the change.
    let fine_weight = weight(&fine);
    if 1 + leaves_up_to(to, fine_weight) < fine_weight {
        ops.push(Op::Replace {
            path: path.clone(),
            value: to.clone(),
        });
    } else {
        ops.extend(fine);
    }
}

fn diff_maps(path: &mut String, a: &Map<String, Value>, b: &Map<String, Value>, ops: &mut Vec<Op>) {
    // Both maps iterate in key order (serde_json without `preserve_order`);
    // merging the two walks keeps the operations in key order too.
    let (mut left, mut right) = (a.iter().peekable(), b.iter().peekable());
    loop {
        let order = match (left.peek(), right.peek()) {
            (None, None) => break,
            (Some(_), None) => std::cmp::Ordering::Less,
            (None, Some(_)) => std::cmp::Ordering::Greater,
            (Some((ka, _)), Some((kb, _))) => ka.cmp(kb),
        };
        let len = path.len();
        match order {
            std::cmp::Ordering::Less => {
                let (key, _) = left.next().expect("peeked");
                push_key(path, key);
                ops.push(Op::Remove { path: path.clone() });
            }
            std::cmp::Ordering::Greater => {
                let (key, value) = right.next().expect("peeked");
                push_key(path, key);
                ops.push(Op::Add {
                    path: path.clone(),
                    value: value.clone(),
                });
            }
            std::cmp::Ordering::Equal => {
                let ((key, va), (_, vb)) =
                    (left.next().expect("peeked"), right.next().expect("peeked"));
                push_key(path, key);
                diff_value(path, va, vb, ops);
            }
        }
        path.truncate(len);
    }
}

fn diff_lists(path: &mut String, a: &[Value], b: &[Value], ops: &mut Vec<Op>) {
    let head = a.iter().zip(b).take_while(|(x, y)| x == y).count();
    let tail = a[head..]
        .iter()
        .rev()
        .zip(b[head..].iter().rev())
        .take_while(|(x, y)| x == y)
        .count();
    let (a_mid, b_mid) = (&a[head..a.len() - tail], &b[head..b.len() - tail]);
    let paired = a_mid.len().min(b_mid.len());
    let len = path.len();
    for (offset, (x, y)) in a_mid.iter().zip(b_mid).enumerate() {
        push_index(path, head + offset);
        diff_value(path, x, y, ops);
        path.truncate(len);
    }
    // Extra old items go from the last one back, so each index is still
    // where it was; new items go in front of the common tail, in order.
    for index in (head + paired..head + a_mid.len()).rev() {
        push_index(path, index);
        ops.push(Op::Remove { path: path.clone() });
        path.truncate(len);
    }
    for (offset, value) in b_mid.iter().enumerate().skip(paired) {
        push_index(path, head + offset);
        ops.push(Op::Add {
            path: path.clone(),
            value: value.clone(),
        });
        path.truncate(len);
    }
}

/// Appends `/key` with RFC 6901 escaping (`~` as `~0`, `/` as `~1`).
fn push_key(path: &mut String, key: &str) {
    path.push('/');
    for c in key.chars() {
        match c {
            '~' => path.push_str("~0"),
            '/' => path.push_str("~1"),
            c => path.push(c),
        }
    }
}

fn push_index(path: &mut String, index: usize) {
    path.push('/');
    path.push_str(&index.to_string());
}

/// Scalars (and empty collections) in a value.
fn leaves(value: &Value) -> usize {
    match value {
        Value::Object(map) if !map.is_empty() => map.values().map(leaves).sum(),
        Value::Array(items) if !items.is_empty() => items.iter().map(leaves).sum(),
        _ => 1,
    }
}

/// [`leaves`], counted until there are `limit`: the count when it is below
/// `limit`, else `limit`.
fn leaves_up_to(value: &Value, limit: usize) -> usize {
    fn count(value: &Value, limit: usize, counted: &mut usize) {
        if *counted >= limit {
            return;
        }
        match value {
            Value::Object(map) if !map.is_empty() => {
                for item in map.values() {
                    count(item, limit, counted);
                }
            }
            Value::Array(items) if !items.is_empty() => {
                for item in items {
                    count(item, limit, counted);
                }
            }
            _ => *counted += 1,
        }
    }
    let mut counted = 0;
    count(value, limit, &mut counted);
    counted.min(limit)
}

#[cfg(test)]
pub(crate) mod tests {
    use serde_json::json;

    use super::*;

    /// Applies operations as RFC 6902 says, to check what [`diff`] produces.
    pub(crate) fn apply(mut value: Value, ops: &[Op]) -> Result<Value, String> {
        for op in ops {
            let (path, new) = match op {
                Op::Add { path, value } | Op::Replace { path, value } => (path, Some(value)),
                Op::Remove { path } => (path, None),
            };
            if path.is_empty() {
                value = new.cloned().ok_or("cannot remove the root")?;
                continue;
            }
            let (parent, last) = path.rsplit_once('/').ok_or("bad pointer")?;
            let last = last.replace("~1", "/").replace("~0", "~");
            let target = value
                .pointer_mut(parent)
                .ok_or_else(|| format!("no parent for {path}"))?;
            match (target, op) {
                (Value::Object(map), Op::Add { value, .. }) => {
                    map.insert(last, value.clone());
                }
                (Value::Object(map), Op::Replace { value, .. }) => {
                    *map.get_mut(&last).ok_or(format!("replace: no {path}"))? = value.clone();
                }
                (Value::Object(map), Op::Remove { .. }) => {
                    map.remove(&last).ok_or(format!("remove: no {path}"))?;
                }
                (Value::Array(items), op) => {
                    let index: usize = last.parse().map_err(|_| format!("bad index in {path}"))?;
                    match op {
                        Op::Add { value, .. } if index <= items.len() => {
                            items.insert(index, value.clone());
                        }
                        Op::Replace { value, .. } if index < items.len() => {
                            items[index] = value.clone();
                        }
                        Op::Remove { .. } if index < items.len() => {
                            items.remove(index);
                        }
                        _ => return Err(format!("index out of range: {path}")),
                    }
                }
                _ => return Err(format!("{path}: parent is a scalar")),
            }
        }
        Ok(value)
    }

    #[track_caller]
    fn case(from: Value, to: Value, expected: &[Value]) {
        let ops = diff(&from, &to);
        let got: Vec<Value> = ops.iter().map(Op::to_json).collect();
        assert_eq!(got, expected, "ops");
        assert_eq!(apply(from, &ops).expect("applies"), to, "applying the ops");
    }

    #[test]
    fn one_changed_field_is_one_operation() {
        case(
            json!({"spec": {"replicas": 3, "template": {"spec": {"containers": [
                {"name": "web", "image": "web:1", "args": ["a"]}]}}}}),
            json!({"spec": {"replicas": 1, "template": {"spec": {"containers": [
                {"name": "web", "image": "web:2", "args": ["a"]}]}}}}),
            &[
                json!({"op": "replace", "path": "/spec/replicas", "value": 1}),
                json!({"op": "replace", "path": "/spec/template/spec/containers/0/image", "value": "web:2"}),
            ],
        );
    }

    #[test]
    fn keys_are_added_and_removed_with_escaped_pointers() {
        case(
            json!({"metadata": {"labels": {"a/b": "1", "keep": "k", "c~d": "x"}}}),
            json!({"metadata": {"labels": {"keep": "k", "c~d": "x", "new/one": "2"}}}),
            &[
                json!({"op": "remove", "path": "/metadata/labels/a~1b"}),
                json!({"op": "add", "path": "/metadata/labels/new~1one", "value": "2"}),
            ],
        );
    }

    #[test]
    fn list_insertions_and_removals_touch_only_what_moved() {
        case(
            json!({"args": ["server", "/data"]}),
            json!({"args": ["server", "/data", "--console-address", ":9001"]}),
            &[
                json!({"op": "add", "path": "/args/2", "value": "--console-address"}),
                json!({"op": "add", "path": "/args/3", "value": ":9001"}),
            ],
        );
        case(
            json!({"l": [1, 2, 3, 4, 5]}),
            json!({"l": [1, 5]}),
            &[
                json!({"op": "remove", "path": "/l/3"}),
                json!({"op": "remove", "path": "/l/2"}),
                json!({"op": "remove", "path": "/l/1"}),
            ],
        );
        case(
            json!({"l": [{"n": "a", "v": 1}, {"n": "c"}]}),
            json!({"l": [{"n": "a", "v": 2}, {"n": "b"}, {"n": "c"}]}),
            &[
                json!({"op": "replace", "path": "/l/0/v", "value": 2}),
                json!({"op": "add", "path": "/l/1", "value": {"n": "b"}}),
            ],
        );
    }

    #[test]
    fn a_value_that_changed_throughout_is_replaced_whole() {
        case(
            json!({"labels": {"a": "1", "b": "2", "c": "3"}}),
            json!({"labels": {"a": "x", "b": "y", "c": "z"}}),
            &[json!({"op": "replace", "path": "/labels", "value": {"a": "x", "b": "y", "c": "z"}})],
        );
        case(
            json!({"l": [1, 2]}),
            json!({"l": [3, 4, 5]}),
            &[json!({"op": "replace", "path": "/l", "value": [3, 4, 5]})],
        );
        // Type changes replace.
        case(
            json!({"a": {"b": 1}}),
            json!({"a": [1]}),
            &[json!({"op": "replace", "path": "/a", "value": [1]})],
        );
    }

    #[test]
    fn leaves_are_counted_up_to_the_limit() {
        let value = json!({"a": [1, 2, {"b": {}, "c": []}], "d": {"e": "x"}});
        assert_eq!(leaves(&value), 5);
        for limit in 0..=8 {
            assert_eq!(leaves_up_to(&value, limit), limit.min(5), "limit {limit}");
        }
    }

    #[test]
    fn a_small_change_deep_in_a_large_value_is_one_operation() {
        let rules = |expr: &str| -> Value {
            let mut rules: Vec<Value> = (0..500)
                .map(|i| json!({"alert": format!("A{i}"), "expr": "up == 0", "for": "5m"}))
                .collect();
            rules[250]["expr"] = json!(expr);
            json!({"spec": {"groups": [{"name": "g", "rules": rules}]}})
        };
        case(
            rules("up == 0"),
            rules("up < 1"),
            &[json!({"op": "replace", "path": "/spec/groups/0/rules/250/expr", "value": "up < 1"})],
        );
    }

    #[test]
    fn equal_values_need_nothing() {
        case(
            json!({"a": [1, {"b": null}]}),
            json!({"a": [1, {"b": null}]}),
            &[],
        );
    }
}

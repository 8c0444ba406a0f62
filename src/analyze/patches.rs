//! `patches`: each names a registered kind, says what it changes in exactly
//! one way, and its JSON Patch operations are well formed. Whether the target
//! exists and whether the patch changes it is known only once the objects
//! are made (`lower/patches.rs`).

use crate::diagnostic::{Code, Diagnostic, suggestion};
use crate::model::{PatchChange, PatchModel};
use crate::object::kinds::KINDS;
use crate::spec::{JsonPatchOp, PatchSpec};

use super::Context;

/// The checked patches of the spec, in spec order.
pub(super) fn resolve<'a>(
    ctx: &mut Context,
    patches: impl IntoIterator<Item = (&'a String, &'a PatchSpec)>,
) -> Vec<PatchModel> {
    let mut resolved = Vec::new();
    for (name, patch) in patches {
        let at = |field: &'static str| ["patches", name.as_str(), field];
        let Some(group) = group_of(ctx, name, patch) else {
            continue;
        };
        let change = match (&patch.merge, &patch.json) {
            (Some(merge), None) => {
                if !merge.is_object() {
                    ctx.report(
                        Diagnostic::error(
                            Code::InvalidPatch,
                            format!("the merge patch `{name}` is not a mapping"),
                        )
                        .at(
                            ctx.value(&at("merge")),
                            "expected the part of the object it changes",
                        )
                        .with_help(
                            "write it as the object is written: `merge: { spec: { replicas: 2 } }`",
                        ),
                    );
                    continue;
                }
                PatchChange::Merge(merge.clone())
            }
            (None, Some(operations)) => {
                if !operations_are_valid(ctx, name, operations) {
                    continue;
                }
                PatchChange::Json(
                    serde_json::to_value(
                        operations
                            .iter()
                            .map(|operation| {
                                let mut op = serde_json::Map::new();
                                op.insert("op".into(), op_name(operation.op).into());
                                op.insert("path".into(), operation.path.clone().into());
                                if let Some(value) = &operation.value {
                                    op.insert("value".into(), value.clone());
                                }
                                if let Some(from) = &operation.from {
                                    op.insert("from".into(), from.clone().into());
                                }
                                serde_json::Value::Object(op)
                            })
                            .collect::<Vec<_>>(),
                    )
                    .expect("JSON values serialize"),
                )
            }
            (merge, _) => {
                let (message, label) = if merge.is_some() {
                    ("sets both `merge` and `json`", "one of the two")
                } else {
                    ("sets neither `merge` nor `json`", "nothing to change")
                };
                ctx.report(
                    Diagnostic::error(Code::InvalidPatch, format!("patch `{name}` {message}"))
                        .at(ctx.key(&["patches", name]), label)
                        .with_help("a patch is `merge: { … }` (the part of the object it changes) or `json: [ { op, path, value } ]`"),
                );
                continue;
            }
        };
        resolved.push(PatchModel {
            name: name.clone(),
            group,
            kind: patch.target.kind.clone(),
            target_name: patch.target.name.clone(),
            namespace: patch.target.namespace.clone(),
            change,
            origin: ctx.key(&["patches", name]),
        });
    }
    resolved
}

/// The API group of the target's kind: the one given, or the only
/// registered kind of that name.
fn group_of(ctx: &mut Context, name: &str, patch: &PatchSpec) -> Option<String> {
    let kind = patch.target.kind.as_str();
    let groups: Vec<&str> = KINDS
        .iter()
        .filter(|k| k.kind == kind)
        .map(|k| k.group)
        .collect();
    let span = ctx.value(&["patches", name, "target", "kind"]);
    match (&patch.target.group, groups.as_slice()) {
        (_, []) => {
            ctx.report(
                Diagnostic::error(
                    Code::InvalidPatch,
                    format!("patch `{name}` targets a `{kind}`, which platformgen does not render"),
                )
                .at(span, "not a rendered kind")
                .with_help_opt(suggestion::did_you_mean(kind, KINDS.iter().map(|k| k.kind)))
                .with_note("only the objects platformgen renders can be patched"),
            );
            None
        }
        (Some(group), _) if !groups.contains(&group.as_str()) => {
            ctx.report(
                Diagnostic::error(
                    Code::InvalidPatch,
                    format!("`{kind}` is not rendered in API group `{group}`"),
                )
                .at(
                    ctx.value(&["patches", name, "target", "group"]),
                    "no such kind in this group",
                )
                .with_note(format!(
                    "`{kind}` is rendered in: {}",
                    groups
                        .iter()
                        .map(|g| format!("`{g}`"))
                        .collect::<Vec<_>>()
                        .join(", ")
                )),
            );
            None
        }
        (Some(group), _) => Some(group.clone()),
        (None, [group]) => Some((*group).to_owned()),
        (None, groups) => {
            ctx.report(
                Diagnostic::error(
                    Code::InvalidPatch,
                    format!("`{kind}` exists in several API groups"),
                )
                .at(span, "which one?")
                .with_help(format!(
                    "add `group:` to the target: one of {}",
                    groups
                        .iter()
                        .map(|g| format!("`{g}`"))
                        .collect::<Vec<_>>()
                        .join(", ")
                )),
            );
            None
        }
    }
}

fn op_name(op: JsonPatchOp) -> &'static str {
    match op {
        JsonPatchOp::Add => "add",
        JsonPatchOp::Remove => "remove",
        JsonPatchOp::Replace => "replace",
        JsonPatchOp::Move => "move",
        JsonPatchOp::Copy => "copy",
        JsonPatchOp::Test => "test",
    }
}

fn operations_are_valid(
    ctx: &mut Context,
    name: &str,
    operations: &[crate::spec::JsonPatchOperation],
) -> bool {
    let mut valid = true;
    if operations.is_empty() {
        ctx.report(
            Diagnostic::error(
                Code::InvalidPatch,
                format!("patch `{name}` has no operations"),
            )
            .at(ctx.value(&["patches", name, "json"]), "empty")
            .with_help("list at least one `{ op, path, value }`"),
        );
        return false;
    }
    for (index, operation) in operations.iter().enumerate() {
        let index = index.to_string();
        let at = |field: &'static str| ["patches", name, "json", index.as_str(), field];
        let pointers: [(&'static str, Option<&String>); 2] = [
            ("path", Some(&operation.path)),
            ("from", operation.from.as_ref()),
        ];
        for (field, pointer) in pointers {
            if let Some(pointer) = pointer
                && !pointer.is_empty()
                && !pointer.starts_with('/')
            {
                ctx.report(
                    Diagnostic::error(
                        Code::InvalidPatch,
                        format!("`{pointer}` is not a JSON pointer"),
                    )
                    .at(ctx.value(&at(field)), "a pointer starts with `/`")
                    .with_help("write the path from the object's root: `/spec/replicas`"),
                );
                valid = false;
            }
        }
        let needs_value = matches!(
            operation.op,
            JsonPatchOp::Add | JsonPatchOp::Replace | JsonPatchOp::Test
        );
        let needs_from = matches!(operation.op, JsonPatchOp::Move | JsonPatchOp::Copy);
        let problem = match (
            needs_value,
            operation.value.is_some(),
            needs_from,
            operation.from.is_some(),
        ) {
            (true, false, _, _) => Some(("needs a `value`", "op")),
            (false, true, _, _) => Some(("takes no `value`", "value")),
            (_, _, true, false) => Some(("needs a `from` pointer", "op")),
            (_, _, false, true) => Some(("takes no `from`", "from")),
            _ => None,
        };
        if let Some((what, field)) = problem {
            ctx.report(
                Diagnostic::error(
                    Code::InvalidPatch,
                    format!("`{}` {what}", op_name(operation.op)),
                )
                .at(ctx.value(&at(field)), what),
            );
            valid = false;
        }
    }
    valid
}

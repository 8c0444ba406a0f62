//! Applying `patches` to the objects as lowering makes them, before they are
//! frozen or judged: so `render`, `check` and `diff` all see the patched
//! object. A patch that finds no object, fails, would change the object's
//! identity, or changes nothing is an error at the patch.
//!
//! Merge patches follow the strategic-merge rule for the lists that matter
//! in pod specs (containers, env, ports, volumes, volumeMounts): a list of
//! mappings that all have a `name` merges item by item by name (`$patch:
//! delete` removes an item); every other list is replaced whole; mappings
//! merge key by key and `null` removes a key.

use serde_json::{Map, Value};

use crate::diagnostic::{Code, Diagnostic, Diagnostics, suggestion};
use crate::model::{PatchChange, PatchModel};
use crate::object::{Manifest, ResourceKey};

/// Annotation naming the patches applied to an object, so a reader of the
/// render (and of a diff) sees that the object is not platformgen's alone.
pub const PATCHED_BY: &str = "platformgen.dev/patched-by";

/// The patches of a platform, and what became of each.
#[derive(Debug, Default)]
pub(super) struct PatchSet {
    patches: Vec<PatchModel>,
    applied: Vec<bool>,
    /// Names of the objects of each targeted kind, for suggestions.
    seen: Vec<Vec<String>>,
    diagnostics: Diagnostics,
}

impl PatchSet {
    pub(super) fn new(patches: &[PatchModel]) -> Self {
        Self {
            patches: patches.to_vec(),
            applied: vec![false; patches.len()],
            seen: vec![Vec::new(); patches.len()],
            diagnostics: Diagnostics::default(),
        }
    }

    pub(super) fn is_empty(&self) -> bool {
        self.patches.is_empty()
    }

    /// Applies every patch that targets `manifest`, in spec order.
    pub(super) fn apply(&mut self, manifest: &mut Manifest) {
        let mut names = Vec::new();
        for (index, patch) in self.patches.iter().enumerate() {
            if patch.group != manifest.key.group || patch.kind != manifest.key.kind {
                continue;
            }
            if patch.target_name != manifest.key.name
                || (patch.namespace.is_some() && patch.namespace != manifest.key.namespace)
            {
                self.seen[index].push(manifest.key.name.clone());
                continue;
            }
            self.applied[index] = true;
            let before = manifest.value.clone();
            let mut value = manifest.value.clone();
            let result = match &patch.change {
                PatchChange::Merge(change) => {
                    merge(&mut value, change);
                    Ok(())
                }
                PatchChange::Json(operations) => {
                    serde_json::from_value::<json_patch::Patch>(operations.clone())
                        .map_err(|error| error.to_string())
                        .and_then(|operations| {
                            json_patch::patch(&mut value, &operations)
                                .map_err(|error| error.to_string())
                        })
                }
            };
            if let Err(error) = result {
                self.diagnostics
                    .push(failure(patch, &manifest.key, &format!("it fails: {error}")));
                continue;
            }
            if value == before {
                self.diagnostics.push(
                    failure(patch, &manifest.key, "it changes nothing")
                        .with_help("the object already says this: remove the patch"),
                );
                continue;
            }
            match Manifest::from_value(value, manifest.origin) {
                Ok(patched) if patched.key == manifest.key => {
                    manifest.value = patched.value;
                    names.push(patch.name.clone());
                }
                _ => self.diagnostics.push(
                    failure(
                        patch,
                        &manifest.key,
                        "it changes the object's kind, name or namespace",
                    )
                    .with_help("a patch changes an object; it cannot turn it into another"),
                ),
            }
        }
        if !names.is_empty() {
            annotate(&mut manifest.value, &names.join(","));
        }
    }

    /// The patches that found no object, then every failure, in spec order.
    pub(super) fn finish(mut self) -> Diagnostics {
        for (index, patch) in self.patches.iter().enumerate() {
            if self.applied[index] {
                continue;
            }
            let target = match &patch.namespace {
                Some(namespace) => format!("{}/{namespace}/{}", patch.kind, patch.target_name),
                None => format!("{}/{}", patch.kind, patch.target_name),
            };
            self.diagnostics.push(
                Diagnostic::error(
                    Code::PatchNotApplied,
                    format!(
                        "patch `{}` targets `{target}`, which is not rendered",
                        patch.name
                    ),
                )
                .at(patch.origin, "no object to patch")
                .with_help_opt(suggestion::did_you_mean(
                    &patch.target_name,
                    self.seen[index].iter().map(String::as_str),
                )),
            );
        }
        self.diagnostics
    }
}

fn failure(patch: &PatchModel, key: &ResourceKey, why: &str) -> Diagnostic {
    Diagnostic::error(
        Code::PatchNotApplied,
        format!(
            "patch `{}` of `{}` does not apply: {why}",
            patch.name,
            key.display()
        ),
    )
    .at(patch.origin, "this patch")
}

fn annotate(value: &mut Value, names: &str) {
    let Some(metadata) = value.get_mut("metadata").and_then(Value::as_object_mut) else {
        return;
    };
    let annotations = metadata
        .entry("annotations")
        .or_insert_with(|| Value::Object(Map::new()));
    if let Some(annotations) = annotations.as_object_mut() {
        annotations.insert(PATCHED_BY.to_owned(), Value::from(names));
    }
}

/// Merges `change` into `target` (see the module documentation).
fn merge(target: &mut Value, change: &Value) {
    match (target, change) {
        (Value::Object(target), Value::Object(change)) => {
            for (key, value) in change {
                if value.is_null() {
                    target.remove(key);
                } else if let Some(existing) = target.get_mut(key) {
                    merge(existing, value);
                } else {
                    let mut fresh = value.clone();
                    strip_directives(&mut fresh);
                    target.insert(key.clone(), fresh);
                }
            }
        }
        (Value::Array(target), Value::Array(change)) if named(target) && named(change) => {
            for item in change {
                let name = item.get("name");
                let position = target
                    .iter()
                    .position(|existing| existing.get("name") == name);
                let delete = item.get("$patch").and_then(Value::as_str) == Some("delete");
                match (position, delete) {
                    (Some(at), true) => {
                        target.remove(at);
                    }
                    (Some(at), false) => merge(&mut target[at], item),
                    (None, true) => {}
                    (None, false) => {
                        let mut fresh = item.clone();
                        strip_directives(&mut fresh);
                        target.push(fresh);
                    }
                }
            }
        }
        (target, change) => {
            let mut fresh = change.clone();
            strip_directives(&mut fresh);
            *target = fresh;
        }
    }
}

/// Whether every item is a mapping with a text `name`.
fn named(items: &[Value]) -> bool {
    items
        .iter()
        .all(|item| item.get("name").is_some_and(Value::is_string))
}

fn strip_directives(value: &mut Value) {
    match value {
        Value::Object(map) => {
            map.remove("$patch");
            map.values_mut().for_each(strip_directives);
        }
        Value::Array(items) => {
            items.retain(|item| item.get("$patch").and_then(Value::as_str) != Some("delete"));
            items.iter_mut().for_each(strip_directives);
        }
        _ => {}
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn named_lists_merge_by_name_and_others_are_replaced() {
        let mut object = json!({
            "spec": {
                "containers": [
                    {"name": "app", "image": "a:1", "env": [{"name": "A", "value": "1"}]},
                    {"name": "proxy", "image": "p:1"}
                ],
                "args": ["--a"],
                "drop": "me"
            }
        });
        merge(
            &mut object,
            &json!({
                "spec": {
                    "containers": [
                        {"name": "app", "env": [{"name": "B", "value": "2"}]},
                        {"name": "proxy", "$patch": "delete"},
                        {"name": "sidecar", "image": "s:1"}
                    ],
                    "args": ["--b"],
                    "drop": null
                }
            }),
        );
        assert_eq!(
            object,
            json!({
                "spec": {
                    "containers": [
                        {"name": "app", "image": "a:1", "env": [
                            {"name": "A", "value": "1"}, {"name": "B", "value": "2"}
                        ]},
                        {"name": "sidecar", "image": "s:1"}
                    ],
                    "args": ["--b"]
                }
            })
        );
    }
}

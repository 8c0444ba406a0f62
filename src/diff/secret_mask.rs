//! Masking of secret values in a diff. A Secret's `data` and `stringData`, and
//! a SealedSecret's `spec.encryptedData`, are replaced by placeholders before
//! the YAML is diffed, so a diff can be pasted into a pull request or a CI log
//! without leaking anything. Which keys were added, removed or changed stays
//! visible: as a list (`data.password: changed`), and in the diff itself,
//! where a changed value's placeholder differs between the two sides.
//!
//! Owns which fields of which kinds are secret and the placeholders. Must not
//! reveal anything derived from a value (no hashes, no lengths): a hash of a
//! short password is as good as the password.

use crate::object::kinds;
use std::collections::BTreeSet;

use serde_json::Value;

use crate::diff::line_paths::{PathStep, format_path};
use crate::diff::{Change, SecretKeyChange};

/// What a masked value that did not change reads as.
pub const MASKED: &str = "(masked)";
/// A changed value, before.
pub const MASKED_BEFORE: &str = "(masked, before)";
/// A changed value, after.
pub const MASKED_AFTER: &str = "(masked, after)";

/// The fields holding secret values, for a resource of `group` and `kind`
/// (the kind registry's `secret_data`).
fn secret_fields(group: &str, kind: &str) -> &'static [&'static [&'static str]] {
    kinds::lookup(group, kind).map_or(&[], |k| k.secret_data)
}

/// True when resources of this kind have values to mask.
pub(super) fn has_secrets(group: &str, kind: &str) -> bool {
    !secret_fields(group, kind).is_empty()
}

/// Masks the secret values of one resource's two sides (either may be
/// missing: added or removed) in place, and lists the keys that differ.
pub(super) fn mask(
    group: &str,
    kind: &str,
    mut old: Option<&mut Value>,
    mut new: Option<&mut Value>,
) -> Vec<SecretKeyChange> {
    let mut changes = Vec::new();
    for field in secret_fields(group, kind) {
        let old_field = old.as_deref_mut().and_then(|v| field_mut(v, field));
        let new_field = new.as_deref_mut().and_then(|v| field_mut(v, field));
        mask_field(field, old_field, new_field, &mut changes);
    }
    changes.sort();
    changes
}

fn field_mut<'v>(value: &'v mut Value, path: &[&str]) -> Option<&'v mut Value> {
    path.iter()
        .try_fold(value, |value, key| value.as_object_mut()?.get_mut(*key))
}

fn mask_field(
    field: &[&str],
    old: Option<&mut Value>,
    new: Option<&mut Value>,
    changes: &mut Vec<SecretKeyChange>,
) {
    let path_of = |key: Option<&str>| {
        format_path(
            field
                .iter()
                .map(|k| PathStep::Key(k))
                .chain(key.map(PathStep::Key)),
        )
    };
    match (old, new) {
        (None, None) => {}
        (Some(Value::Object(old)), Some(Value::Object(new))) => {
            let keys: BTreeSet<String> = old.keys().chain(new.keys()).cloned().collect();
            for key in keys {
                let change = match (old.get_mut(&key), new.get_mut(&key)) {
                    (Some(before), Some(after)) if before == after => {
                        *before = MASKED.into();
                        *after = MASKED.into();
                        None
                    }
                    (Some(before), Some(after)) => {
                        *before = MASKED_BEFORE.into();
                        *after = MASKED_AFTER.into();
                        Some(Change::Changed)
                    }
                    (Some(before), None) => {
                        *before = MASKED.into();
                        Some(Change::Removed)
                    }
                    (None, Some(after)) => {
                        *after = MASKED.into();
                        Some(Change::Added)
                    }
                    (None, None) => None,
                };
                if let Some(change) = change {
                    changes.push(SecretKeyChange {
                        path: path_of(Some(&key)),
                        change,
                    });
                }
            }
        }
        // One side lacks the field: every key of the other is added or
        // removed.
        (Some(Value::Object(old)), None) => {
            for (key, value) in old.iter_mut() {
                *value = MASKED.into();
                changes.push(SecretKeyChange {
                    path: path_of(Some(key)),
                    change: Change::Removed,
                });
            }
        }
        (None, Some(Value::Object(new))) => {
            for (key, value) in new.iter_mut() {
                *value = MASKED.into();
                changes.push(SecretKeyChange {
                    path: path_of(Some(key)),
                    change: Change::Added,
                });
            }
        }
        // Not a mapping (an invalid object, or `null`): mask it whole.
        (old, new) => {
            let change = match (&old, &new) {
                (Some(before), Some(after)) if before == after => None,
                (Some(_), Some(_)) => Some(Change::Changed),
                (Some(_), None) => Some(Change::Removed),
                (None, _) => Some(Change::Added),
            };
            let (before, after) = if change == Some(Change::Changed) {
                (MASKED_BEFORE, MASKED_AFTER)
            } else {
                (MASKED, MASKED)
            };
            if let Some(old) = old {
                *old = before.into();
            }
            if let Some(new) = new {
                *new = after.into();
            }
            if let Some(change) = change {
                changes.push(SecretKeyChange {
                    path: path_of(None),
                    change,
                });
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;

    fn secret(data: Value) -> Value {
        json!({"apiVersion": "v1", "kind": "Secret", "data": data, "type": "Opaque"})
    }

    #[track_caller]
    fn case(
        old: Option<Value>,
        new: Option<Value>,
        expected_old: Option<Value>,
        expected_new: Option<Value>,
        expected: &[(&str, Change)],
    ) {
        let (mut old, mut new) = (old, new);
        let changes = mask("", "Secret", old.as_mut(), new.as_mut());
        assert_eq!(old, expected_old, "old side");
        assert_eq!(new, expected_new, "new side");
        let changes: Vec<(&str, Change)> = changes
            .iter()
            .map(|c| (c.path.as_str(), c.change))
            .collect();
        assert_eq!(changes, expected);
    }

    #[test]
    fn values_are_masked_and_changes_listed_per_key() {
        case(
            Some(secret(
                json!({"password": "b2xk", "user": "YQ==", "gone": "eA=="}),
            )),
            Some(secret(
                json!({"password": "bmV3", "user": "YQ==", "token": "dA=="}),
            )),
            Some(secret(
                json!({"password": MASKED_BEFORE, "user": MASKED, "gone": MASKED}),
            )),
            Some(secret(
                json!({"password": MASKED_AFTER, "user": MASKED, "token": MASKED}),
            )),
            &[
                ("data.gone", Change::Removed),
                ("data.password", Change::Changed),
                ("data.token", Change::Added),
            ],
        );
    }

    #[test]
    fn added_and_removed_secrets_list_every_key() {
        case(
            None,
            Some(secret(json!({"a.b": "eA=="}))),
            None,
            Some(secret(json!({"a.b": MASKED}))),
            &[("data[\"a.b\"]", Change::Added)],
        );
        case(
            Some(secret(json!({"k": "eA=="}))),
            None,
            Some(secret(json!({"k": MASKED}))),
            None,
            &[("data.k", Change::Removed)],
        );
    }

    #[test]
    fn a_field_that_is_not_a_mapping_is_masked_whole() {
        case(
            Some(secret(json!("oops"))),
            Some(secret(json!(null))),
            Some(secret(json!(MASKED_BEFORE))),
            Some(secret(json!(MASKED_AFTER))),
            &[("data", Change::Changed)],
        );
    }

    #[test]
    fn sealed_secrets_mask_encrypted_data_and_other_kinds_nothing() {
        let mut sealed = json!({"spec": {"encryptedData": {"k": "AgB..."}, "template": {}}});
        let changes = mask("bitnami.com", "SealedSecret", None, Some(&mut sealed));
        assert_eq!(sealed["spec"]["encryptedData"]["k"], MASKED);
        assert_eq!(changes[0].path, "spec.encryptedData.k");

        let mut config = json!({"data": {"k": "v"}});
        assert!(mask("", "ConfigMap", None, Some(&mut config)).is_empty());
        assert_eq!(config["data"]["k"], "v");
        assert!(!has_secrets("", "ConfigMap"));
        assert!(has_secrets("", "Secret"));
    }
}

//! `patches.<name>`: the escape hatch for a field platformgen does not model:
//! a change to one rendered object, applied after lowering and before the
//! policy rules, so the rules judge what is applied.

use schemars::JsonSchema;
use serde::Deserialize;

/// One patch of one rendered object. Set exactly one of `merge` and `json`.
#[derive(Debug, Clone, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
pub struct PatchSpec {
    /// The object: its `kind`, `name`, and `namespace` (for namespaced kinds);
    /// `group` when the kind exists in several API groups.
    pub target: PatchTarget,
    /// A merge patch, written as the part of the object it changes: mappings
    /// merge key by key, `null` removes a key, a list of mappings that all
    /// have a `name` merges item by item by name (an item with
    /// `$patch: delete` is removed), any other list is replaced whole.
    #[serde(default)]
    pub merge: Option<serde_json::Value>,
    /// A JSON Patch (RFC 6902): operations on JSON pointers, applied in order.
    #[serde(default)]
    pub json: Option<Vec<JsonPatchOperation>>,
    /// Why the spec cannot say this itself, for reviewers.
    pub reason: String,
}

/// Which object a patch changes.
#[derive(Debug, Clone, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
pub struct PatchTarget {
    /// The API group (`apps`, `networking.k8s.io`); empty for the core group.
    /// Needed only when two registered kinds share the name.
    #[serde(default)]
    pub group: Option<String>,
    /// The kind, as in the object (`Deployment`, `Ingress`).
    pub kind: String,
    /// `metadata.name` of the object.
    pub name: String,
    /// `metadata.namespace`, for namespaced kinds.
    #[serde(default)]
    pub namespace: Option<String>,
}

/// One RFC 6902 operation.
#[derive(Debug, Clone, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
pub struct JsonPatchOperation {
    /// `add`, `remove`, `replace`, `move`, `copy` or `test`.
    pub op: JsonPatchOp,
    /// A JSON pointer into the object (`/spec/template/metadata/labels/tier`;
    /// `~1` for `/` in a key, `-` for the end of a list).
    pub path: String,
    /// The value, for `add`, `replace` and `test`.
    #[serde(default)]
    pub value: Option<serde_json::Value>,
    /// The source pointer, for `move` and `copy`.
    #[serde(default)]
    pub from: Option<String>,
}

/// An RFC 6902 operation.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, JsonSchema)]
#[serde(rename_all = "camelCase")]
pub enum JsonPatchOp {
    Add,
    Remove,
    Replace,
    Move,
    Copy,
    Test,
}

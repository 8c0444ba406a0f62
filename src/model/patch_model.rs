//! `PatchModel`: a checked patch of one rendered object.

use serde_json::Value;

use crate::source::Span;

#[derive(Debug, Clone, PartialEq)]
pub struct PatchModel {
    /// Its key under `patches`.
    pub name: String,
    /// The target's API group (empty for the core group) and kind, as
    /// registered.
    pub group: String,
    pub kind: String,
    pub target_name: String,
    pub namespace: Option<String>,
    pub change: PatchChange,
    /// The patch's key in the spec.
    pub origin: Span,
}

#[derive(Debug, Clone, PartialEq)]
pub enum PatchChange {
    /// A merge patch (docs/escape-hatches.md: mappings merge, lists of
    /// named mappings merge by name, other lists replace).
    Merge(Value),
    /// RFC 6902 operations, as JSON.
    Json(Value),
}

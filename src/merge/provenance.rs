//! `Provenance`: for each key path an overlay replaced, where the replaced value
//! was and what it was. Where the winning value came from needs no record: its
//! node's span says so.
//!
//! A key the overlay removed (`key: null`) leaves no node in the merged tree,
//! so nothing there could say which line removed it; [`Removed`] keeps that
//! line and the base line it removed, so an error the removal causes (a
//! required key now missing, a namespace a workload still names) can point at
//! the overlay line first and the base line second.
//!
//! Keyed by [`KeyPath`], not by dot-joined text, so a key containing a dot
//! (`doks.digitalocean.com/node-pool`) is one key and not two levels.

use std::collections::BTreeMap;

use super::KeyPath;
use crate::source::{FileId, Span};

#[derive(Debug, Clone, Default)]
pub struct Provenance {
    overrides: BTreeMap<KeyPath, Replaced>,
    removals: BTreeMap<KeyPath, Removed>,
    /// The overlay file and the command-line values merged over it.
    overlays: Vec<FileId>,
}

/// A value an overlay replaced.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Replaced {
    pub span: Span,
    pub value: String,
}

/// A key an overlay removed with `key: null`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Removed {
    /// The overlay's `key: null` (its key).
    pub by: Span,
    /// The key in the base that it removed.
    pub base_key: Span,
}

impl Provenance {
    pub fn record_override(&mut self, path: KeyPath, span: Span, value: String) {
        self.overrides.insert(path, Replaced { span, value });
    }

    /// Records that the overlay's `by` (a `key: null`) removed the base's key at
    /// `base_key`; what was removed is also an override of `path`.
    pub fn record_removal(&mut self, path: KeyPath, removed: Removed) {
        self.removals.insert(path, removed);
    }

    /// Records that `file` was merged over the base (the environment overlay,
    /// or a command-line value), so a stage can tell a value an overlay set
    /// from one the base set by its span alone.
    pub fn record_overlay(&mut self, file: FileId) {
        self.overlays.push(file);
    }

    /// What the value at `path` (`workloads.api.replicas`) replaced, if anything.
    pub fn overridden(&self, path: &KeyPath) -> Option<&Replaced> {
        self.overrides.get(path)
    }

    /// The overlay's `key: null` that removed the key at `path`, if one did.
    pub fn removed(&self, path: &KeyPath) -> Option<&Removed> {
        self.removals.get(path)
    }

    /// The environment overlay's file, once merged.
    pub fn overlay_file(&self) -> Option<FileId> {
        self.overlays.first().copied()
    }

    /// Whether `span` lies in the overlay file or a command-line value.
    pub fn set_by_overlay(&self, span: Span) -> bool {
        self.overlays.contains(&span.file)
    }
}

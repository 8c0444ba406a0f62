//! `Provenance`: for each key path an overlay replaced, where the replaced value
//! was and what it was. Where the winning value came from needs no record: its
//! node's span says so.
//!
//! Keyed by [`KeyPath`], not by dot-joined text, so a key containing a dot
//! (`doks.digitalocean.com/node-pool`) is one key and not two levels.

use std::collections::BTreeMap;

use super::KeyPath;
use crate::source::Span;

#[derive(Debug, Clone, Default)]
pub struct Provenance {
    overrides: BTreeMap<KeyPath, Replaced>,
}

/// A value an overlay replaced.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Replaced {
    pub span: Span,
    pub value: String,
}

impl Provenance {
    pub fn record_override(&mut self, path: KeyPath, span: Span, value: String) {
        self.overrides.insert(path, Replaced { span, value });
    }

    /// What the value at `path` (`workloads.api.replicas`) replaced, if anything.
    pub fn overridden(&self, path: &KeyPath) -> Option<&Replaced> {
        self.overrides.get(path)
    }
}

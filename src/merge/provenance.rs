//! `Provenance`: for each key path an overlay replaced, where the replaced value
//! was and what it was. Where the winning value came from needs no record: its
//! node's span says so.

use std::collections::BTreeMap;

use crate::source::Span;

#[derive(Debug, Clone, Default)]
pub struct Provenance {
    overrides: BTreeMap<String, Replaced>,
}

/// A value an overlay replaced.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Replaced {
    pub span: Span,
    pub value: String,
}

impl Provenance {
    pub fn record_override(&mut self, path: String, span: Span, value: String) {
        self.overrides.insert(path, Replaced { span, value });
    }

    /// What the value at `path` (`workloads.api.replicas`) replaced, if anything.
    pub fn overridden(&self, path: &str) -> Option<&Replaced> {
        self.overrides.get(path)
    }
}

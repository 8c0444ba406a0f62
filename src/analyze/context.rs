//! `Context`: what every check family reads: the spec, the merged tree it came
//! from (to turn key paths into spans), the merge's provenance (to point at
//! the overlay line that caused an error, such as a `key: null` that removed
//! something still needed) and the environment being compiled.

use crate::diagnostic::{Diagnostic, Diagnostics};
use crate::merge::{self, KeyPath, Provenance, Removed};
use crate::source::Span;
use crate::spec::PlatformSpec;
use crate::yaml::Node;

pub struct Context<'a> {
    pub spec: &'a PlatformSpec,
    pub tree: &'a Node,
    pub provenance: &'a Provenance,
    pub environment: &'a str,
    pub diagnostics: Diagnostics,
}

impl Context<'_> {
    /// Span of the key ending `path`.
    pub fn key(&self, path: &[&str]) -> Span {
        merge::key_span(self.tree, path)
    }

    /// Span of the value at `path`.
    pub fn value(&self, path: &[&str]) -> Span {
        merge::value_span(self.tree, path)
    }

    /// The overlay's `key: null` that removed the key at `path`, if one did.
    pub fn removed(&self, path: &[&str]) -> Option<Removed> {
        let path: KeyPath = path.iter().copied().collect();
        self.provenance.removed(&path).copied()
    }

    /// Whether the overlay (not the base) wrote the key or value at `span`.
    pub fn set_by_overlay(&self, span: Span) -> bool {
        self.provenance.set_by_overlay(span)
    }

    pub fn report(&mut self, diagnostic: Diagnostic) {
        self.diagnostics.push(diagnostic);
    }
}

//! `Context`: what every check family reads: the spec, the merged tree it came
//! from (to turn key paths into spans) and the environment being compiled.

use crate::diagnostic::{Diagnostic, Diagnostics};
use crate::merge;
use crate::source::Span;
use crate::spec::PlatformSpec;
use crate::yaml::Node;

pub struct Context<'a> {
    pub spec: &'a PlatformSpec,
    pub tree: &'a Node,
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

    pub fn report(&mut self, diagnostic: Diagnostic) {
        self.diagnostics.push(diagnostic);
    }
}

//! Command-line values (`--set PATH=VALUE`, `--image WORKLOAD=IMAGE`) as
//! overlays: each argument becomes a source of its own (so diagnostics and
//! `explain` point into it, `--set:1:24`), is read into a tree from the root
//! down to the key it sets, checked against the spec's shape, and merged over
//! the environment overlay like a file would be.
//!
//! A path must lead somewhere the spec has: a field the schema knows, and an
//! entry of a named collection (`workloads.<name>`) that the merged spec
//! already holds, unless it is the key being set. So a typo
//! (`workloads.helth-api.image`) is an error with a suggestion, never a new
//! workload with one field.

mod argument;
mod schema_path;

use crate::diagnostic::Diagnostic;
use crate::merge::{self, Provenance};
use crate::read::Override;
use crate::source::{SourceFile, Sources};
use crate::yaml::Node;

use self::schema_path::SpecShape;

/// Applies `overrides` over `merged`, in order. Every argument is read
/// before failing, so all their mistakes show at once.
pub fn apply(
    merged: Node,
    overrides: &[Override],
    sources: &mut Sources,
    provenance: &mut Provenance,
) -> Result<Node, Vec<Diagnostic>> {
    if overrides.is_empty() {
        return Ok(merged);
    }
    let shape = SpecShape::new();
    let mut trees = Vec::new();
    let mut errors = Vec::new();
    for value in overrides {
        let file = sources.add(SourceFile::new(value.flag.flag(), value.argument.clone()));
        match argument::read(file, value, &merged, &shape, sources) {
            Ok(tree) => {
                super::redaction::redact_sources(&tree, sources);
                trees.push(tree);
            }
            Err(diagnostic) => errors.push(diagnostic),
        }
    }
    if !errors.is_empty() {
        return Err(errors);
    }
    trees.into_iter().try_fold(merged, |tree, overlay| {
        merge::merge(tree, overlay, provenance)
    })
}

//! The layering of docs/architecture.md, held against the code.
//!
//! Every path a file of `src/` names is resolved to the file defining the
//! item (`source_graph`), which gives the graph of which file uses which.
//! Two rules hold on it:
//!
//! - each use goes to a file of the same layer or a lower one. A file's layer
//!   is its top-level module's, except inside a capability folder
//!   (`src/capabilities/<name>/`), where each file belongs to the layer its
//!   name says (`spec.rs` to `spec`, `lower.rs` to `lower`, …): a capability
//!   is a vertical slice through the layers, not a layer of its own;
//! - no cycle: neither between files nor between top-level modules (where a
//!   capability's files all count as `capabilities`). The spec and the model
//!   hold capabilities' sections and parts type-erased (`spec::Sections`),
//!   so nothing below `capabilities` names a capability's type.
//!
//! Test-only code is left out: `#[cfg(test)]` items and `testing.rs` files,
//! which may build whole platforms through the pipeline.

mod rust_source;
mod source_graph;

use std::collections::BTreeMap;
use std::path::Path;

use source_graph::{Edge, SourceTree, cycles};

/// The layers, lowest first. A module may use its own layer and those before it.
const LAYERS: &[&str] = &[
    "parallel",
    "source",
    "diagnostic",
    "yaml",
    "object",
    "validate",
    "merge",
    "read",
    "spec",
    "template",
    "model",
    "analyze",
    "graph",
    "lower",
    "policy",
    "emit",
    "explain",
    "diff",
    "capabilities",
    "pipeline",
    "check",
    "schema",
    "init",
    "cli",
    "run",
];

/// The layer of a file, or `None` for the crate root.
fn layer_of_file(relative: &str) -> Option<&'static str> {
    let segments: Vec<&str> = relative.trim_end_matches(".rs").split('/').collect();
    if let ["capabilities", _capability, file, ..] = segments.as_slice() {
        return Some(layer_named(file).unwrap_or("capabilities"));
    }
    match segments[0] {
        "lib" => None,
        top => Some(layer_named(top).unwrap_or_else(|| {
            panic!("src/{relative}: module `{top}` has no layer in tests/layering.rs and docs/architecture.md")
        })),
    }
}

fn layer_named(name: &str) -> Option<&'static str> {
    LAYERS.iter().copied().find(|layer| *layer == name)
}

fn rank(layer: &str) -> usize {
    LAYERS
        .iter()
        .position(|l| *l == layer)
        .expect("a known layer")
}

/// The top-level module of a file (`capabilities` for every file of a
/// capability folder), or `None` for the crate root.
fn top_level_module(relative: &str) -> Option<&str> {
    let top = relative.split('/').next()?.trim_end_matches(".rs");
    (top != "lib").then_some(top)
}

fn source_tree() -> SourceTree {
    let tree = SourceTree::read(&Path::new(env!("CARGO_MANIFEST_DIR")).join("src"));
    assert!(
        tree.file_count() > 50,
        "found the sources ({} files)",
        tree.file_count()
    );
    tree
}

#[test]
fn every_use_goes_down_the_layers() {
    let mut violations = Vec::new();
    for edge in source_tree().edges() {
        let (Some(layer), Some(target)) = (layer_of_file(&edge.from), layer_of_file(&edge.to))
        else {
            continue;
        };
        if rank(target) > rank(layer) {
            violations.push(format!("{edge} ({layer} uses {target})"));
        }
    }
    assert!(
        violations.is_empty(),
        "uses against the layering of docs/architecture.md (lowest first: {}):\n{}",
        LAYERS.join(" < "),
        violations.join("\n")
    );
}

/// Each cycle, with the uses that close it (at most a few per pair).
fn describe(cycles: &[Vec<&str>], edges: &[(String, String, &Edge)]) -> String {
    let mut text = String::new();
    for cycle in cycles {
        text.push_str(&format!("cycle: {}\n", cycle.join(", ")));
        let mut by_pair: BTreeMap<(&str, &str), Vec<&Edge>> = BTreeMap::new();
        for (from, to, edge) in edges {
            if cycle.contains(&from.as_str()) && cycle.contains(&to.as_str()) {
                by_pair.entry((from, to)).or_default().push(edge);
            }
        }
        for ((from, to), uses) in by_pair {
            text.push_str(&format!("  {from} -> {to} ({} uses)\n", uses.len()));
            for edge in uses.iter().take(3) {
                text.push_str(&format!("    {edge}\n"));
            }
        }
    }
    text
}

#[test]
fn no_file_uses_itself_through_others() {
    let edges: Vec<Edge> = source_tree().edges().into_iter().collect();
    let pairs: Vec<(String, String, &Edge)> = edges
        .iter()
        .map(|edge| (edge.from.clone(), edge.to.clone(), edge))
        .collect();
    let found = cycles(
        pairs
            .iter()
            .map(|(from, to, _)| (from.as_str(), to.as_str())),
    );
    assert!(
        found.is_empty(),
        "files of src/ using each other in a cycle:\n{}",
        describe(&found, &pairs)
    );
}

#[test]
fn no_top_level_module_uses_itself_through_others() {
    let edges: Vec<Edge> = source_tree().edges().into_iter().collect();
    let pairs: Vec<(String, String, &Edge)> = edges
        .iter()
        .filter_map(|edge| {
            let from = top_level_module(&edge.from)?;
            let to = top_level_module(&edge.to)?;
            (from != to).then(|| (from.to_owned(), to.to_owned(), edge))
        })
        .collect();
    let found = cycles(
        pairs
            .iter()
            .map(|(from, to, _)| (from.as_str(), to.as_str())),
    );
    assert!(
        found.is_empty(),
        "top-level modules of src/ using each other in a cycle (a capability's files count as `capabilities`):\n{}",
        describe(&found, &pairs)
    );
}

#[test]
fn docs_name_the_same_layers() {
    let docs =
        std::fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join("docs/architecture.md"))
            .expect("docs/architecture.md");
    let line = docs
        .lines()
        .find(|line| line.starts_with("Layers, lowest first:"))
        .expect("docs/architecture.md has a `Layers, lowest first:` line");
    let named: Vec<&str> = line
        .trim_start_matches("Layers, lowest first:")
        .split('<')
        .map(|s| s.trim().trim_end_matches('.').trim_matches('`'))
        .collect();
    assert_eq!(
        named, LAYERS,
        "docs/architecture.md lists the layers of this test"
    );
}

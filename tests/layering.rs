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
//!   capability's files all count as `capabilities`), but for the typed
//!   roots' uses of capability types listed in [`TYPED_ROOTS`].
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

/// The uses that may close a cycle, a known exception: the typed roots name
/// each capability's spec and model types as fields, so that the spec and
/// model are typed end to end and the JSON Schema is complete. They are
/// `PlatformSpec` and `PlatformModel`, the spec of a workload and of a
/// namespace and a workload's model (for the sections under
/// `workloads.<name>` and `namespaces.<name>` a capability owns), and the
/// `spec` and `model` module files re-exporting their parts. A capability's
/// own spec and model files use core spec and model types, so between
/// top-level modules these close `spec` → `capabilities` → `spec` (and the
/// same for `model`). Holding capability sections type-erased would end the
/// exception (see docs/architecture.md). As (using file, used file)
/// patterns, where `*` stands for one path segment.
const TYPED_ROOTS: &[(&str, &str)] = &[
    ("spec.rs", "capabilities/*/spec.rs"),
    ("spec.rs", "capabilities/*/spec/*"),
    ("spec/platform_spec.rs", "capabilities/*/spec.rs"),
    ("spec/platform_spec.rs", "capabilities/*/spec/*"),
    ("spec/workload.rs", "capabilities/*/spec.rs"),
    ("spec/workload.rs", "capabilities/*/spec/*"),
    ("spec/namespace.rs", "capabilities/*/spec.rs"),
    ("spec/namespace.rs", "capabilities/*/spec/*"),
    ("model.rs", "capabilities/*/model.rs"),
    ("model.rs", "capabilities/*/model/*"),
    ("model/platform_model.rs", "capabilities/*/model.rs"),
    ("model/platform_model.rs", "capabilities/*/model/*"),
    ("model/workload_model.rs", "capabilities/*/model.rs"),
    ("model/workload_model.rs", "capabilities/*/model/*"),
];

/// `path` against `pattern`, where `*` matches one segment.
fn matches(pattern: &str, path: &str) -> bool {
    let pattern: Vec<&str> = pattern.split('/').collect();
    let path: Vec<&str> = path.split('/').collect();
    pattern.len() == path.len()
        && pattern
            .iter()
            .zip(&path)
            .all(|(pattern, segment)| *pattern == "*" || pattern == segment)
}

fn is_typed_root_use(edge: &Edge) -> bool {
    TYPED_ROOTS
        .iter()
        .any(|(from, to)| matches(from, &edge.from) && matches(to, &edge.to))
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
    let edges: Vec<Edge> = source_tree()
        .edges()
        .into_iter()
        .filter(|edge| !is_typed_root_use(edge))
        .collect();
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
    let edges: Vec<Edge> = source_tree()
        .edges()
        .into_iter()
        .filter(|edge| !is_typed_root_use(edge))
        .collect();
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
fn the_typed_roots_exception_names_files() {
    assert!(matches(
        "capabilities/*/spec.rs",
        "capabilities/quota/spec.rs"
    ));
    assert!(!matches(
        "capabilities/*/spec.rs",
        "capabilities/quota/spec/quota.rs"
    ));
    assert!(matches(
        "capabilities/*/spec/*",
        "capabilities/quota/spec/quota.rs"
    ));
    assert_eq!(
        top_level_module("capabilities/quota/spec.rs"),
        Some("capabilities")
    );
    assert_eq!(top_level_module("lib.rs"), None);
    assert_eq!(layer_of_file("capabilities/x/lower.rs"), Some("lower"));
    assert_eq!(
        layer_of_file("capabilities/x/lower/objects.rs"),
        Some("lower")
    );
    assert_eq!(layer_of_file("capabilities/x.rs"), Some("capabilities"));
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

//! The layering of docs/architecture.md, held against the code: every
//! `crate::` path in `src/` names a module of the same layer or a lower one.
//! A file's layer is its top-level module's, except inside a capability folder
//! (`src/capabilities/<name>/`), where each file belongs to the layer its name
//! says (`spec.rs` to `spec`, `lower.rs` to `lower`, …): a capability is a
//! vertical slice through the layers, not a layer of its own.
//!
//! Test-only code is left out: `#[cfg(test)]` blocks and `testing.rs` files,
//! which may build whole platforms through the pipeline.

use std::collections::BTreeMap;
use std::path::Path;

/// The layers, lowest first. A module may use its own layer and those before it.
const LAYERS: &[&str] = &[
    "source",
    "diagnostic",
    "yaml",
    "object",
    "merge",
    "read",
    "spec",
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

/// Every `.rs` file under `dir`, as (path relative to `src/`, text).
fn sources(root: &Path, dir: &Path, out: &mut BTreeMap<String, String>) {
    let mut entries: Vec<_> = std::fs::read_dir(dir)
        .expect("src/ is readable")
        .map(|entry| entry.expect("a directory entry").path())
        .collect();
    entries.sort();
    for path in entries {
        if path.is_dir() {
            sources(root, &path, out);
        } else if path.extension().is_some_and(|ext| ext == "rs") {
            let relative = path
                .strip_prefix(root)
                .expect("under src/")
                .to_string_lossy()
                .replace('\\', "/");
            let text = std::fs::read_to_string(&path).expect("source is UTF-8");
            out.insert(relative, text);
        }
    }
}

/// The layer of a file, or `None` for the crate root and binary entry point.
fn layer_of_file(relative: &str) -> Option<&'static str> {
    let segments: Vec<&str> = relative.trim_end_matches(".rs").split('/').collect();
    if let ["capabilities", _capability, file, ..] = segments.as_slice() {
        return Some(layer_named(file).unwrap_or("capabilities"));
    }
    match segments[0] {
        "lib" | "main" => None,
        top => Some(layer_named(top).unwrap_or_else(|| {
            panic!("src/{relative}: module `{top}` has no layer in tests/layering.rs and docs/architecture.md")
        })),
    }
}

fn layer_named(name: &str) -> Option<&'static str> {
    LAYERS.iter().copied().find(|layer| *layer == name)
}

/// The layer a `crate::` path names: `crate::capabilities::x::spec::T` is in
/// `spec`; `crate::capabilities::x::T` in `capabilities`.
fn layer_of_path(path: &[&str]) -> Option<&'static str> {
    match path {
        ["capabilities", _capability, item, ..] => {
            Some(layer_named(item).unwrap_or("capabilities"))
        }
        [top, ..] => layer_named(top),
        [] => None,
    }
}

fn rank(layer: &str) -> usize {
    LAYERS
        .iter()
        .position(|l| *l == layer)
        .expect("a known layer")
}

/// The code of a file without comments and `#[cfg(test)]` items (which run
/// from the attribute to the end of the file in this code base: test modules
/// come last).
fn production_code(text: &str) -> String {
    let code = text.split("#[cfg(test)]").next().unwrap_or_default();
    code.lines()
        .filter(|line| !line.trim_start().starts_with("//"))
        .collect::<Vec<_>>()
        .join("\n")
}

/// Every `crate::a::b::…` path in `code`: each leaf of a `use crate::…;` tree
/// (braces nested to any depth), and each path written inline.
fn crate_paths(code: &str) -> Vec<Vec<String>> {
    let mut paths = Vec::new();
    let mut rest = code;
    while let Some(start) = rest.find("crate::") {
        let after = &rest[start + "crate::".len()..];
        let is_use = rest[..start].trim_end().ends_with("use");
        if is_use {
            let end = after.find(';').unwrap_or(after.len());
            use_tree(&after[..end], &mut Vec::new(), &mut paths);
            rest = &after[end..];
        } else {
            let end = after
                .find(|c: char| !(c.is_alphanumeric() || c == '_' || c == ':'))
                .unwrap_or(after.len());
            paths.push(segments(&after[..end]));
            rest = &after[end..];
        }
    }
    paths
}

/// The leaves of a use tree such as `a::{b, c::{d, e}}`, each with `prefix`.
fn use_tree(tree: &str, prefix: &mut Vec<String>, out: &mut Vec<Vec<String>>) {
    let tree = tree.trim();
    if let Some(inner) = tree.strip_prefix('{').and_then(|t| t.strip_suffix('}')) {
        for part in top_level_items(inner) {
            use_tree(part, prefix, out);
        }
        return;
    }
    match tree.split_once("::") {
        Some((head, tail)) => {
            prefix.push(head.trim().to_owned());
            use_tree(tail, prefix, out);
            prefix.pop();
        }
        None => {
            let name = tree.split(" as ").next().unwrap_or_default().trim();
            let mut path = prefix.clone();
            if !name.is_empty() && name != "self" && name != "*" {
                path.push(name.to_owned());
            }
            out.push(path);
        }
    }
}

/// `a, b::{c, d}, e` split at the commas outside braces.
fn top_level_items(list: &str) -> Vec<&str> {
    let mut items = Vec::new();
    let (mut depth, mut start) = (0usize, 0usize);
    for (index, c) in list.char_indices() {
        match c {
            '{' => depth += 1,
            '}' => depth = depth.saturating_sub(1),
            ',' if depth == 0 => {
                items.push(&list[start..index]);
                start = index + 1;
            }
            _ => {}
        }
    }
    items.push(&list[start..]);
    items
        .into_iter()
        .filter(|item| !item.trim().is_empty())
        .collect()
}

fn segments(path: &str) -> Vec<String> {
    path.split("::")
        .map(str::trim)
        .filter(|s| !s.is_empty())
        .map(str::to_owned)
        .collect()
}

#[test]
fn every_import_goes_down_the_layers() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    let mut files = BTreeMap::new();
    sources(&root, &root, &mut files);
    assert!(
        files.len() > 50,
        "found the sources ({} files)",
        files.len()
    );
    let mut violations = Vec::new();
    for (relative, text) in &files {
        if relative.ends_with("testing.rs") {
            continue;
        }
        let Some(layer) = layer_of_file(relative) else {
            continue;
        };
        for path in crate_paths(&production_code(text)) {
            let segments: Vec<&str> = path.iter().map(String::as_str).collect();
            let Some(target) = layer_of_path(&segments) else {
                continue;
            };
            if rank(target) > rank(layer) {
                violations.push(format!(
                    "src/{relative} ({layer}) uses crate::{} ({target})",
                    segments.join("::")
                ));
            }
        }
    }
    violations.sort();
    violations.dedup();
    assert!(
        violations.is_empty(),
        "imports against the layering of docs/architecture.md (lowest first: {}):\n{}",
        LAYERS.join(" < "),
        violations.join("\n")
    );
}

#[test]
fn the_path_reader_sees_braced_imports() {
    let paths = crate_paths("use crate::{spec::{A, B}, model::C};\nuse crate::lower::{x, y::Z};");
    let firsts: Vec<&str> = paths.iter().map(|p| p[0].as_str()).collect();
    assert_eq!(
        firsts,
        ["spec", "spec", "model", "lower", "lower"],
        "{paths:?}"
    );
    assert_eq!(paths[4], ["lower", "y", "Z"]);
    assert_eq!(
        layer_of_path(&["capabilities", "x", "spec", "T"]),
        Some("spec")
    );
    assert_eq!(
        layer_of_path(&["capabilities", "x", "T"]),
        Some("capabilities")
    );
    assert_eq!(layer_of_file("capabilities/x/lower.rs"), Some("lower"));
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

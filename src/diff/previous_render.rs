//! A previous render read back from a `render --out` tree, as manifests to
//! diff against. Every object is compared by value, so a file that was
//! reformatted (key order, quoting, flow style) does not count as changed.
//!
//! The common case is a tree that matches the new render almost everywhere,
//! so a file whose bytes are exactly the new object's canonical YAML at the
//! same path is known unchanged without being parsed; only the others are
//! parsed (YAML 1.2 core schema, see [`crate::yaml::to_json`]).
//!
//! Owns turning files into manifests. Must not read the disk (the files
//! arrive as bytes) or compare objects (that is [`crate::diff::diff`]).

use std::collections::BTreeMap;

use serde_json::Value;

use crate::diagnostic::{Code, Diagnostic};
use crate::emit::KUSTOMIZATION;
use crate::emit::RenderedFile;
use crate::object::Manifest;
use crate::object::{ResourceKey, group};
use crate::read::read_text;
use crate::source::{Sources, Span};
use crate::yaml::{Limits, parse, to_json};

/// What a previous render holds, relative to the current one.
#[derive(Debug, Default)]
pub struct PreviousRender {
    /// The files that were parsed, for diagnostics.
    pub sources: Sources,
    /// Every problem found; when there is one, the render cannot be diffed.
    pub diagnostics: Vec<Diagnostic>,
    /// The objects of files that differ from the current render's.
    pub manifests: Vec<Manifest>,
    /// One flag per current manifest: the previous render has exactly its
    /// canonical text at its path, so it is unchanged (and not in
    /// `manifests`).
    pub identical: Vec<bool>,
}

impl PreviousRender {
    /// The current manifests that are not known to be unchanged: what is left
    /// to diff against [`Self::manifests`].
    pub fn remaining<'m>(&self, current: &'m [Manifest]) -> Vec<&'m Manifest> {
        current
            .iter()
            .zip(&self.identical)
            .filter(|(_, identical)| !**identical)
            .map(|(manifest, _)| manifest)
            .collect()
    }
}

/// Reads `files`, the contents of a render directory shown to the user as
/// `label` (file names in messages are `label/path`), against `current`.
pub fn previous_render(
    label: &str,
    files: Vec<RenderedFile>,
    current: &[Manifest],
) -> PreviousRender {
    let by_path: BTreeMap<String, usize> = current
        .iter()
        .enumerate()
        .map(|(index, manifest)| (manifest.file_path(), index))
        .collect();
    let mut previous = PreviousRender {
        identical: vec![false; current.len()],
        ..PreviousRender::default()
    };
    // Where each object was seen, to report one object in two files.
    let mut seen: BTreeMap<ResourceKey, Option<Span>> = BTreeMap::new();
    let limits = Limits::default();
    // One buffer for every canonical text: tens of thousands of objects
    // would otherwise mean as many allocations.
    let mut canonical = String::new();
    for file in files {
        // The kustomization lists the files; it is not an object.
        if file.path == KUSTOMIZATION {
            continue;
        }
        if let Some(&index) = by_path.get(&file.path) {
            let text = match current[index].frozen_text() {
                Some(text) => text,
                None => {
                    canonical.clear();
                    current[index].write_yaml(&mut canonical);
                    &canonical
                }
            };
            if file.bytes == text.as_bytes() {
                previous.identical[index] = true;
                seen.insert(current[index].key.clone(), None);
                continue;
            }
        }
        let name = if label.is_empty() {
            file.path.clone()
        } else {
            format!("{}/{}", label.trim_end_matches('/'), file.path)
        };
        let parsed = read_text(&name, file.bytes, &mut previous.sources).and_then(|id| {
            let text = &previous.sources.get(id).text;
            parse(id, text, &limits)
        });
        let node = match parsed {
            Ok(node) => node,
            Err(diagnostic) => {
                previous.diagnostics.push(diagnostic);
                continue;
            }
        };
        let value = to_json(&node);
        let not_an_object = |problem: &dyn std::fmt::Display| {
            Diagnostic::error(
                Code::InvalidRender,
                format!("`{name}` is not a Kubernetes object: {problem}"),
            )
            .at(
                Span::point(node.span.file, node.span.start as usize),
                "this document",
            )
        };
        if let Err(problem) = object_problem(&value) {
            previous.diagnostics.push(not_an_object(&problem));
            continue;
        }
        if group(value["apiVersion"].as_str().unwrap_or_default()) == "kustomize.config.k8s.io" {
            continue;
        }
        let manifest = match Manifest::from_value(value, node.span) {
            Ok(manifest) => manifest,
            Err(problem) => {
                previous.diagnostics.push(not_an_object(&problem));
                continue;
            }
        };
        match seen.insert(manifest.key.clone(), Some(node.span)) {
            None => previous.manifests.push(manifest),
            Some(first) => {
                let mut diagnostic = Diagnostic::error(
                    Code::InvalidRender,
                    format!(
                        "`{name}` holds {}, which another file of the render holds too",
                        manifest.identity()
                    ),
                )
                .at(
                    Span::point(node.span.file, node.span.start as usize),
                    "second copy",
                );
                if let Some(first) = first {
                    diagnostic = diagnostic.with_secondary(first, "first copy");
                }
                previous.diagnostics.push(diagnostic);
            }
        }
    }
    previous
}

/// Why `value` cannot be a [`Manifest`], which needs these fields as strings.
fn object_problem(value: &Value) -> Result<(), &'static str> {
    let Some(object) = value.as_object() else {
        return Err("expected a mapping");
    };
    let string = |value: Option<&Value>| value.is_some_and(Value::is_string);
    if !string(object.get("apiVersion")) {
        return Err("no `apiVersion` string");
    }
    if !string(object.get("kind")) {
        return Err("no `kind` string");
    }
    let metadata = object.get("metadata");
    if !string(metadata.and_then(|m| m.get("name"))) {
        return Err("no `metadata.name` string");
    }
    if metadata
        .and_then(|m| m.get("namespace"))
        .is_some_and(|namespace| !namespace.is_string())
    {
        return Err("`metadata.namespace` is not a string");
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;
    use crate::yaml::write as yaml;

    fn manifest(name: &str, replicas: u64) -> Manifest {
        Manifest::from_value(
            json!({
                "apiVersion": "apps/v1",
                "kind": "Deployment",
                "metadata": {"name": name, "namespace": "shop"},
                "spec": {"replicas": replicas},
            }),
            Span::default(),
        )
        .expect("an object with an identity")
    }

    fn file(path: &str, text: &str) -> RenderedFile {
        RenderedFile {
            path: path.to_owned(),
            bytes: text.as_bytes().to_vec(),
        }
    }

    #[test]
    fn identical_files_are_not_parsed_and_others_are_read_by_value() {
        let current = [manifest("a", 1), manifest("b", 2)];
        let a = yaml::to_yaml(&current[0].value);
        // b, reformatted: flow style, other key order, quoted name.
        let b = "{kind: Deployment, apiVersion: apps/v1, spec: {replicas: 2}, \
                 metadata: {namespace: shop, name: \"b\"}}\n";
        let previous = previous_render(
            "deploy",
            vec![
                file("shop/deployment-a.yaml", &a),
                file("shop/deployment-b.yaml", b),
                file("kustomization.yaml", "resources: [x]\n"),
            ],
            &current,
        );
        assert!(
            previous.diagnostics.is_empty(),
            "{:?}",
            previous.diagnostics
        );
        assert_eq!(previous.identical, [true, false]);
        assert_eq!(previous.manifests.len(), 1);
        assert_eq!(previous.manifests[0].value, current[1].value);
        assert_eq!(previous.remaining(&current), [&current[1]]);
    }

    #[test]
    fn frozen_objects_are_compared_by_their_text() {
        let mut current = [manifest("a", 1)];
        let text = yaml::to_yaml(&current[0].value);
        current[0].freeze();
        let previous = previous_render("", vec![file("shop/deployment-a.yaml", &text)], &current);
        assert_eq!(previous.identical, [true]);
    }

    #[track_caller]
    fn problem(files: Vec<RenderedFile>, expected: &str) {
        let previous = previous_render("deploy", files, &[manifest("a", 1)]);
        let messages: Vec<&str> = previous
            .diagnostics
            .iter()
            .map(|d| d.message.as_str())
            .collect();
        assert!(
            messages.iter().any(|m| m.contains(expected)),
            "expected {expected:?} in {messages:?}"
        );
    }

    #[test]
    fn files_that_are_not_one_object_are_reported() {
        problem(
            vec![file("x.yaml", "- a\n")],
            "`deploy/x.yaml` is not a Kubernetes object: expected a mapping",
        );
        problem(
            vec![file("x.yaml", "kind: A\nmetadata: {name: x}\n")],
            "no `apiVersion`",
        );
        problem(
            vec![file("x.yaml", "apiVersion: v1\nkind: A\n")],
            "no `metadata.name`",
        );
        problem(vec![file("x.yaml", "a: [\n")], "");
        problem(
            vec![
                file("one.yaml", "apiVersion: v1\nkind: A\nmetadata: {name: x}\n"),
                file("two.yaml", "apiVersion: v1\nkind: A\nmetadata: {name: x}\n"),
            ],
            "`deploy/two.yaml` holds A/x, which another file of the render holds too",
        );
    }
}

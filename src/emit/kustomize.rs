//! `platformgen kustomize --out DIR`: the renders of every environment as a
//! Kustomize base plus one overlay per environment, such that
//! `kustomize build DIR/overlays/ENV` yields exactly the objects of
//! `platformgen render ENV`.
//!
//! Layout (everything in one [`OutputTree`], written and pruned like a
//! `render --out` tree):
//!
//! ```text
//! base/kustomization.yaml                 resources: the shared objects, apply order
//! base/<namespace>/<kind>-<name>.yaml     one shared object, in its common form
//! overlays/<env>/kustomization.yaml       resources: [../../base, env-only objects]; patches
//! overlays/<env>/resources/<ns>/<kind>-<name>.yaml   an object only this environment has
//! overlays/<env>/patches/<ns>/<kind>-<name>.yaml     JSON Patch (or a deletion) of a base object
//! ```
//!
//! The rules (see docs/decisions.md for why):
//!
//! - **Base**: an object (by [`ResourceKey`]) goes to the base when more than
//!   half of the environments have it. Its common form is the form more than
//!   half of those environments share; when there is none, the form whose
//!   patches to the others weigh least, ties going to the first environment
//!   by name.
//! - **Patches**: JSON Patch (RFC 6902), one operation per changed field
//!   ([`json_patch`]). Exact for every kind, custom resources included.
//! - **Deletions**: an environment that lacks a base object (or has it under
//!   another `apiVersion`) deletes it with a strategic-merge patch holding only
//!   `$patch: delete` and the object's identity: JSON Patch cannot remove a
//!   whole object. Under another `apiVersion` the environment's own form is
//!   then an env-only resource.
//! - **No generators, no transformers**: ConfigMaps and Secrets are plain
//!   resources (generators would append a content hash to their names), and
//!   nothing sets `namespace`, labels or name prefixes, so kustomize has
//!   nothing to add.
//!
//! Must not write to disk (that is [`super::write`]) or decide what the
//! objects are: it only re-arranges renders.

mod json_patch;

use std::collections::BTreeMap;

use serde_json::{Map, Value, json};

use super::{KUSTOMIZATION, OutputPathError, OutputTree};
use crate::object::ResourceKey;
use crate::object::{Manifest, sort_in_apply_order};
use crate::yaml::write as yaml;

use json_patch::Op;

/// The directory of the shared objects, relative to `--out`.
pub const BASE_DIR: &str = "base";
/// The directory holding one overlay per environment, relative to `--out`.
pub const OVERLAYS_DIR: &str = "overlays";

/// Objects each thread takes at a time when deciding their places, largest
/// first: one, so that the few largest are shared between the threads and
/// neither is left with a long last run while the other waits. Taking one
/// costs next to nothing beside reading it back.
const OBJECTS_TAKEN_AT_ONCE: usize = 1;

const KUSTOMIZE_API_VERSION: &str = "kustomize.config.k8s.io/v1beta1";

/// The tree for `environments`, each `(name, manifests in apply order)`,
/// sorted by name.
pub fn kustomize<'m>(
    environments: &[(String, &'m [Manifest])],
) -> Result<OutputTree<'m>, OutputPathError> {
    let count = environments.len();
    // Every object, with its form in each environment (`None`: absent).
    let mut objects: BTreeMap<ResourceKey, Vec<Option<&Manifest>>> = BTreeMap::new();
    for (index, (_, manifests)) in environments.iter().enumerate() {
        for manifest in *manifests {
            objects
                .entry(manifest.key.clone())
                .or_insert_with(|| vec![None; count])[index] = Some(manifest);
        }
    }

    // Deciding each object's place reads objects back into trees and diffs
    // them: most of the work, and each object's is its own. The largest go
    // first and one at a time, so that the threads share them: a large
    // platform's namespaces each hold an alert-rule object of megabytes,
    // next to one another in the objects' order.
    let objects: Vec<Vec<Option<&Manifest>>> = objects.into_values().collect();
    let mut largest_first: Vec<usize> = (0..objects.len()).collect();
    largest_first.sort_by_key(|&index| std::cmp::Reverse(text_length(&objects[index])));
    let mut places: Vec<Option<Shared<'_>>> = (0..objects.len()).map(|_| None).collect();
    for (index, place) in largest_first.iter().zip(crate::parallel::map_in_order(
        &largest_first,
        OBJECTS_TAKEN_AT_ONCE,
        |&index| place(&objects[index]),
    )) {
        places[*index] = place;
    }

    let mut base: Vec<&Manifest> = Vec::new();
    let mut overlays: Vec<Overlay<'_>> = (0..count).map(|_| Overlay::default()).collect();
    for (forms, place) in objects.iter().zip(places) {
        let Some(Shared { common, changes }) = place else {
            for (overlay, form) in overlays.iter_mut().zip(forms) {
                if let Some(manifest) = form {
                    overlay.resources.push(manifest);
                }
            }
            continue;
        };
        base.push(common);
        for (overlay, change) in overlays.iter_mut().zip(changes) {
            match change {
                Change::Same => {}
                Change::Absent => overlay.deletions.push(common),
                Change::OtherApiVersion(manifest) => {
                    overlay.deletions.push(common);
                    overlay.resources.push(manifest);
                }
                Change::Patched(manifest, ops) => overlay.patches.push((manifest, ops)),
            }
        }
    }

    let mut tree = OutputTree::new();
    sort_in_apply_order(&mut base, |manifest| manifest);
    let mut resources = Vec::with_capacity(base.len());
    for manifest in &base {
        let path = manifest.file_path();
        tree.insert(format!("{BASE_DIR}/{path}"), manifest.yaml())?;
        resources.push(Value::String(path));
    }
    tree.insert(
        format!("{BASE_DIR}/{KUSTOMIZATION}"),
        yaml::to_yaml(&kustomization(resources, Vec::new())),
    )?;
    for ((name, _), overlay) in environments.iter().zip(overlays) {
        overlay.emit(&format!("{OVERLAYS_DIR}/{name}"), &mut tree)?;
    }
    Ok(tree)
}

/// An object more than half of the environments have: its common form goes
/// to the base, and each environment's overlay changes it as it must.
struct Shared<'m> {
    common: &'m Manifest,
    /// One per environment, in the environments' order.
    changes: Vec<Change<'m>>,
}

/// What an environment's overlay does to a base object.
enum Change<'m> {
    /// The environment has it in the common form: nothing.
    Same,
    /// The environment lacks it: a deletion.
    Absent,
    /// The environment has it under another `apiVersion`: a deletion, and
    /// its own form as an env-only resource.
    OtherApiVersion(&'m Manifest),
    /// The environment's form, and the JSON Patch operations to it.
    Patched(&'m Manifest, Vec<Op>),
}

/// Where an object goes, given its form in each environment: `None` when
/// at most half of the environments have it (each that does holds it as a
/// resource of its own).
fn place<'m>(forms: &[Option<&'m Manifest>]) -> Option<Shared<'m>> {
    let present = forms.iter().filter(|form| form.is_some()).count();
    if present * 2 <= forms.len() {
        return None;
    }
    let common = common_form(forms);
    // Read back into a tree at most once, and only if some environment
    // differs from it.
    let mut common_tree = None;
    let changes = forms
        .iter()
        .map(|form| match form {
            None => Change::Absent,
            Some(manifest) if manifest.api_version != common.api_version => {
                Change::OtherApiVersion(manifest)
            }
            Some(manifest) if manifest.same_object(common) => Change::Same,
            Some(manifest) => {
                let common_tree = common_tree.get_or_insert_with(|| common.tree());
                Change::Patched(manifest, json_patch::diff(common_tree, &manifest.tree()))
            }
        })
        .collect();
    Some(Shared { common, changes })
}

/// The length of an object's frozen forms: what reading them back costs.
fn text_length(forms: &[Option<&Manifest>]) -> usize {
    forms
        .iter()
        .flatten()
        .filter_map(|manifest| manifest.frozen_len())
        .sum()
}

/// What one environment's overlay holds besides the base.
#[derive(Default)]
struct Overlay<'m> {
    resources: Vec<&'m Manifest>,
    /// Base objects to delete, in their base form.
    deletions: Vec<&'m Manifest>,
    /// The environment's form of a base object, and the operations to it.
    patches: Vec<(&'m Manifest, Vec<Op>)>,
}

impl<'m> Overlay<'m> {
    fn emit(mut self, dir: &str, tree: &mut OutputTree<'m>) -> Result<(), OutputPathError> {
        sort_in_apply_order(&mut self.resources, |manifest| manifest);
        sort_in_apply_order(&mut self.deletions, |manifest| manifest);
        sort_in_apply_order(&mut self.patches, |(manifest, _)| manifest);

        let mut resources = vec![Value::String(format!("../../{BASE_DIR}"))];
        for manifest in &self.resources {
            let path = format!("resources/{}", manifest.file_path());
            tree.insert(format!("{dir}/{path}"), manifest.yaml())?;
            resources.push(Value::String(path));
        }
        // Deletions first: an object under a new apiVersion replaces its
        // base form, which must be gone before anything else touches it.
        let mut patches = Vec::new();
        for manifest in &self.deletions {
            let path = format!("patches/{}", manifest.file_path());
            tree.insert(format!("{dir}/{path}"), yaml::to_yaml(&deletion(manifest)))?;
            patches.push(json!({ "path": path }));
        }
        for (manifest, ops) in &self.patches {
            let path = format!("patches/{}", manifest.file_path());
            let ops: Vec<Value> = ops.iter().map(Op::to_json).collect();
            tree.insert(format!("{dir}/{path}"), yaml::to_yaml(&Value::Array(ops)))?;
            patches.push(json!({ "path": path, "target": target(manifest) }));
        }
        tree.insert(
            format!("{dir}/{KUSTOMIZATION}"),
            yaml::to_yaml(&kustomization(resources, patches)),
        )
    }
}

/// The form of the object that the base holds: the form more than half of
/// the present forms share, if there is one (the common case, and no patch
/// needs computing); otherwise the present form with the lightest patches to
/// the others.
fn common_form<'m>(forms: &[Option<&'m Manifest>]) -> &'m Manifest {
    let present: Vec<&Manifest> = forms.iter().flatten().copied().collect();
    let same = |a: &Manifest, b: &Manifest| a.api_version == b.api_version && a.same_object(b);
    for (index, &candidate) in present.iter().enumerate() {
        let sharing = present
            .iter()
            .filter(|&&other| same(candidate, other))
            .count();
        if sharing * 2 > present.len() {
            return candidate;
        }
        // A majority form would have been found at its first occurrence,
        // which is within the first half.
        if index * 2 >= present.len() {
            break;
        }
    }
    // No majority: weigh each form's patches to the others. Each form is
    // read back into a tree once.
    let trees: Vec<_> = present.iter().map(|manifest| manifest.tree()).collect();
    let cost = |candidate: usize| -> usize {
        (0..present.len())
            .map(|other| {
                if present[other].api_version != present[candidate].api_version {
                    // Deleted and re-added whole.
                    usize::MAX / (2 * present.len())
                } else {
                    json_patch::weight(&json_patch::diff(&trees[candidate], &trees[other]))
                }
            })
            .sum()
    };
    let mut best = 0;
    let mut best_cost = cost(best);
    for candidate in 1..present.len() {
        // Equal forms cost the same; skip the work.
        if trees[candidate] == trees[best] {
            continue;
        }
        let candidate_cost = cost(candidate);
        if candidate_cost < best_cost {
            (best, best_cost) = (candidate, candidate_cost);
        }
    }
    present[best]
}

/// `{apiVersion, kind, resources, patches?}`.
fn kustomization(resources: Vec<Value>, patches: Vec<Value>) -> Value {
    let mut map = Map::new();
    map.insert("apiVersion".to_owned(), json!(KUSTOMIZE_API_VERSION));
    map.insert("kind".to_owned(), json!("Kustomization"));
    map.insert("resources".to_owned(), Value::Array(resources));
    if !patches.is_empty() {
        map.insert("patches".to_owned(), Value::Array(patches));
    }
    Value::Object(map)
}

/// A strategic-merge patch deleting the object: its identity and
/// `$patch: delete`.
fn deletion(manifest: &Manifest) -> Value {
    let mut metadata = Map::new();
    metadata.insert("name".to_owned(), json!(manifest.key.name));
    if let Some(namespace) = &manifest.key.namespace {
        metadata.insert("namespace".to_owned(), json!(namespace));
    }
    json!({
        "$patch": "delete",
        "apiVersion": manifest.api_version,
        "kind": manifest.key.kind,
        "metadata": metadata,
    })
}

/// The JSON Patch target selecting exactly this object. Kustomize reads
/// `name` and `namespace` as anchored regular expressions, so the `.` a
/// name may hold is escaped to match only itself.
fn target(manifest: &Manifest) -> Value {
    let mut target = Map::new();
    let group = crate::object::group(&manifest.api_version);
    if !group.is_empty() {
        target.insert("group".to_owned(), json!(group));
    }
    target.insert(
        "version".to_owned(),
        json!(crate::object::version(&manifest.api_version)),
    );
    target.insert("kind".to_owned(), json!(manifest.key.kind));
    target.insert("name".to_owned(), json!(regex_literal(&manifest.key.name)));
    if let Some(namespace) = &manifest.key.namespace {
        target.insert("namespace".to_owned(), json!(regex_literal(namespace)));
    }
    Value::Object(target)
}

/// `text` as a regular expression matching only itself (RE2 syntax, which
/// kustomize's Go `regexp` uses).
fn regex_literal(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        if "\\.+*?()|[]{}^$".contains(c) {
            out.push('\\');
        }
        out.push(c);
    }
    out
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::json_patch::tests::apply;
    use super::*;
    use crate::source::Span;

    fn object(api_version: &str, kind: &str, name: &str, spec: Value) -> Manifest {
        Manifest::from_value(
            json!({
                "apiVersion": api_version,
                "kind": kind,
                "metadata": {"name": name, "namespace": "shop"},
                "spec": spec,
            }),
            Span::default(),
        )
        .expect("an object with an identity")
    }

    fn deployment(replicas: u64, image: &str) -> Manifest {
        object(
            "apps/v1",
            "Deployment",
            "web",
            json!({"replicas": replicas, "template": {"spec": {"containers": [{"name": "web", "image": image}]}}}),
        )
    }

    fn paths<'t>(tree: &'t OutputTree<'_>) -> Vec<&'t str> {
        tree.iter().map(|(path, _)| path).collect()
    }

    #[test]
    fn shared_objects_go_to_the_base_in_the_majority_form() {
        let dev = [
            deployment(1, "web:1"),
            object("v1", "Service", "debug", json!({})),
        ];
        let staging = [
            deployment(3, "web:1"),
            object(
                "autoscaling/v2",
                "HorizontalPodAutoscaler",
                "web",
                json!({"max": 5}),
            ),
        ];
        let prod = [
            deployment(3, "web:1"),
            object(
                "autoscaling/v2",
                "HorizontalPodAutoscaler",
                "web",
                json!({"max": 10}),
            ),
        ];
        let environments = [
            ("dev".to_owned(), &dev[..]),
            ("prod".to_owned(), &prod[..]),
            ("staging".to_owned(), &staging[..]),
        ];
        let tree = kustomize(&environments).expect("a valid tree");
        assert_eq!(
            paths(&tree),
            [
                "base/kustomization.yaml",
                "base/shop/deployment-web.yaml",
                "base/shop/horizontalpodautoscaler-web.yaml",
                "overlays/dev/kustomization.yaml",
                "overlays/dev/patches/shop/deployment-web.yaml",
                "overlays/dev/patches/shop/horizontalpodautoscaler-web.yaml",
                "overlays/dev/resources/shop/service-debug.yaml",
                "overlays/prod/kustomization.yaml",
                "overlays/staging/kustomization.yaml",
                "overlays/staging/patches/shop/horizontalpodautoscaler-web.yaml",
            ]
        );
        // The majority's 3 replicas is the common form; dev patches one field.
        assert!(
            tree.get("base/shop/deployment-web.yaml")
                .is_some_and(|t| t.contains("replicas: 3"))
        );
        assert_eq!(
            tree.get("overlays/dev/patches/shop/deployment-web.yaml"),
            Some("- op: replace\n  path: /spec/replicas\n  value: 1\n")
        );
        // The HPA: prod's form is base (tie, first by name); dev deletes it.
        assert_eq!(
            tree.get("overlays/dev/patches/shop/horizontalpodautoscaler-web.yaml"),
            Some(
                "\"$patch\": delete\napiVersion: autoscaling/v2\nkind: HorizontalPodAutoscaler\n\
                 metadata:\n  name: web\n  namespace: shop\n"
            )
        );
        assert_eq!(
            tree.get("overlays/dev/kustomization.yaml"),
            Some(
                "apiVersion: kustomize.config.k8s.io/v1beta1\nkind: Kustomization\npatches:\n  \
                 - path: patches/shop/horizontalpodautoscaler-web.yaml\n  \
                 - path: patches/shop/deployment-web.yaml\n    target:\n      group: apps\n      \
                 kind: Deployment\n      name: web\n      namespace: shop\n      version: v1\n\
                 resources:\n  - \"../../base\"\n  - resources/shop/service-debug.yaml\n"
            )
        );
        assert_eq!(
            tree.get("overlays/prod/kustomization.yaml"),
            Some(
                "apiVersion: kustomize.config.k8s.io/v1beta1\nkind: Kustomization\n\
                 resources:\n  - \"../../base\"\n"
            )
        );
    }

    /// What an overlay builds to, as kustomize would: base, minus deletions,
    /// patched, plus the env-only resources.
    fn build(tree: &OutputTree, environment: &str) -> BTreeMap<String, Value> {
        let read = |path: &str| -> Value {
            let text = tree.get(path).unwrap_or_else(|| panic!("{path} in tree"));
            let node = crate::yaml::parse(
                crate::source::FileId(0),
                text,
                &crate::yaml::Limits::default(),
            )
            .expect("our YAML parses");
            crate::yaml::to_json(&node)
        };
        let key = |value: &Value| {
            format!(
                "{}/{}/{}",
                value["apiVersion"].as_str().unwrap_or_default(),
                value["kind"].as_str().unwrap_or_default(),
                value["metadata"]["name"].as_str().unwrap_or_default()
            )
        };
        let mut objects = BTreeMap::new();
        for path in read("base/kustomization.yaml")["resources"]
            .as_array()
            .expect("list")
        {
            let value = read(&format!("base/{}", path.as_str().expect("path")));
            objects.insert(key(&value), value);
        }
        let dir = format!("overlays/{environment}");
        let kustomization = read(&format!("{dir}/kustomization.yaml"));
        for path in kustomization["resources"]
            .as_array()
            .expect("list")
            .iter()
            .skip(1)
        {
            let value = read(&format!("{dir}/{}", path.as_str().expect("path")));
            objects.insert(key(&value), value);
        }
        for patch in kustomization["patches"]
            .as_array()
            .cloned()
            .unwrap_or_default()
        {
            let content = read(&format!("{dir}/{}", patch["path"].as_str().expect("path")));
            if content.get("$patch").is_some() {
                objects.remove(&key(&content));
                continue;
            }
            let target = &patch["target"];
            let text = |field: &str| target[field].as_str().unwrap_or_default().to_owned();
            let api_version = match text("group").as_str() {
                "" => text("version"),
                group => format!("{group}/{}", text("version")),
            };
            let name = text("name").replace('\\', "");
            let object = objects
                .remove(&format!("{api_version}/{}/{name}", text("kind")))
                .expect("patched object exists");
            let ops: Vec<Op> = content
                .as_array()
                .expect("ops")
                .iter()
                .map(|op| {
                    let path = op["path"].as_str().expect("path").to_owned();
                    match op["op"].as_str().expect("op") {
                        "add" => Op::Add {
                            path,
                            value: op["value"].clone(),
                        },
                        "replace" => Op::Replace {
                            path,
                            value: op["value"].clone(),
                        },
                        _ => Op::Remove { path },
                    }
                })
                .collect();
            let patched = apply(object, &ops).expect("patch applies");
            objects.insert(key(&patched), patched);
        }
        objects
    }

    #[test]
    fn every_overlay_builds_its_environment_exactly() {
        let dev = [deployment(1, "web:1")];
        let staging = [
            deployment(3, "web:1"),
            object("v1", "Service", "a.b", json!({"x": 1})),
        ];
        let prod = [
            deployment(5, "web:2"),
            object("v1", "Service", "a.b", json!({"x": 2})),
        ];
        let qa = [object("v2", "Service", "a.b", json!({"x": 2}))];
        let environments = [
            ("dev".to_owned(), &dev[..]),
            ("prod".to_owned(), &prod[..]),
            ("qa".to_owned(), &qa[..]),
            ("staging".to_owned(), &staging[..]),
        ];
        let tree = kustomize(&environments).expect("a valid tree");
        for (name, manifests) in &environments {
            let expected: BTreeMap<String, Value> = manifests
                .iter()
                .map(|m| {
                    (
                        format!("{}/{}/{}", m.api_version, m.key.kind, m.key.name),
                        m.value.clone(),
                    )
                })
                .collect();
            assert_eq!(build(&tree, name), expected, "{name}");
        }
        assert!(
            tree.get("overlays/qa/resources/shop/service-a.b.yaml")
                .is_some()
        );
    }

    #[test]
    fn frozen_objects_give_the_same_tree() {
        let dev = [
            deployment(1, "web:1"),
            object("v1", "Service", "x", json!({})),
        ];
        let prod = [deployment(3, "web:2")];
        let staging = [deployment(3, "web:1")];
        let as_trees = kustomize(&[
            ("dev".to_owned(), &dev[..]),
            ("prod".to_owned(), &prod[..]),
            ("staging".to_owned(), &staging[..]),
        ]);
        let freeze = |manifests: &[Manifest]| -> Vec<Manifest> {
            manifests
                .iter()
                .cloned()
                .map(|mut m| {
                    m.freeze();
                    m
                })
                .collect()
        };
        let (dev, prod, staging) = (freeze(&dev), freeze(&prod), freeze(&staging));
        let as_text = kustomize(&[
            ("dev".to_owned(), &dev[..]),
            ("prod".to_owned(), &prod[..]),
            ("staging".to_owned(), &staging[..]),
        ]);
        assert_eq!(as_text, as_trees);
    }

    #[test]
    fn regex_metacharacters_in_names_are_escaped() {
        assert_eq!(regex_literal("web"), "web");
        assert_eq!(regex_literal("a.b"), "a\\.b");
        assert_eq!(regex_literal("x+(y)"), "x\\+\\(y\\)");
    }
}

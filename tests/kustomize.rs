//! `platformgen kustomize --out DIR`: a base with what the environments share
//! and one overlay per environment, which `kubectl kustomize` builds into
//! exactly the objects of `platformgen render ENV`, compared as parsed
//! objects. The tree is owned, pruned and checked like a `render --out` tree.

use std::collections::BTreeMap;
use std::path::Path;

use serde_json::{Value, json};

use platformgen::emit::{self, write};
use platformgen::object::Manifest;
use platformgen::source::Span;

use crate::support::cli::{MINIMAL_BASE, MINIMAL_PROD, Platform, repository, run};
use crate::support::tree::listing;
use crate::support::{external, python, snapshot_settings};

/// Objects of a YAML stream, read by ruamel.yaml, by apiVersion, kind,
/// namespace and name.
fn objects(stream: &str) -> BTreeMap<String, Value> {
    python::documents(stream)
        .into_iter()
        .map(|doc| {
            let key = format!(
                "{} {} {}/{}",
                doc["apiVersion"].as_str().unwrap_or_default(),
                doc["kind"].as_str().unwrap_or_default(),
                doc["metadata"]["namespace"].as_str().unwrap_or("-"),
                doc["metadata"]["name"].as_str().unwrap_or_default()
            );
            (key, doc)
        })
        .collect()
}

#[track_caller]
fn assert_same_objects(
    built: &BTreeMap<String, Value>,
    expected: &BTreeMap<String, Value>,
    what: &str,
) {
    assert_eq!(
        built.keys().collect::<Vec<_>>(),
        expected.keys().collect::<Vec<_>>(),
        "{what}: the same objects"
    );
    for (key, object) in expected {
        assert_eq!(&built[key], object, "{what}: {key}");
    }
}

/// `kustomize --out` of `root`, every overlay built by `kubectl kustomize`
/// and compared with the render of its environment.
#[track_caller]
fn assert_overlays_build_to_their_renders(root: &Path, out_dir: &Path) {
    run(
        root,
        &["kustomize", "--out", out_dir.to_str().expect("UTF-8")],
    )
    .success();
    for environment in crate::support::platforms::environments(root) {
        let built = objects(&external::kubectl_kustomize(
            &out_dir.join("overlays").join(&environment),
        ));
        let rendered = objects(&run(root, &["render", &environment]).success().stdout);
        let place = format!("{} {environment}", crate::support::platforms::display(root));
        assert_same_objects(&built, &rendered, &place);
    }
}

#[test]
fn every_overlay_of_every_seed_example_builds_to_its_render() {
    let examples = crate::support::platforms::seed_examples();
    assert!(!examples.is_empty(), "examples/ holds the seeds' platforms");
    for root in examples {
        let out = tempfile::tempdir().expect("tempdir");
        assert_overlays_build_to_their_renders(&root, &out.path().join("kustomize"));
    }
}

#[test]
fn every_overlay_of_the_example_builds_to_its_render() {
    let root = repository();
    let out = tempfile::tempdir().expect("tempdir");
    let out_dir = out.path().join("kustomize");
    assert_overlays_build_to_their_renders(&root, &out_dir);
    // The example's shape: dev has no autoscalers or disruption budgets,
    // which staging and prod share, so dev deletes them from the base.
    let files = listing(&out_dir);
    let dev_deletions = files
        .iter()
        .filter(|(path, text)| {
            path.starts_with("overlays/dev/patches/") && text.starts_with(b"\"$patch\": delete\n")
        })
        .count();
    assert!(dev_deletions > 0, "dev deletes base objects");
    assert!(
        files.keys().any(|path| path.starts_with("base/")),
        "the base holds the shared objects"
    );
}

fn manifest(value: Value) -> Manifest {
    Manifest::from_value(value, Span::default()).expect("an object with an identity")
}

/// One environment's objects, varied by `env` to exercise what kustomize
/// could change on the way: YAML 1.1 look-alike strings, quantities, numbers,
/// nulls, empty collections, multi-line text, names with dots, lists in a
/// custom resource (no strategic merge there), a custom resource deleted in
/// one environment, and one whose apiVersion differs.
fn tricky(env: &str) -> Vec<Manifest> {
    let dev = env == "dev";
    let prod = env == "prod";
    let mut manifests = vec![
        manifest(json!({
            "apiVersion": "v1",
            "kind": "Namespace",
            "metadata": {"name": "tricky", "labels": {"tier": if prod { "production" } else { "other" }}},
        })),
        manifest(json!({
            "apiVersion": "v1",
            "kind": "ConfigMap",
            "metadata": {"name": "app.conf", "namespace": "tricky"},
            "data": {
                "on": "on", "yes": if dev { "no" } else { "yes" }, "octal": if prod { "0755" } else { "0644" },
                "under": "1_000", "time": if dev { "12:30:45" } else { "01:02" }, "float": "1e3",
                "empty": "", "tilde": "~", "null": "null", "hex": if prod { "0x1F" } else { "0o17" },
                "multi": if dev { "a\nb\n" } else { "a\n  b\nc" }, "spaces": " lead",
            },
        })),
        manifest(json!({
            "apiVersion": "apps/v1",
            "kind": "Deployment",
            "metadata": {"name": "web", "namespace": "tricky"},
            "spec": {
                "replicas": if dev { 1 } else { 3 },
                "paused": null,
                "template": {"spec": {
                    "containers": [{
                        "name": "web",
                        "image": "web:1",
                        "args": if dev { json!(["--debug", "true"]) } else { json!([]) },
                        "resources": {
                            "requests": {"cpu": if dev { "0.5" } else { "1" }, "memory": "1e3"},
                            "limits": {"cpu": if prod { "2" } else { "1500m" }, "memory": "1Gi"},
                        },
                    }],
                    "volumes": if dev { json!([{"name": "tmp", "emptyDir": {}}]) } else { json!([]) },
                    "terminationGracePeriodSeconds": if prod { 60 } else { 30 },
                }},
            },
        })),
        manifest(json!({
            "apiVersion": "example.com/v1",
            "kind": "Widget",
            "metadata": {"name": "w.1", "namespace": "tricky"},
            "spec": {
                "ratio": if prod { 0.25 } else { 0.5 },
                "items": if prod {
                    json!([{"name": "a", "v": 1}, {"name": "x", "v": 9}, {"name": "b", "v": 2}])
                } else {
                    json!([{"name": "a", "v": 1}, {"name": "b", "v": 2}])
                },
            },
        })),
    ];
    if !dev {
        manifests.push(manifest(json!({
            "apiVersion": "example.com/v1",
            "kind": "Gadget",
            "metadata": {"name": "g", "namespace": "tricky"},
            "spec": {"enabled": true},
        })));
    }
    manifests.push(manifest(json!({
        "apiVersion": if env == "staging" { "example.com/v2" } else { "example.com/v1" },
        "kind": "Gizmo",
        "metadata": {"name": "z", "namespace": "tricky"},
        "spec": {"size": 1},
    })));
    if dev {
        manifests.push(manifest(json!({
            "apiVersion": "v1",
            "kind": "ConfigMap",
            "metadata": {"name": "dev-only", "namespace": "tricky"},
            "data": {"k": "v"},
        })));
    }
    manifests.sort_by(|a, b| a.sort_key().cmp(&b.sort_key()));
    manifests
}

#[test]
fn kustomize_changes_nothing_in_tricky_objects() {
    let environments: Vec<(String, Vec<Manifest>)> = ["dev", "prod", "staging"]
        .into_iter()
        .map(|env| (env.to_owned(), tricky(env)))
        .collect();
    let borrowed: Vec<(String, &[Manifest])> = environments
        .iter()
        .map(|(name, manifests)| (name.clone(), manifests.as_slice()))
        .collect();
    let tree = emit::kustomize(&borrowed).expect("a valid tree");
    let out = tempfile::tempdir().expect("tempdir");
    write::write_tree(out.path(), &tree).expect("write the tree");
    // What is being tested: JSON Patch on a custom resource's list, a
    // deletion of a custom resource, and an apiVersion swap.
    let files = listing(out.path());
    let patch = |env: &str, file: &str| {
        String::from_utf8(files[&format!("overlays/{env}/patches/tricky/{file}")].clone())
            .expect("UTF-8")
    };
    assert_eq!(
        patch("prod", "widget.example.com-w.1.yaml"),
        "- op: add\n  path: /spec/items/1\n  value:\n    name: x\n    v: 9\n\
         - op: replace\n  path: /spec/ratio\n  value: 0.25\n"
    );
    assert!(patch("dev", "gadget.example.com-g.yaml").starts_with("\"$patch\": delete\n"));
    assert!(patch("staging", "gizmo.example.com-z.yaml").starts_with("\"$patch\": delete\n"));
    assert!(files.contains_key("overlays/staging/resources/tricky/gizmo.example.com-z.yaml"));

    for (name, manifests) in &environments {
        let built = objects(&external::kubectl_kustomize(
            &out.path().join("overlays").join(name),
        ));
        let expected: BTreeMap<String, Value> = objects(&emit::stream(manifests));
        assert_same_objects(&built, &expected, name);
    }
}

/// The minimal platform in dev and prod.
fn minimal() -> Platform {
    Platform::with(
        MINIMAL_BASE,
        &[("prod", MINIMAL_PROD), ("dev", "domain: dev.example.com\n")],
    )
}

#[test]
fn the_tree_reads_as_if_written_by_hand() {
    let platform = minimal();
    platform.run(&["kustomize", "--out", "kustomize"]).success();
    let files = listing(&platform.path().join("kustomize"));
    let mut text = String::new();
    for (path, bytes) in files
        .iter()
        .filter(|(path, _)| !path.starts_with("base/") || path.ends_with("kustomization.yaml"))
    {
        text.push_str(&format!("=== {path}\n{}", String::from_utf8_lossy(bytes)));
    }
    snapshot_settings().bind(|| insta::assert_snapshot!("kustomize_minimal_overlays", text));
}

#[test]
fn the_tree_is_owned_pruned_and_checked() {
    let platform = minimal();
    let out = platform.path().join("kustomize");
    let run = platform.run(&["kustomize", "--out", "kustomize"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert!(run.stderr.contains("2 environments: "), "{}", run.stderr);
    assert_eq!(
        platform
            .run(&["kustomize", "--out", "kustomize", "--check"])
            .code,
        0
    );
    platform.write("kustomize/README.md", "notes\n");
    platform.write("kustomize/overlays/dev/notes.txt", "mine\n");

    // dev moves to prod's replica count: its patch of the Deployment goes.
    let dev_patch = "overlays/dev/patches/shop/deployment-web.yaml";
    assert!(
        listing(&out).contains_key(dev_patch),
        "dev patches web's replicas"
    );
    platform.write(
        "environments/dev.yaml",
        "domain: dev.example.com\nworkloads:\n  web: { replicas: 3 }\n",
    );
    let before = listing(&out);
    let stale = platform.run(&["kustomize", "--out", "kustomize", "--check"]);
    assert_eq!(stale.code, 1);
    assert!(
        stale
            .stderr
            .contains(&format!("no longer generated: {dev_patch}")),
        "{}",
        stale.stderr
    );
    assert!(
        stale
            .stderr
            .contains("changed: overlays/dev/kustomization.yaml"),
        "{}",
        stale.stderr
    );
    assert_eq!(before, listing(&out), "--check wrote nothing");

    platform.run(&["kustomize", "--out", "kustomize"]).success();
    let after = listing(&out);
    assert!(!after.contains_key(dev_patch), "pruned");
    assert_eq!(after["README.md"], b"notes\n");
    assert_eq!(after["overlays/dev/notes.txt"], b"mine\n");
    assert_eq!(
        platform
            .run(&["kustomize", "--out", "kustomize", "--check"])
            .code,
        0
    );

    // A broken environment: exit 2, nothing written.
    platform.write(
        "environments/dev.yaml",
        "domain: dev.example.com\nworkloads: { web: { replicas: -1 } }\n",
    );
    assert_eq!(platform.run(&["kustomize", "--out", "kustomize"]).code, 2);
    assert_eq!(after, listing(&out));

    // A file in the way that platformgen did not write is refused.
    platform.write("environments/dev.yaml", "domain: dev.example.com\n");
    std::fs::remove_file(out.join(".platformgen-index")).expect("remove the index");
    let refused = platform.run(&["kustomize", "--out", "kustomize"]);
    assert_eq!(refused.code, 2);
    assert!(
        refused.stderr.contains("refusing to overwrite"),
        "{}",
        refused.stderr
    );
}

#[test]
fn kustomize_needs_out() {
    let platform = minimal();
    let run = platform.run(&["kustomize"]);
    assert_eq!(run.code, 2);
    assert!(run.stderr.contains("--out <DIR>"), "{}", run.stderr);
    assert!(!Path::new(&platform.path().join("kustomize")).exists());
}

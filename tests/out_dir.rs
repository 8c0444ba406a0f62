//! `render --out`: one file per object plus a kustomization, an index of owned
//! files, pruning of what it wrote before, foreign files untouched, `--check`,
//! and no change at all when the render fails.

use crate::support::cli::{MINIMAL_BASE, MINIMAL_PROD, Platform, repository, run};
use crate::support::tree::listing;
use crate::support::{external, python};
use std::collections::BTreeMap;

fn out(platform: &Platform) -> String {
    platform.path().join("deploy").display().to_string()
}

#[test]
fn writes_one_file_per_object_with_a_kustomization_and_an_index() {
    let platform = Platform::with(MINIMAL_BASE, &[("prod", MINIMAL_PROD)]);
    platform
        .run(&["render", "prod", "--out", &out(&platform)])
        .success();
    let files = listing(&platform.path().join("deploy"));
    assert!(files.contains_key("kustomization.yaml"));
    assert!(files.contains_key(".platformgen-index"));
    assert!(files.contains_key("shop/deployment-web.yaml"));
    assert!(files.contains_key("shop/statefulset-db.yaml"));
    assert!(files.contains_key("_cluster/namespace-shop.yaml"));
    let kustomization = String::from_utf8(files["kustomization.yaml"].clone()).expect("UTF-8");
    for path in files
        .keys()
        .filter(|p| p.ends_with(".yaml") && *p != "kustomization.yaml")
    {
        assert!(kustomization.contains(path.as_str()), "{path} not listed");
    }
}

#[test]
fn prunes_stale_owned_files_and_keeps_foreign_ones() {
    let platform = Platform::with(MINIMAL_BASE, &[("prod", MINIMAL_PROD)]);
    let out = out(&platform);
    platform.run(&["render", "prod", "--out", &out]).success();
    platform.write("deploy/README.md", "hand-written\n");
    platform.write("deploy/shop/notes.txt", "hand-written\n");
    // Drop the database: its files must go, the foreign files must stay.
    let without_db = MINIMAL_BASE.replace("    uses: [db]\n", "");
    let without_db = format!(
        "{}ingress: {{ controllerNamespace: ingress-nginx }}\n",
        &without_db[..without_db.find("  db:\n").expect("db")]
    );
    platform.write("platform.yaml", &without_db);
    platform.run(&["render", "prod", "--out", &out]).success();
    let files = listing(&platform.path().join("deploy"));
    assert!(!files.contains_key("shop/statefulset-db.yaml"));
    assert!(!files.contains_key("shop/service-db-headless.yaml"));
    assert!(files.contains_key("shop/deployment-web.yaml"));
    assert_eq!(files["README.md"], b"hand-written\n");
    assert_eq!(files["shop/notes.txt"], b"hand-written\n");
}

#[test]
fn refuses_to_overwrite_a_file_it_did_not_write() {
    let platform = Platform::with(MINIMAL_BASE, &[("prod", MINIMAL_PROD)]);
    platform.write("deploy/shop/deployment-web.yaml", "mine\n");
    let run = platform.run(&["render", "prod", "--out", &out(&platform)]);
    assert_eq!(run.code, 2, "{}", run.stderr);
    assert_eq!(
        std::fs::read_to_string(platform.path().join("deploy/shop/deployment-web.yaml"))
            .expect("read"),
        "mine\n"
    );
}

#[test]
fn check_reports_fresh_and_stale_trees_and_writes_nothing() {
    let platform = Platform::with(MINIMAL_BASE, &[("prod", MINIMAL_PROD)]);
    let out = out(&platform);
    let missing = platform.run(&["render", "prod", "--out", &out, "--check"]);
    assert_eq!(missing.code, 1);
    assert!(
        !platform.path().join("deploy").exists(),
        "--check wrote files"
    );

    platform.run(&["render", "prod", "--out", &out]).success();
    let fresh = platform.run(&["render", "prod", "--out", &out, "--check"]);
    assert_eq!(fresh.code, 0, "{}", fresh.stderr);

    platform.write(
        "environments/prod.yaml",
        &MINIMAL_PROD.replace("replicas: 3", "replicas: 4"),
    );
    let before = listing(&platform.path().join("deploy"));
    let stale = platform.run(&["render", "prod", "--out", &out, "--check"]);
    assert_eq!(stale.code, 1);
    assert!(
        stale.stderr.contains("changed: shop/deployment-web.yaml"),
        "{}",
        stale.stderr
    );
    assert_eq!(
        before,
        listing(&platform.path().join("deploy")),
        "--check changed the tree"
    );
}

#[test]
fn a_failing_render_leaves_the_previous_tree_intact() {
    let platform = Platform::with(MINIMAL_BASE, &[("prod", MINIMAL_PROD)]);
    let out = out(&platform);
    platform.run(&["render", "prod", "--out", &out]).success();
    let before = listing(&platform.path().join("deploy"));
    platform.write(
        "platform.yaml",
        &MINIMAL_BASE.replace("uses: [db]", "uses: [nope]"),
    );
    let run = platform.run(&["render", "prod", "--out", &out]);
    assert_eq!(run.code, 2);
    assert_eq!(before, listing(&platform.path().join("deploy")));
}

#[test]
fn render_all_writes_every_environment_and_fails_as_a_whole() {
    let platform = Platform::with(
        MINIMAL_BASE,
        &[("prod", MINIMAL_PROD), ("dev", "domain: dev.example.com\n")],
    );
    let out = out(&platform);
    platform.run(&["render", "--all", "--out", &out]).success();
    assert!(
        platform
            .path()
            .join("deploy/dev/kustomization.yaml")
            .exists()
    );
    assert!(
        platform
            .path()
            .join("deploy/prod/kustomization.yaml")
            .exists()
    );
    // A broken dev must not let prod be written either.
    let before = listing(&platform.path().join("deploy"));
    platform.write(
        "environments/prod.yaml",
        &MINIMAL_PROD.replace("replicas: 3", "replicas: 5"),
    );
    platform.write(
        "environments/dev.yaml",
        "domain: dev.example.com\nworkloads: { web: { replicas: -2 } }\n",
    );
    assert_eq!(platform.run(&["render", "--all", "--out", &out]).code, 2);
    assert_eq!(before, listing(&platform.path().join("deploy")));
}

#[test]
fn kustomize_builds_the_tree_into_the_rendered_objects() {
    let root = repository();
    let deploy = tempfile::tempdir().expect("temporary directory");
    let deploy_dir = deploy.path().to_str().expect("UTF-8 path");
    run(&root, &["render", "--all", "--out", deploy_dir]).success();
    for environment in ["dev", "staging", "prod"] {
        let built = python::documents(&external::kubectl_kustomize(
            &deploy.path().join(environment),
        ));
        let rendered = python::documents(&run(&root, &["render", environment]).success().stdout);
        let key = |doc: &serde_json::Value| {
            format!(
                "{}/{}/{}",
                doc["kind"], doc["metadata"]["namespace"], doc["metadata"]["name"]
            )
        };
        let built: BTreeMap<String, serde_json::Value> =
            built.into_iter().map(|d| (key(&d), d)).collect();
        let rendered: BTreeMap<String, serde_json::Value> =
            rendered.into_iter().map(|d| (key(&d), d)).collect();
        assert_eq!(
            built.keys().collect::<Vec<_>>(),
            rendered.keys().collect::<Vec<_>>(),
            "{environment}"
        );
        assert!(
            built == rendered,
            "{environment}: kustomize changed an object"
        );
    }
}

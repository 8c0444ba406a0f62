//! `render --out`: one file per object plus a kustomization, an index of owned
//! files, pruning of what it wrote before, foreign files untouched, `--check`,
//! no change at all when the render fails, the old or the new tree whenever
//! it is killed, one writer at a time, and output directories that would
//! clobber the spec or the machine refused.

use crate::support::cli::{MINIMAL_BASE, MINIMAL_PROD, Platform, run, run_in};
use crate::support::tree::listing;
use crate::support::{external, python};
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

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

/// Every example's `render --all --out` tree, built by `kubectl kustomize`
/// per environment, holds exactly the rendered objects.
#[test]
fn kustomize_builds_the_tree_into_the_rendered_objects() {
    for root in crate::support::platforms::examples() {
        let deploy = tempfile::tempdir().expect("temporary directory");
        let deploy_dir = deploy.path().to_str().expect("UTF-8 path");
        run(&root, &["render", "--all", "--out", deploy_dir]).success();
        for environment in crate::support::platforms::environments(&root) {
            let place = format!(
                "{} {environment}",
                crate::support::platforms::display(&root)
            );
            let built = python::documents(&external::kubectl_kustomize(
                &deploy.path().join(&environment),
            ));
            let rendered =
                python::documents(&run(&root, &["render", &environment]).success().stdout);
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
                "{place}"
            );
            assert!(built == rendered, "{place}: kustomize changed an object");
        }
    }
}

/// Replaces `dir` with exactly `files`.
fn restore(dir: &Path, files: &BTreeMap<String, Vec<u8>>) {
    if dir.exists() {
        std::fs::remove_dir_all(dir).expect("remove");
    }
    for (path, bytes) in files {
        let path = dir.join(path);
        std::fs::create_dir_all(path.parent().expect("parent")).expect("mkdir");
        std::fs::write(path, bytes).expect("write");
    }
}

/// `listing` without the staging area, which readers ignore.
fn seen_by_readers(dir: &Path) -> BTreeMap<String, Vec<u8>> {
    let mut files = listing(dir);
    files.retain(|path, _| !path.starts_with(".platformgen-staging/"));
    files
}

/// The spec after a change that rewrites, adds and removes files: web gets
/// more replicas, the database goes, a namespace (a new directory) comes.
fn changed_spec(platform: &Platform) {
    let without_db = MINIMAL_BASE.replace("    uses: [db]\n", "");
    let without_db = format!(
        "{}ingress: {{ controllerNamespace: ingress-nginx }}\n",
        &without_db[..without_db.find("  db:\n").expect("db")]
    );
    platform.write(
        "platform.yaml",
        &without_db.replace("  shop: {}\n", "  shop: {}\n  extra: {}\n"),
    );
    platform.write(
        "environments/prod.yaml",
        &MINIMAL_PROD.replace("replicas: 3", "replicas: 4"),
    );
}

/// Kills `render --out` (a real abort, as `kill -9`: no cleanup) after
/// each change it makes in turn, and checks what the next commands see: the
/// complete old tree, or an unfinished write that `--check` and `diff
/// --against` refuse and the next render finishes; foreign files untouched.
#[test]
fn a_render_killed_at_any_change_leaves_the_old_or_the_new_tree() {
    let started = std::time::Instant::now();
    let platform = Platform::with(MINIMAL_BASE, &[("prod", MINIMAL_PROD)]);
    let deploy = platform.path().join("deploy");
    let out = out(&platform);
    platform.run(&["render", "prod", "--out", &out]).success();
    platform.write("deploy/README.md", "hand-written\n");
    platform.write("deploy/shop/notes.txt", "hand-written\n");
    let old = listing(&deploy);
    changed_spec(&platform);
    let stale_report = platform.run(&["render", "prod", "--out", &out, "--check"]);
    assert_eq!(stale_report.code, 1, "{}", stale_report.stderr);
    for expected in ["changed: ", "missing: extra/", "no longer rendered: shop/"] {
        assert!(
            stale_report.stderr.contains(expected),
            "{}",
            stale_report.stderr
        );
    }

    let (mut rolled_back, mut rolled_forward) = (0, 0);
    let mut changes = 0;
    for limit in 1.. {
        restore(&deploy, &old);
        let limit_text = limit.to_string();
        let killed = run_in(
            platform.path(),
            platform.path(),
            &["render", "prod", "--out", &out],
            &[("PLATFORMGEN_FAULT_ABORT_AFTER", &limit_text)],
        );
        if killed.code == 0 {
            // Past the last change: the render ran to the end.
            changes = limit - 1;
            break;
        }
        assert_eq!(killed.code, -1, "killed by a signal: {}", killed.stderr);

        let check = platform.run(&["render", "prod", "--out", &out, "--check"]);
        let diff = platform.run(&["diff", "prod", "--against", &out]);
        match check.code {
            // The old tree, exactly, with the same staleness as before.
            1 => {
                rolled_back += 1;
                assert_eq!(seen_by_readers(&deploy), old, "after change {limit}");
                assert_eq!(check.stderr, stale_report.stderr);
                assert_eq!(diff.code, 1, "{}", diff.stderr);
            }
            // Committed, not finished: every reader refuses, and says what to do.
            2 => {
                rolled_forward += 1;
                for refused in [&check, &diff] {
                    assert_eq!(refused.code, 2);
                    assert!(
                        refused.stderr.contains("holds an unfinished write")
                            && refused.stderr.contains("with this --out again"),
                        "{}",
                        refused.stderr
                    );
                }
            }
            // Killed after its very last change.
            code => {
                assert_eq!(code, 0, "{}", check.stderr);
                assert!(!deploy.join(".platformgen-journal").exists());
            }
        }

        // The next render recovers first: a committed write is finished (so
        // the render itself then has nothing left to do), an uncommitted
        // one discarded.
        let next = platform.run(&["render", "prod", "--out", &out]).success();
        if check.code == 2 {
            assert!(
                next.stderr
                    .contains("finished the write an interrupted run had committed")
                    && next.stderr.contains(" 0 written, ")
                    && next.stderr.contains(" 0 removed"),
                "after change {limit}: {}",
                next.stderr
            );
        }
        let new = listing(&deploy);
        assert_eq!(new["README.md"], b"hand-written\n");
        assert_eq!(new["shop/notes.txt"], b"hand-written\n");
        assert!(
            new.keys()
                .all(|path| !path.starts_with(".platformgen-staging"))
        );
        assert!(!new.contains_key(".platformgen-journal"));
        platform
            .run(&["render", "prod", "--out", &out, "--check"])
            .success();
    }
    let new = listing(&deploy);
    assert_ne!(new, old);
    assert!(
        changes > 20 && rolled_back > 5 && rolled_forward > 5,
        "{changes} changes: {rolled_back} rolled back, {rolled_forward} rolled forward"
    );
    assert!(
        started.elapsed() < std::time::Duration::from_secs(30),
        "{:?}",
        started.elapsed()
    );
}

/// Holds the lock of `dir` as a running render would. Retries for a while:
/// a lock this process released may live on in a child another test thread
/// is spawning (it holds a copy of every open file until it execs).
fn hold_lock(dir: &Path) -> std::fs::File {
    let lock = std::fs::OpenOptions::new()
        .read(true)
        .write(true)
        .create(true)
        .truncate(false)
        .open(dir.join(".platformgen-lock"))
        .expect("open the lock file");
    for _ in 0..1_000 {
        if lock.try_lock().is_ok() {
            return lock;
        }
        std::thread::sleep(std::time::Duration::from_millis(2));
    }
    panic!("cannot lock {}", dir.display());
}

#[test]
fn a_second_writer_is_refused_while_the_first_holds_the_lock() {
    let platform = Platform::with(MINIMAL_BASE, &[("prod", MINIMAL_PROD)]);
    let deploy = platform.path().join("deploy");
    let out = out(&platform);
    platform.run(&["render", "prod", "--out", &out]).success();
    platform.run(&["kustomize", "--out", "kustomize"]).success();
    changed_spec(&platform);
    let kustomize = platform.path().join("kustomize");
    // The directory, as the message names it, and a command using it.
    for (dir, named, args) in [
        (&deploy, out.as_str(), vec!["render", "prod", "--out", &out]),
        (
            &deploy,
            &out,
            vec!["render", "prod", "--out", &out, "--check"],
        ),
        (&deploy, &out, vec!["diff", "prod", "--against", &out]),
        (
            &kustomize,
            "kustomize",
            vec!["kustomize", "--out", "kustomize"],
        ),
    ] {
        let before = listing(dir);
        let lock = hold_lock(dir);
        let refused = platform.run(&args);
        assert_eq!(refused.code, 2, "{args:?}: {}", refused.stderr);
        assert!(
            refused
                .stderr
                .contains("in use by another platformgen process")
                && refused.stderr.contains(&format!("`{named}`")),
            "{}",
            refused.stderr
        );
        assert_eq!(listing(dir), before, "{args:?} changed the tree");
        drop(lock);
    }
    // Released, the directory is usable again (once a child spawned by
    // another test thread lets go of its copy of the lock, as above).
    for attempt in 0.. {
        let run = platform.run(&["render", "prod", "--out", &out]);
        if run.code == 0 {
            break;
        }
        assert!(
            attempt < 100 && run.stderr.contains("in use"),
            "{}",
            run.stderr
        );
        std::thread::sleep(std::time::Duration::from_millis(20));
    }
}

/// A platform in `spec/` of a temporary directory, so that `--out ..` lands
/// in a directory the test owns and can list.
fn nested_platform() -> (Platform, PathBuf) {
    let platform = Platform::new();
    platform.write("spec/platform.yaml", MINIMAL_BASE);
    platform.write("spec/environments/prod.yaml", MINIMAL_PROD);
    let spec = platform.path().join("spec");
    (platform, spec)
}

#[test]
fn dangerous_output_directories_are_refused_before_anything_is_written() {
    let (platform, spec) = nested_platform();
    let before = listing(platform.path());
    for (out, reason) in [
        (".", "it is the platform directory"),
        ("./x/..", "it is the platform directory"),
        ("..", "contains the platform directory"),
        ("environments", "in the environments directory"),
        ("environments/new", "in the environments directory"),
        ("/", "is the root of a file system"),
    ] {
        for command in [
            vec!["render", "prod", "--out", out],
            vec!["render", "--all", "--out", out],
            vec!["render", "prod", "--out", out, "--check"],
            vec!["kustomize", "--out", out],
            vec!["kustomize", "--out", out, "--check"],
        ] {
            // `--dir .`, the default, resolved against the working directory.
            let run = run_in(Path::new("."), &spec, &command, &[]);
            assert_eq!(run.code, 2, "{command:?}: {}", run.stderr);
            assert!(
                run.stderr
                    .contains(&format!("refusing to use `{out}` as the output directory"))
                    && run.stderr.contains(reason),
                "{command:?}: {}",
                run.stderr
            );
            assert!(
                !run.stderr.contains("stale"),
                "--check listed files: {}",
                run.stderr
            );
            assert_eq!(listing(platform.path()), before, "{command:?} wrote files");
        }
    }
    for name in [
        ".platformgen-index",
        ".platformgen-lock",
        "kustomization.yaml",
    ] {
        assert!(!Path::new("/").join(name).exists(), "/{name}");
    }
    // A subdirectory of the platform directory stays the normal case.
    run_in(
        Path::new("."),
        &spec,
        &["render", "prod", "--out", "deploy"],
        &[],
    )
    .success();
    run_in(
        Path::new("."),
        &spec,
        &["kustomize", "--out", "kustomize"],
        &[],
    )
    .success();
}

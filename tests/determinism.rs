//! Byte-identical output whatever the time zone, locale, working directory or
//! hash seed.

use crate::support::cli::{repository, run, run_in};
use crate::support::examples::seed_examples;
use crate::support::tree::listing;

#[test]
fn renders_are_identical_across_environments_and_directories() {
    let root = repository();
    let elsewhere = tempfile::tempdir().expect("temporary directory");
    for environment in ["dev", "staging", "prod"] {
        let first = run(&root, &["render", environment]).success();
        let second = run_in(
            &root,
            elsewhere.path(),
            &["render", environment],
            &[
                ("TZ", "Asia/Kolkata"),
                ("LANG", "tr_TR.UTF-8"),
                ("LC_ALL", "tr_TR.UTF-8"),
            ],
        )
        .success();
        assert!(!first.stdout.is_empty());
        assert!(
            first.stdout == second.stdout,
            "{environment}: output depends on TZ, locale or cwd"
        );
    }
}

#[test]
fn out_trees_are_identical_across_runs() {
    let root = repository();
    let a = tempfile::tempdir().expect("temporary directory");
    let b = tempfile::tempdir().expect("temporary directory");
    for dir in [a.path(), b.path()] {
        run(
            &root,
            &[
                "render",
                "--all",
                "--out",
                dir.to_str().expect("UTF-8 path"),
            ],
        )
        .success();
    }
    assert!(listing(a.path()) == listing(b.path()));
}

#[test]
fn seed_example_renders_are_identical_across_environments_and_directories() {
    let elsewhere = tempfile::tempdir().expect("temporary directory");
    for (name, dir, environments) in seed_examples() {
        for environment in environments {
            let first = run(&dir, &["render", environment]).success();
            let second = run_in(
                &dir,
                elsewhere.path(),
                &["render", environment],
                &[("TZ", "Pacific/Chatham"), ("LC_ALL", "tr_TR.UTF-8")],
            )
            .success();
            assert!(!first.stdout.is_empty());
            assert!(
                first.stdout == second.stdout,
                "{name} {environment}: output depends on TZ, locale or cwd"
            );
        }
    }
}

//! Byte-identical output whatever the time zone, locale, working directory or
//! hash seed.

use crate::support::cli::{run, run_in};
use crate::support::platforms;
use crate::support::tree::listing;

/// Every example, every environment.
#[test]
fn renders_are_identical_across_environments_and_directories() {
    let elsewhere = tempfile::tempdir().expect("temporary directory");
    for root in platforms::examples() {
        for environment in platforms::environments(&root) {
            assert_identical(&root, &environment, elsewhere.path());
        }
    }
}

/// A platform large enough that reading, analysing, lowering and checking
/// its workloads each use two threads, which take work in a different order
/// from one run to the next: neither the render nor the check report may
/// show it.
#[test]
fn a_large_platform_renders_and_checks_identically_across_runs() {
    let dir = platforms::benchmark_platform(300);
    let elsewhere = tempfile::tempdir().expect("temporary directory");
    assert_identical(dir.path(), "prod", elsewhere.path());
    let check = || run(dir.path(), &["check", "--all", "--format", "json"]);
    let (first, second) = (check(), check());
    assert_eq!(first.code, 0, "{}", first.stderr);
    assert!(
        first.stdout == second.stdout,
        "check --all differs between runs"
    );
}

/// Renders `environment` of `root` from the repository and again from
/// `elsewhere` under another time zone and locale, and compares the bytes.
#[track_caller]
fn assert_identical(root: &std::path::Path, environment: &str, elsewhere: &std::path::Path) {
    let first = run(root, &["render", environment]).success();
    let second = run_in(
        root,
        elsewhere,
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
        "{} {environment}: output depends on TZ, locale or cwd",
        platforms::display(root)
    );
}

#[test]
fn out_trees_are_identical_across_runs() {
    assert_trees_identical_across_runs(&["render", "--all", "--out"]);
}

/// `kustomize` decides each object's place on two threads, which take
/// objects in a different order from one run to the next: the tree must
/// not show it.
#[test]
fn kustomize_trees_are_identical_across_runs() {
    assert_trees_identical_across_runs(&["kustomize", "--out"]);
}

/// `command`, followed by an output directory, writes the same tree twice
/// for every example.
fn assert_trees_identical_across_runs(command: &[&str]) {
    for root in platforms::examples() {
        let a = tempfile::tempdir().expect("temporary directory");
        let b = tempfile::tempdir().expect("temporary directory");
        for dir in [a.path(), b.path()] {
            let mut args = command.to_vec();
            args.push(dir.to_str().expect("UTF-8 path"));
            run(&root, &args).success();
        }
        assert!(
            listing(a.path()) == listing(b.path()),
            "{}: two trees of `{}` differ",
            platforms::display(&root),
            command.join(" ")
        );
    }
}

/// A spec whose `workloads` is large is parsed in two parts on two threads
/// (`yaml/parts.rs`); an anchor in its last workload makes the parser decline
/// the parts and read the file in one piece, without changing what it says.
/// Both must render the same bytes, and an error at the end of `workloads`
/// must be reported where it is written.
#[test]
fn a_spec_parsed_in_parts_renders_what_it_renders_in_one_piece() {
    let dir = platforms::benchmark_platform(320);
    let spec = dir.path().join("platform.yaml");
    let text = std::fs::read_to_string(&spec).expect("spec");
    // Large enough to be cut: `yaml::parts::PARTS_MIN_BYTES` is 256 KiB.
    assert!(text.len() > 300 * 1024, "{} bytes", text.len());
    let in_parts = run(dir.path(), &["render", "prod"]).success().stdout;

    let last = "    description: Synthetic service number 319.";
    assert!(text.contains(last));
    let anchored = text.replace(last, &last.replace(": Synthetic", ": &last Synthetic"));
    std::fs::write(&spec, &anchored).expect("spec written");
    let in_one_piece = run(dir.path(), &["render", "prod"]).success().stdout;
    assert!(in_parts == in_one_piece, "the renders differ");

    // A workload declared again after the last one.
    let duplicated = format!("{text}  svc-00005:\n    image: again\n");
    std::fs::write(&spec, &duplicated).expect("spec written");
    let run = run(dir.path(), &["render", "prod"]);
    let line = duplicated.lines().count() - 1;
    assert_ne!(run.code, 0);
    assert!(
        run.stderr.contains("PG1003") && run.stderr.contains(&format!("platform.yaml:{line}:3")),
        "{}",
        run.stderr
    );
}

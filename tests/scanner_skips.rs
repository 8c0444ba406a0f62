//! Waivers as scanner skip annotations, through the real binary: a render of
//! a platform with a waiver carries Checkov's and kube-linter's skip
//! annotations on the waived workload's objects; without the waiver, none.
//! The mapping itself is tested in src/lower/scanner_skips.rs.

use crate::policy_rules::{BASE, platform};
use crate::support::cli::repository;

const WAIVER: &str = "\
policy:
  waivers:
    - rule: weak-security-context
      workload: db
      reason: the image writes to its root filesystem
";

/// The lines of `render prod` holding a skip annotation.
fn skip_lines(base: &str) -> Vec<String> {
    let run = platform(base, "").run(&["render", "prod"]).success();
    run.stdout
        .lines()
        .filter(|line| line.contains("checkov.io/skip") || line.contains("kube-linter.io/"))
        .map(|line| line.trim().to_owned())
        .collect()
}

#[test]
fn a_render_with_a_waiver_carries_the_skip_annotations() {
    let lines = skip_lines(&format!("{BASE}{WAIVER}"));
    // On the StatefulSet and again on its pod template.
    for expected in [
        r#"checkov.io/skip1: "CKV_K8S_20=PG4004 waived: the image writes to its root filesystem""#,
        r#"checkov.io/skip2: "CKV_K8S_22=PG4004 waived: the image writes to its root filesystem""#,
        r#"ignore-check.kube-linter.io/no-read-only-root-fs: "PG4004 waived: the image writes to its root filesystem""#,
    ] {
        assert_eq!(
            lines.iter().filter(|line| *line == expected).count(),
            2,
            "{expected}\n{lines:#?}"
        );
    }
}

#[test]
fn a_render_without_a_waiver_carries_none() {
    assert_eq!(skip_lines(BASE), Vec::<String>::new());
}

#[test]
fn the_example_skips_the_token_check_for_the_workload_its_waiver_names() {
    let run = crate::support::cli::run(&repository(), &["render", "prod"]).success();
    let skips: Vec<&str> = run
        .stdout
        .lines()
        .filter(|line| line.contains("checkov.io/skip") && line.contains("CKV_K8S_38"))
        .collect();
    // The health API's Deployment and its pod template, nothing else.
    assert_eq!(skips.len(), 2, "{skips:#?}");
    assert!(
        skips
            .iter()
            .all(|line| line.contains("CKV_K8S_38=PG4015 waived: Reads its own ConfigMaps")),
        "{skips:#?}"
    );
    // The platform-wide digest waiver reaches every pod-running object.
    let digest = run
        .stdout
        .lines()
        .filter(|line| line.contains("CKV_K8S_43=PG4014 waived"))
        .count();
    assert!(digest >= 10, "{digest} digest skips");
}

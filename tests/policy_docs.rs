//! docs/policies.md is generated from the rules (`platformgen codes
//! --markdown`) and kept up to date; `codes` explains each rule in full.

use crate::support::cli::{repository, run};

#[test]
fn policies_doc_is_up_to_date() {
    let root = repository();
    let generated = run(&root, &["codes", "--markdown"]).success().stdout;
    let path = root.join("docs").join("policies.md");
    let committed = std::fs::read_to_string(&path).unwrap_or_default();
    if committed != generated {
        if std::env::var_os("PLATFORMGEN_UPDATE_DOCS").is_some() {
            std::fs::write(&path, &generated).expect("write docs/policies.md");
            return;
        }
        let line = committed
            .lines()
            .zip(generated.lines())
            .position(|(a, b)| a != b)
            .map_or_else(|| "the end".to_owned(), |i| format!("line {}", i + 1));
        panic!(
            "docs/policies.md is stale (first difference at {line}); regenerate it with \
             `PLATFORMGEN_UPDATE_DOCS=1 cargo test --test integration policy_docs`"
        );
    }
}

#[test]
fn every_rule_is_documented_with_levels_fix_and_waiver() {
    let root = repository();
    let list = run(&root, &["codes"]).success().stdout;
    let rules: Vec<&str> = list
        .lines()
        .filter_map(|line| line.split_whitespace().next())
        .filter(|id| id.starts_with("PG40"))
        .collect();
    assert!(rules.len() >= 13, "{list}");
    for id in rules {
        let text = run(&root, &["codes", id]).success().stdout;
        for part in [
            "level: ",
            " in development, ",
            "why: ",
            "fix: ",
            &format!("- rule: {id}\n"),
        ] {
            assert!(text.contains(part), "`codes {id}` lacks `{part}`:\n{text}");
        }
    }
    let by_name = run(&root, &["codes", "single-replica"]).success().stdout;
    assert!(
        by_name.starts_with("PG4005 (single-replica)\n\n"),
        "{by_name}"
    );
    assert!(
        by_name.contains("level: off in development, warning in staging, error in production"),
        "{by_name}"
    );
}

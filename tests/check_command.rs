//! `platformgen check`: exit codes (0 clean, 1 policy errors, 2 invalid input),
//! waivers, findings merged across environments, and the text, JSON and SARIF
//! reports (SARIF validated against the SARIF 2.1.0 schema).

use serde_json::Value;

use crate::policy_rules::{BASE, WEB_IMAGE, base_with, platform};
use crate::support::cli::{Platform, repository, run};
use crate::support::{platforms, sarif, snapshot_settings};

const SINGLE_DB: (&str, &str) = ("    replicas: 3\n", "    replicas: 1\n");

fn single_db() -> String {
    base_with(SINGLE_DB.0, SINGLE_DB.1)
}

fn json(platform: &Platform, args: &[&str]) -> Value {
    let mut args = args.to_vec();
    args.extend(["--format", "json"]);
    serde_json::from_str(&platform.run(&args).stdout).expect("JSON report")
}

/// The codes of a JSON report's `diagnostics` for `environment`.
fn codes(report: &Value, environment: &str) -> Vec<String> {
    report["environments"][environment]["diagnostics"]
        .as_array()
        .expect("diagnostics")
        .iter()
        .map(|d| d["code"].as_str().unwrap_or_default().to_owned())
        .collect()
}

#[test]
fn exit_codes_are_0_clean_1_policy_errors_2_invalid_input() {
    let clean = platform(BASE, "");
    let run = clean.run(&["check", "--all"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert_eq!(run.stderr, "ok: dev, prod, staging checked, 0 warning(s)\n");

    let failing = platform(&single_db(), "");
    assert_eq!(failing.run(&["check", "prod"]).code, 1);
    assert_eq!(failing.run(&["check", "--all"]).code, 1);
    // A warning in staging, nothing in dev: both pass.
    assert_eq!(failing.run(&["check", "staging"]).code, 0);
    assert_eq!(failing.run(&["check", "dev"]).code, 0);
    // `render` never runs the policies.
    let render = failing.run(&["render", "prod"]);
    assert_eq!(render.code, 0, "{}", render.stderr);
    assert!(!render.stderr.contains("PG4005"), "{}", render.stderr);

    let invalid = platform(
        &base_with("    replicas: 3\n", "    replicas: 1\n    replica: 2\n"),
        "",
    );
    assert_eq!(invalid.run(&["check", "prod"]).code, 2);
    // Invalid input in one environment wins over policy errors in another.
    invalid.write("environments/dev.yaml", "domain: [\n");
    assert_eq!(invalid.run(&["check", "--all"]).code, 2);
}

#[test]
fn policy_errors_are_reported_in_every_format_with_the_same_exit_code() {
    let failing = platform(&single_db(), "");
    for format in ["text", "json", "sarif"] {
        let run = failing.run(&["check", "prod", "--format", format]);
        assert_eq!(run.code, 1, "{format}: {}", run.stderr);
    }
    let report = json(&failing, &["check", "prod"]);
    assert_eq!(codes(&report, "prod"), ["PG4005"]);
    assert_eq!(report["summary"]["status"], "policy-errors");
    let item = &report["environments"]["prod"]["diagnostics"][0];
    assert_eq!(item["environment"], "prod");
    assert_eq!(item["workload"], "db");
    assert_eq!(item["namespace"], "shop");
    assert_eq!(item["rule"]["name"], "single-replica");
    assert_eq!(item["rule"]["levels"]["staging"], "warning");
    assert_eq!(item["suppression"], Value::Null);
}

const WAIVER: &str = "\
policy:
  waivers:
    - rule: single-replica
      workload: db
      reason: single-primary database until the operator migration
";

#[test]
fn a_waiver_suppresses_the_finding_and_keeps_its_reason() {
    let waived = platform(&format!("{}{WAIVER}", single_db()), "");
    let run = waived.run(&["check", "prod"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert_eq!(run.stderr, "ok: prod checked, 0 warning(s), 1 waived\n");

    let report = json(&waived, &["check", "prod"]);
    let prod = &report["environments"]["prod"];
    assert_eq!(codes(&report, "prod"), Vec::<String>::new());
    assert_eq!(prod["summary"]["suppressed"], 1);
    let suppressed = &prod["suppressed"][0];
    assert_eq!(suppressed["code"], "PG4005");
    assert_eq!(suppressed["severity"], "error");
    assert_eq!(
        suppressed["suppression"]["justification"],
        "single-primary database until the operator migration"
    );
    assert_eq!(suppressed["suppression"]["location"]["line"], 34);

    let sarif: Value =
        serde_json::from_str(&waived.run(&["check", "prod", "--format", "sarif"]).stdout)
            .expect("SARIF");
    let result = &sarif["runs"][0]["results"][0];
    assert_eq!(result["ruleId"], "PG4005");
    assert_eq!(result["suppressions"][0]["kind"], "inSource");
    assert_eq!(
        result["suppressions"][0]["justification"],
        "single-primary database until the operator migration"
    );
}

#[test]
fn a_waiver_unused_everywhere_is_a_warning() {
    let stale = platform(&format!("{BASE}{WAIVER}"), "");
    let run = stale.run(&["check", "--all"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert!(
        run.stderr.starts_with(
            "warning[PG4900]: waiver of `PG4005` (single-replica) for `db` matches no finding\n  --> platform.yaml:34:13\n"
        ),
        "{}",
        run.stderr
    );
    assert!(
        run.stderr
            .contains("= note: in environments dev, prod, staging"),
        "{}",
        run.stderr
    );
    assert!(
        run.stderr
            .ends_with("ok: dev, prod, staging checked, 1 warning(s)\n"),
        "{}",
        run.stderr
    );
}

#[test]
fn a_waiver_needed_in_one_environment_is_not_stale_in_the_others() {
    let base = format!("{BASE}{WAIVER}");
    let waived = Platform::with(
        &base,
        &[
            ("dev", "domain: dev.example.com\n"),
            (
                "prod",
                "domain: example.com\nworkloads:\n  db: { replicas: 1 }\n",
            ),
        ],
    );
    let run = waived.run(&["check", "--all"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert!(!run.stderr.contains("PG4900"), "{}", run.stderr);
    // Checked alone, dev cannot know prod needs it.
    let report = json(&waived, &["check", "dev"]);
    assert_eq!(codes(&report, "dev"), ["PG4900"]);
}

#[test]
fn a_waiver_needs_a_known_rule_and_a_reason() {
    let cases = [
        ("    - { rule: single-replica, workload: db }\n", "PG2003"),
        (
            "    - { rule: single-replica, workload: db, reason: \" \" }\n",
            "PG2004",
        ),
        (
            "    - { rule: single-replca, workload: db, reason: r }\n",
            "PG4901",
        ),
    ];
    for (waiver, code) in cases {
        let invalid = platform(&format!("{}policy:\n  waivers:\n{waiver}", single_db()), "");
        for command in ["check", "render"] {
            let run = invalid.run(&[command, "prod"]);
            assert_eq!(run.code, 2, "{command} {waiver}: {}", run.stderr);
            assert!(
                run.stderr.starts_with(&format!("error[{code}]")),
                "{waiver}: {}",
                run.stderr
            );
        }
    }
    let unknown = platform(
        &format!("{BASE}policy:\n  rules:\n    single-replca: off\n"),
        "",
    );
    let run = unknown.run(&["check", "prod"]);
    assert_eq!(run.code, 2, "{}", run.stderr);
    assert!(
        run.stderr
            .contains("error[PG4901]: unknown policy rule `single-replca`")
            && run
                .stderr
                .contains("= help: did you mean `single-replica`?"),
        "{}",
        run.stderr
    );
}

#[test]
fn rule_levels_can_be_changed_per_environment() {
    let relaxed = platform(&single_db(), "policy:\n  rules:\n    PG4005: warning\n");
    assert_eq!(relaxed.run(&["check", "prod"]).code, 0);
    let strict = platform(BASE, "policy:\n  rules:\n    unpinned-image: error\n");
    assert_eq!(strict.run(&["check", "dev"]).code, 0);
}

/// A platform with a finding of each kind: the same finding at different
/// levels (dev, staging and prod), one only in prod's overlay, a waived one
/// and an unused waiver.
fn findings() -> Platform {
    let base = format!(
        "{}policy:\n  waivers:\n    - rule: PG4005\n      workload: db\n      reason: single-primary database until the operator migration\n    - rule: namespace-not-restricted\n      namespace: shop\n      reason: the namespace used to be baseline\n",
        single_db().replace(WEB_IMAGE, "ghcr.io/acme/web:latest")
    );
    Platform::with(
        &base,
        &[
            ("dev", "domain: dev.example.com\n"),
            ("staging", "domain: staging.example.com\n"),
            (
                "prod",
                "domain: example.com\nworkloads:\n  web:\n    disruptionBudget: { enabled: false }\n",
            ),
        ],
    )
}

#[test]
fn text_report_merges_environments() {
    let platform = findings();
    let run = platform.run(&["check", "--all"]);
    assert_eq!(run.code, 1);
    snapshot_settings().bind(|| insta::assert_snapshot!("text", run.report(platform.path())));
}

#[test]
fn json_report() {
    let platform = findings();
    let run = platform.run(&["check", "--all", "--format", "json"]);
    assert_eq!(run.code, 1);
    snapshot_settings().bind(|| insta::assert_snapshot!("json", run.report(platform.path())));
}

#[test]
fn sarif_report() {
    let platform = findings();
    let run = platform.run(&["check", "--all", "--format", "sarif"]);
    assert_eq!(run.code, 1);
    sarif::validate(&run.stdout);
    let version = format!("\"{}\"", env!("CARGO_PKG_VERSION"));
    let report = run
        .report(platform.path())
        .replace(&version, "\"[VERSION]\"");
    snapshot_settings().bind(|| insta::assert_snapshot!("sarif", report));
}

#[test]
fn sarif_lists_every_rule_with_its_documentation() {
    let run = findings().run(&["check", "prod", "--format", "sarif"]);
    let sarif: Value = serde_json::from_str(&run.stdout).expect("SARIF");
    assert_eq!(sarif["version"], "2.1.0");
    let driver = &sarif["runs"][0]["tool"]["driver"];
    assert_eq!(driver["name"], "platformgen");
    let rules = driver["rules"].as_array().expect("rules");
    let ids: Vec<&str> = rules.iter().filter_map(|r| r["id"].as_str()).collect();
    for id in ["PG4001", "PG4005", "PG4013", "PG4900"] {
        assert!(ids.contains(&id), "{ids:?}");
    }
    let single = rules.iter().find(|r| r["id"] == "PG4005").expect("PG4005");
    assert_eq!(single["name"], "single-replica");
    assert_eq!(single["defaultConfiguration"]["level"], "error");
    assert!(
        single["help"]["markdown"]
            .as_str()
            .unwrap_or_default()
            .contains("**Why.**")
    );
    for result in sarif["runs"][0]["results"].as_array().expect("results") {
        let index = result["ruleIndex"].as_u64().expect("ruleIndex") as usize;
        assert_eq!(rules[index]["id"], result["ruleId"]);
        assert!(result["partialFingerprints"]["platformgen/v1"].is_string());
    }
}

#[test]
fn the_seed_examples_are_clean_and_their_sarif_valid() {
    for (name, dir, _) in crate::support::examples::seed_examples() {
        let run = run(&dir, &["check", "--all", "--format", "sarif"]);
        assert_eq!(run.code, 0, "{name}: {}", run.stderr);
        sarif::validate(&run.stdout);
    }
}

#[test]
fn the_example_is_clean_and_its_sarif_valid() {
    let root = repository();
    for environment in ["staging", "prod"] {
        let run = run(&root, &["check", environment]);
        assert_eq!(run.code, 0, "{environment}:\n{}", run.stderr);
        assert!(
            !run.stderr.contains("error"),
            "{environment}:\n{}",
            run.stderr
        );
    }
    let run = run(&root, &["check", "--all", "--format", "sarif"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    sarif::validate(&run.stdout);
}

/// Every example is clean in every environment: no error, no warning, and
/// every waiver it writes is used (an unused one is a warning).
#[test]
fn every_example_is_clean_in_every_environment() {
    for dir in platforms::examples() {
        let run = run(&dir, &["check", "--all"]);
        let place = platforms::display(&dir);
        assert_eq!(run.code, 0, "{place}:\n{}", run.stderr);
        assert!(
            run.stderr.contains(" 0 warning(s)") && !run.stderr.contains("error"),
            "{place}:\n{}",
            run.stderr
        );
    }
}

/// A waiver may name any object of the render, not only a workload: one
/// that names an object is stale but not misspelt, and a misspelt one is
/// told the closest object name.
#[test]
fn an_unused_waiver_is_matched_against_the_names_of_every_object() {
    let waiver = |workload: &str| {
        format!(
            "{BASE}policy:\n  waivers:\n    - rule: single-replica\n      workload: {workload}\n      reason: testing\n"
        )
    };
    let run = platform(&waiver("db-headless"), "").run(&["check", "prod"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert!(
        run.stderr.contains("for `db-headless` matches no finding"),
        "{}",
        run.stderr
    );
    assert!(!run.stderr.contains("no workload"), "{}", run.stderr);

    let run = platform(&waiver("db-headles"), "").run(&["check", "prod"]);
    assert!(
        run.stderr
            .contains("no workload `db-headles` runs in environment `prod`"),
        "{}",
        run.stderr
    );
    assert!(run.stderr.contains("`db-headless`"), "{}", run.stderr);
}

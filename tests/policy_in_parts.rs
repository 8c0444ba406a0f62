//! `check` runs the policy rules over each workload's objects together with
//! the platform-wide ones, as lowering makes them, so it never holds every
//! object of a large platform at once. That must change nothing: for every
//! platform and environment of the repository, the report, the diagnostics
//! and the objects judged are those of one pass over the whole render.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use platformgen::capabilities;
use platformgen::diagnostic::Code;
use platformgen::lower;
use platformgen::pipeline;
use platformgen::policy;
use platformgen::read::Loader;

use crate::support::cli::repository;

/// The examples and every platform fixture.
fn platforms() -> Vec<PathBuf> {
    let platforms = crate::support::platforms::all();
    assert!(platforms.len() > 5, "found the platform fixtures");
    platforms
}

#[test]
fn the_report_of_check_in_parts_is_the_report_of_the_whole_render() {
    let checked = compare_reports(&platforms());
    assert!(checked > 10, "compared {checked} environments");
}

/// Rules about the platform as a whole (`RuleScope::Platform`) run once, not
/// once per part: a staging environment whose database has no backup has
/// exactly one PG4016 finding, compiled whole or in parts.
#[test]
fn a_platform_wide_rule_reports_once_when_checked_in_parts() {
    let platform =
        std::fs::read_to_string(repository().join("tests/fixtures/data-services/platform.yaml"))
            .expect("the fixture is read");
    let dir = with_staging(
        &platform,
        "tier: staging\npostgres:\n  shop-db:\n    backup: null\n",
    );
    assert_staging_reports_once(dir.path(), Code::DatabaseWithoutBackup);
}

/// A platform without workloads is one part: the checking thread judges the
/// platform-wide objects it was handed first on their own, so a namespace
/// that does not enforce the restricted level is reported, once.
#[test]
fn a_platform_without_workloads_is_checked_as_one_part() {
    let dir = with_staging(
        "platform: { name: shop, kubernetesVersion: \"1.33\" }\n\
         namespaces: { shop: { podSecurity: baseline } }\n\
         workloads: {}\n",
        "tier: staging\n",
    );
    assert_staging_reports_once(dir.path(), Code::NamespaceNotRestricted);
}

/// A temporary platform of `platform` with one environment, `staging`.
fn with_staging(platform: &str, staging: &str) -> tempfile::TempDir {
    let dir = tempfile::tempdir().expect("a temporary directory");
    std::fs::create_dir(dir.path().join("environments")).expect("environments/");
    std::fs::write(dir.path().join("platform.yaml"), platform).expect("platform.yaml is written");
    std::fs::write(dir.path().join("environments/staging.yaml"), staging)
        .expect("the staging overlay is written");
    dir
}

/// Asserts that the `staging` environment of the platform in `dir` checks
/// the same whole and in parts, and that its report has exactly one finding
/// with `code`.
fn assert_staging_reports_once(dir: &Path, code: Code) {
    assert_eq!(compare_reports(&[dir.to_path_buf()]), 1);
    let loader = Loader::new(dir);
    let report = pipeline::compile_checked(&loader, "staging", pipeline::Footprinting::Skip)
        .policy
        .expect("staging compiles");
    let found = report
        .findings
        .iter()
        .filter(|finding| finding.diagnostic.code == code)
        .count();
    assert_eq!(found, 1, "{:#?}", report.findings);
}

/// Compiles every environment of `dirs` whole and in parts, asserts the two
/// agree, and returns how many environments produced a report.
fn compare_reports(dirs: &[PathBuf]) -> usize {
    let mut checked = 0;
    for dir in dirs {
        let dir = dir.clone();
        let loader = Loader::new(&dir);
        for environment in loader.environments().expect("environments are listed") {
            let whole = pipeline::compile(&loader, &environment);
            let parts =
                pipeline::compile_checked(&loader, &environment, pipeline::Footprinting::Record);
            let place = format!("{} {environment}", dir.display());
            assert_eq!(
                whole.diagnostics.clone().into_sorted(),
                parts.diagnostics.clone().into_sorted(),
                "{place}: the same diagnostics"
            );
            let (Some(model), Some(manifests), Some(tree), Some(spec)) =
                (&whole.model, &whole.manifests, &whole.tree, &whole.spec)
            else {
                assert!(parts.policy.is_none(), "{place}: no report without objects");
                continue;
            };
            let expected = policy::check(
                &platformgen::capabilities::rules(),
                model,
                manifests,
                tree,
                &spec.policy,
            );
            let actual = parts.policy.expect("a compiled environment has a report");
            assert!(parts.manifests.is_none(), "{place}: no object is kept");
            assert_eq!(expected.findings, actual.findings, "{place}: findings");
            assert_eq!(
                expected.used_waivers, actual.used_waivers,
                "{place}: used waivers"
            );
            assert_eq!(
                expected.unused_waivers, actual.unused_waivers,
                "{place}: unused waivers"
            );
            checked += 1;
        }
    }
    checked
}

#[test]
fn the_parts_hold_every_object_once_with_the_platform_wide_ones_in_apply_order() {
    for dir in platforms() {
        let loader = Loader::new(&dir);
        for environment in loader.environments().expect("environments are listed") {
            let whole = pipeline::compile(&loader, &environment);
            let (Some(model), Some(manifests)) = (&whole.model, &whole.manifests) else {
                continue;
            };
            let place = format!("{} {environment}", dir.display());
            let owns_cluster_objects = whole
                .spec
                .as_ref()
                .and_then(|spec| spec.cluster.owns_cluster_objects)
                .unwrap_or(true);
            let expected: BTreeMap<String, String> = manifests
                .iter()
                .map(|m| (m.identity(), m.yaml().into_owned()))
                .collect();
            let mut batches: Vec<Vec<platformgen::object::Manifest>> = Vec::new();
            let diagnostics =
                lower::lower_visiting(model, &capabilities::lower_hooks(), &mut |batch| {
                    batches.push(batch)
                });
            assert!(diagnostics.is_empty(), "{place}: no duplicate");
            // The platform-wide objects come first, then one batch per
            // workload; each part is a workload's batch with them.
            let (platform_wide, workloads) = batches
                .split_first()
                .expect("the platform-wide objects are handed over");
            let kept = |object: &&platformgen::object::Manifest| {
                // An environment leaving the cluster's objects to another
                // renders its Namespaces only of them.
                owns_cluster_objects || !pipeline::is_owned_by_the_cluster(object)
            };
            let mut seen: BTreeMap<String, String> = BTreeMap::new();
            let mut parts = 0;
            let mut check_part = |part: Vec<&platformgen::object::Manifest>| {
                parts += 1;
                let keys: Vec<_> = part.iter().map(|m| m.sort_key()).collect();
                assert!(keys.is_sorted(), "{place}: a part is in apply order");
                for object in part.iter().copied().filter(kept) {
                    seen.insert(object.identity(), object.yaml().into_owned());
                }
            };
            let shared = lower::in_apply_order(platform_wide);
            if workloads.is_empty() {
                check_part(shared.clone());
            }
            for workload in workloads {
                check_part(lower::part_in_apply_order(&shared, workload));
            }
            assert_eq!(expected, seen, "{place}: every object, as rendered");
            // Each object is handed over exactly once.
            let handed: usize = batches
                .iter()
                .map(|batch| batch.iter().filter(kept).count())
                .sum();
            assert_eq!(handed, expected.len(), "{place}: each object handed once");
            assert_eq!(
                parts,
                model.workloads.len().max(1),
                "{place}: a part per workload"
            );
        }
    }
}

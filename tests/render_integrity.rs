//! `check` resolves the references between the objects of the render, each
//! problem an error at the spec line that caused it: an in-cluster address
//! `<service>.<namespace>.svc[:port]` written in a workload's `env` names a
//! Service of the render on a port it exposes (PG5003). (The pod-level
//! references, PG5002, cannot be written wrong in the spec; the unit tests of
//! `validate::references` feed them untyped objects.)

use crate::support::cli::{MINIMAL_PROD, Platform};
use crate::support::rejection::minimal_base_with;
use crate::support::snapshot_settings;

/// MINIMAL_BASE with `DB_URL: <value>` in `web`'s env.
fn platform_with_address(value: &str) -> Platform {
    let base = minimal_base_with(
        "    uses: [db]\n",
        &format!("    uses: [db]\n    env: {{ DB_URL: \"{value}\" }}\n"),
    );
    Platform::with(&base, &[("prod", MINIMAL_PROD)])
}

/// `check prod`'s report, asserted to be the input error exit (2).
#[track_caller]
fn rejected_by_check(platform: &Platform) -> String {
    let run = platform.run(&["check", "prod", "--color", "never"]);
    assert_eq!(run.code, 2, "{}", run.report(platform.path()));
    assert!(!run.stderr.contains("panicked"), "{}", run.stderr);
    run.report(platform.path())
}

#[test]
fn an_address_on_a_port_the_service_does_not_expose_is_an_error_at_its_line() {
    let platform = platform_with_address("postgres://db.shop.svc:5433/app");
    let report = rejected_by_check(&platform);
    assert!(report.contains("error[PG5003]"), "{report}");
    assert!(
        report.contains("Service `shop/db` does not expose port 5433 (it exposes 5432)"),
        "{report}"
    );
    snapshot_settings().bind(|| insta::assert_snapshot!("address_wrong_port", report));
}

#[test]
fn an_address_of_a_service_that_does_not_exist_is_an_error_at_its_line() {
    let platform = platform_with_address("redis://cache.shop.svc.cluster.local:6379");
    let report = rejected_by_check(&platform);
    assert!(
        report.contains("no Service `cache` exists in namespace `shop`"),
        "{report}"
    );
    snapshot_settings().bind(|| insta::assert_snapshot!("address_unknown_service", report));
}

#[test]
fn addresses_of_existing_services_and_of_other_namespaces_pass() {
    for value in [
        "postgres://db.shop.svc:5432/app",
        "db.shop.svc.cluster.local",
        // Not a namespace of the platform: not the platform's to check.
        "http://prometheus.monitoring.svc:9090",
    ] {
        let platform = platform_with_address(value);
        let run = platform.run(&["check", "prod", "--format", "json"]);
        assert!(
            !run.stdout.contains("PG500") && !run.stderr.contains("PG500"),
            "{value}: {}",
            run.report(platform.path())
        );
        assert_ne!(run.code, 2, "{value}: {}", run.report(platform.path()));
    }
}

#[test]
fn render_does_not_resolve_references() {
    let platform = platform_with_address("postgres://db.shop.svc:5433/app");
    platform.run(&["render", "prod"]).success();
}

//! Complete error reports for bad input, through the real binary: exit code,
//! nothing on stdout, and every message with file:line:col, the source line, a
//! caret and a hint. One snapshot per kind of mistake.

use crate::support::cli::{MINIMAL_BASE, MINIMAL_PROD, Platform};
use crate::support::{rejection, snapshot_settings};

/// Renders `prod` of `base` + `prod`, expects it rejected, snapshots the report.
#[track_caller]
fn case(name: &str, base: &str, prod: &str) {
    let report = rejection::rejected_spec(base, prod);
    snapshot_settings().bind(|| insta::assert_snapshot!(name, report));
}

fn case_bytes(name: &str, base: &[u8]) {
    let platform = Platform::with("", &[("prod", MINIMAL_PROD)]);
    platform.write_bytes("platform.yaml", base);
    case_in(name, &platform, "prod");
}

#[track_caller]
fn case_in(name: &str, platform: &Platform, environment: &str) {
    let report = rejection::rejected(platform, environment);
    snapshot_settings().bind(|| insta::assert_snapshot!(name, report));
}

use rejection::minimal_base_with as base_with;

#[test]
fn yaml_syntax_error() {
    case(
        "yaml_syntax_error",
        &base_with("uses: [db]", "uses: [db"),
        MINIMAL_PROD,
    );
}

#[test]
fn tab_indentation() {
    case(
        "tab_indentation",
        &base_with("    uses: [db]", "\tuses: [db]"),
        MINIMAL_PROD,
    );
}

#[test]
fn duplicate_key() {
    case(
        "duplicate_key",
        &base_with("    uses: [db]", "    uses: [db]\n    uses: []"),
        MINIMAL_PROD,
    );
}

#[test]
fn unknown_field_with_suggestion() {
    case(
        "unknown_field_with_suggestion",
        &base_with("    uses: [db]", "    replicass: 3\n    uses: [db]"),
        MINIMAL_PROD,
    );
}

#[test]
fn every_unknown_field_is_reported_at_once() {
    let base = base_with(
        "    uses: [db]",
        "    replicass: 3\n    imagePullPolicy: Always\n    uses: [db]",
    );
    let base = base.replacen(
        "  kubernetesVersion",
        "  kubernetesVerson: \"1.33\"\n  kubernetesVersion",
        1,
    );
    case(
        "every_unknown_field_is_reported_at_once",
        &base,
        MINIMAL_PROD,
    );
}

#[test]
fn wrong_type() {
    case(
        "wrong_type",
        &base_with("      http: { port: 8080 }", "      http: { port: eighty }"),
        MINIMAL_PROD,
    );
}

#[test]
fn list_where_mapping_expected() {
    case(
        "list_where_mapping_expected",
        &base_with("  shop: {}", "  shop: []"),
        MINIMAL_PROD,
    );
}

#[test]
fn yes_is_not_a_boolean() {
    case(
        "yes_is_not_a_boolean",
        MINIMAL_BASE,
        &format!(
            "{MINIMAL_PROD}  db: {{ autoscaling: {{ enabled: yes, min: 1, max: 2, cpu: 50 }} }}\n"
        ),
    );
}

#[test]
fn negative_number() {
    case(
        "negative_number",
        MINIMAL_BASE,
        "domain: example.com\nworkloads:\n  web: { replicas: -1 }\n",
    );
}

#[test]
fn number_too_large() {
    case(
        "number_too_large",
        &base_with("      http: { port: 8080 }", "      http: { port: 99999 }"),
        MINIMAL_PROD,
    );
}

#[test]
fn invalid_quantity() {
    case(
        "invalid_quantity",
        &base_with("cpu: 100m, memory: 128Mi", "cpu: 100m, memory: 128MB"),
        MINIMAL_PROD,
    );
}

#[test]
fn unsupported_kubernetes_version() {
    case(
        "unsupported_kubernetes_version",
        &base_with("\"1.33\"", "\"1.28\""),
        MINIMAL_PROD,
    );
}

#[test]
fn missing_field() {
    case(
        "missing_field",
        &base_with("    image: ghcr.io/acme/web:1.2.3\n", ""),
        MINIMAL_PROD,
    );
}

#[test]
fn unknown_dependency() {
    case(
        "unknown_dependency",
        &base_with("uses: [db]", "uses: [dbb]"),
        MINIMAL_PROD,
    );
}

#[test]
fn unknown_namespace() {
    case(
        "unknown_namespace",
        &base_with(
            "    namespace: shop\n    image: ghcr",
            "    namespace: shopp\n    image: ghcr",
        ),
        MINIMAL_PROD,
    );
}

#[test]
fn duplicate_name() {
    case(
        "duplicate_name",
        &base_with(
            "      http: { port: 8080 }",
            "      http: { port: 8080 }\n      web: { port: 8080 }",
        ),
        MINIMAL_PROD,
    );
}

#[test]
fn autoscaling_min_greater_than_max() {
    case(
        "autoscaling_min_greater_than_max",
        MINIMAL_BASE,
        &MINIMAL_PROD.replace(
            "  web: { replicas: 3 }\n",
            "  web: { autoscaling: { min: 5, max: 2, cpu: 70 } }\n",
        ),
    );
}

#[test]
fn port_not_declared() {
    case(
        "port_not_declared",
        &base_with(
            "    uses: [db]",
            "    probes:\n      readiness: { http: /ready, port: htp }\n    uses: [db]",
        ),
        MINIMAL_PROD,
    );
}

#[test]
fn disruption_budget_blocks_every_eviction() {
    case(
        "disruption_budget_blocks_every_eviction",
        MINIMAL_BASE,
        "domain: example.com\nworkloads:\n  web: { replicas: 2, disruptionBudget: { minAvailable: 2 } }\n",
    );
}

#[test]
fn semantic_errors_are_reported_together() {
    let base = base_with("uses: [db]", "uses: [dbb, cache]").replacen(
        "    namespace: shop\n    image: postgres",
        "    namespace: data\n    image: postgres",
        1,
    );
    case(
        "semantic_errors_are_reported_together",
        &base,
        &format!("{MINIMAL_PROD}  db: {{ autoscaling: {{ min: 3, max: 1, cpu: 70 }} }}\n"),
    );
}

#[test]
fn overlay_error_points_at_the_overlay() {
    case(
        "overlay_error_points_at_the_overlay",
        MINIMAL_BASE,
        "domain: example.com\nworkloads:\n  web:\n    resources:\n      limits: { cpu: 50m }\n",
    );
}

#[test]
fn alias_bomb() {
    let mut bomb = String::from("a0: &a0 [x, x, x, x, x, x, x, x, x]\n");
    for level in 1..10 {
        let previous = format!("*a{}", level - 1);
        bomb.push_str(&format!(
            "a{level}: &a{level} [{}]\n",
            vec![previous; 9].join(", ")
        ));
    }
    case("alias_bomb", &format!("{MINIMAL_BASE}{bomb}"), MINIMAL_PROD);
}

#[test]
fn deep_nesting() {
    let deep = format!(
        "{MINIMAL_BASE}extra: {}{}\n",
        "[".repeat(10_000),
        "]".repeat(10_000)
    );
    case("deep_nesting", &deep, MINIMAL_PROD);
}

#[test]
fn invalid_utf8() {
    let mut bytes = MINIMAL_BASE.as_bytes().to_vec();
    let at = MINIMAL_BASE.find("shop: {}").expect("fixture");
    bytes.splice(at..at, [b'\xff', b'\xfe']);
    case_bytes("invalid_utf8", &bytes);
}

#[test]
fn empty_file() {
    // The base must hold the platform; an empty overlay is fine.
    case("empty_file", "# nothing here yet\n", MINIMAL_PROD);
}

#[test]
fn two_documents() {
    case(
        "two_documents",
        &format!("{MINIMAL_BASE}---\nplatform: {{}}\n"),
        MINIMAL_PROD,
    );
}

#[test]
fn missing_platform_file() {
    let platform = Platform::new();
    platform.write("environments/prod.yaml", MINIMAL_PROD);
    case_in("missing_platform_file", &platform, "prod");
}

#[test]
fn unknown_environment() {
    let platform = Platform::with(
        MINIMAL_BASE,
        &[("prod", MINIMAL_PROD), ("staging", MINIMAL_PROD)],
    );
    case_in("unknown_environment", &platform, "prd");
}

#[test]
fn base_is_not_a_mapping() {
    case(
        "base_is_not_a_mapping",
        "- platform: { name: shop }\n- workloads: {}\n",
        MINIMAL_PROD,
    );
}

#[test]
fn overlay_is_not_a_mapping() {
    case(
        "overlay_is_not_a_mapping",
        MINIMAL_BASE,
        "- domain: example.com\n",
    );
}

#[test]
fn overlay_removes_the_platform_section() {
    case(
        "overlay_removes_the_platform_section",
        MINIMAL_BASE,
        &format!("{MINIMAL_PROD}platform: null\n"),
    );
}

#[test]
fn overlay_removes_a_workload_namespace() {
    case(
        "overlay_removes_a_workload_namespace",
        MINIMAL_BASE,
        "domain: example.com\nworkloads:\n  web: { namespace: null }\n",
    );
}

#[test]
fn overlay_removes_a_namespace_in_use() {
    case(
        "overlay_removes_a_namespace_in_use",
        MINIMAL_BASE,
        &format!("{MINIMAL_PROD}namespaces:\n  shop: null\n"),
    );
}

#[test]
fn overlay_removes_a_workload_in_use() {
    case(
        "overlay_removes_a_workload_in_use",
        MINIMAL_BASE,
        &format!("{MINIMAL_PROD}  db: null\n"),
    );
}

#[test]
fn overlay_adds_a_second_probe_action() {
    case(
        "overlay_adds_a_second_probe_action",
        &base_with(
            "    uses: [db]",
            "    probes:\n      liveness: { http: /healthz }\n    uses: [db]",
        ),
        &MINIMAL_PROD.replace(
            "  web: { replicas: 3 }\n",
            "  web:\n    replicas: 3\n    probes:\n      liveness: { tcp: true }\n",
        ),
    );
}

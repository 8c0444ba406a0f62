//! Error reports for the secure-by-default settings (network policies, RBAC,
//! quotas and limit ranges), through the real binary: exit code 2, nothing on
//! stdout, every message at its `file:line:col` with the source line, a caret
//! and a hint. One snapshot per kind of mistake.

use crate::support::cli::MINIMAL_PROD;
use crate::support::{rejection, snapshot_settings};

#[track_caller]
fn case(name: &str, base: &str, prod: &str) {
    let report = rejection::rejected_spec(base, prod);
    snapshot_settings().bind(|| insta::assert_snapshot!(name, report));
}

use rejection::minimal_base_with as base_with;

/// Lines added to the `web` workload of MINIMAL_BASE.
fn web_with(lines: &str) -> String {
    base_with("    uses: [db]\n", &format!("    uses: [db]\n{lines}"))
}

#[test]
fn dependency_has_no_port() {
    case(
        "dependency_has_no_port",
        &base_with("    ports:\n      postgres: { port: 5432 }\n", ""),
        MINIMAL_PROD,
    );
}

#[test]
fn exposed_without_controller_namespace() {
    case(
        "exposed_without_controller_namespace",
        &base_with("ingress: { controllerNamespace: ingress-nginx }\n", ""),
        MINIMAL_PROD,
    );
}

#[test]
fn metrics_without_monitoring() {
    case(
        "metrics_without_monitoring",
        &web_with("    metrics: { port: http }\n"),
        MINIMAL_PROD,
    );
}

#[test]
fn metrics_port_not_declared() {
    case(
        "metrics_port_not_declared",
        &format!(
            "{}monitoring: {{ namespace: monitoring }}\n",
            web_with("    metrics: { port: htp, path: /metrics }\n")
        ),
        MINIMAL_PROD,
    );
}

#[test]
fn api_access_without_api_server() {
    case(
        "api_access_without_api_server",
        &web_with(
            "    serviceAccount:\n      rules: [{ resources: [pods], verbs: [get, lsit] }]\n",
        ),
        MINIMAL_PROD,
    );
}

#[test]
fn invalid_cidrs() {
    case(
        "invalid_cidrs",
        &web_with(
            "    egress:\n      - { cidr: 10.1.2.3/8, ports: [443] }\n      - { cidr: 192.0.2.0/24, except: [198.51.100.0/24], ports: [443] }\n      - { cidr: 203.0.113.7, ports: [] }\n      - { to: internet, cidr: 0.0.0.0/0, ports: [443] }\n",
        ),
        MINIMAL_PROD,
    );
}

#[test]
fn traffic_source_in_a_platform_namespace() {
    case(
        "traffic_source_in_a_platform_namespace",
        &base_with(
            "ingress: { controllerNamespace: ingress-nginx }\n",
            "ingress: { controllerNamespace: shop }\n",
        ),
        MINIMAL_PROD,
    );
}

#[test]
fn quota_exceeded() {
    case(
        "quota_exceeded",
        &base_with(
            "  shop: {}\n",
            "  shop:\n    quota:\n      requests: { cpu: 500m, memory: 1Gi }\n      pods: 3\n",
        ),
        MINIMAL_PROD,
    );
}

#[test]
fn limit_range_violation() {
    case(
        "limit_range_violation",
        &base_with(
            "  shop: {}\n",
            "  shop:\n    limitRange:\n      default: { cpu: \"1\" }\n      max: { cpu: 400m, memory: 1Gi }\n",
        ),
        MINIMAL_PROD,
    );
}

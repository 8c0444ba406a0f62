//! Error reports for mistakes in ingress, TLS and exposure settings, through
//! the real binary: exit code 2, nothing on stdout, every message located.
//! One snapshot per kind of mistake, as in `error_messages`.

use crate::support::cli::MINIMAL_BASE;
use crate::support::{rejection, snapshot_settings};

/// A prod overlay for MINIMAL_BASE whose `ingress` mapping each case extends
/// with indented lines.
const PROD: &str = "domain: example.com\ningress:\n  controllerNamespace: ingress-nginx\n";

#[track_caller]
fn case(name: &str, base: &str, prod: &str) {
    let report = rejection::rejected_spec(base, prod);
    snapshot_settings().bind(|| insta::assert_snapshot!(name, report));
}

/// MINIMAL_BASE with the web workload's exposure replaced by `expose`.
#[track_caller]
fn exposed(expose: &str) -> String {
    let from = "    expose: { host: shop }\n";
    assert!(MINIMAL_BASE.contains(from), "fixture text not found");
    MINIMAL_BASE.replacen(from, &format!("    expose:\n{expose}"), 1)
}

#[test]
fn rate_limit_in_gateway_mode() {
    case(
        "rate_limit_in_gateway_mode",
        &exposed(
            "      host: shop\n      rateLimit: { requestsPerSecond: 10 }\n      maxBodySize: 8Mi\n",
        ),
        &format!("{PROD}  mode: gateway\n  gateway: {{ className: eg, namespace: shop }}\n"),
    );
}

#[test]
fn credentials_from_any_origin() {
    case(
        "credentials_from_any_origin",
        &exposed(
            "      host: shop\n      cors:\n        allowOrigins: [\"*\"]\n        allowCredentials: true\n",
        ),
        PROD,
    );
}

#[test]
fn invalid_cors_settings() {
    case(
        "invalid_cors_settings",
        &exposed(
            "      host: shop\n      cors:\n        \
             allowOrigins: [\"https://app.example.com/\", app.example.com, \"https://*.example.com\", app, \"https://app.example.com\"]\n        \
             allowHeaders: [\"X Custom\"]\n        maxAgeSeconds: 0\n",
        ),
        PROD,
    );
}

#[test]
fn unknown_cors_method() {
    case(
        "unknown_cors_method",
        &exposed(
            "      host: shop\n      cors: { allowOrigins: [app], allowMethods: [GET, FETCH] }\n",
        ),
        PROD,
    );
}

#[test]
fn invalid_rate_limit_and_timeouts() {
    case(
        "invalid_rate_limit_and_timeouts",
        &exposed(
            "      host: shop\n      rateLimit: { requestsPerSecond: 10, requestsPerMinute: 600 }\n      \
             websocket: { readTimeoutSeconds: 0 }\n      maxBodySize: 1500m\n",
        ),
        PROD,
    );
}

#[test]
fn wildcard_host_with_lets_encrypt() {
    case(
        "wildcard_host_with_lets_encrypt",
        &exposed("      host: \"*.shop.example.com\"\n"),
        &format!("{PROD}  tls: {{ issuer: letsencryptProduction, email: ops@example.com }}\n"),
    );
}

#[test]
fn lets_encrypt_without_email() {
    case(
        "lets_encrypt_without_email",
        MINIMAL_BASE,
        &format!("{PROD}  tls: {{ issuer: letsencryptStaging }}\n"),
    );
}

#[test]
fn misspelt_issuer() {
    case(
        "misspelt_issuer",
        MINIMAL_BASE,
        &format!("{PROD}  tls: {{ issuer: letsencryptProd, email: ops@example.com }}\n"),
    );
}

#[test]
fn class_of_the_other_controller() {
    case(
        "class_of_the_other_controller",
        MINIMAL_BASE,
        &format!("{PROD}  className: traefik\n"),
    );
}

#[test]
fn gateway_mode_without_a_gateway() {
    case(
        "gateway_mode_without_a_gateway",
        MINIMAL_BASE,
        &format!("{PROD}  mode: gateway\n"),
    );
}

#[test]
fn gateway_in_an_undeclared_namespace() {
    case(
        "gateway_in_an_undeclared_namespace",
        MINIMAL_BASE,
        &format!("{PROD}  mode: gateway\n  gateway: {{ className: eg, namespace: shopp }}\n"),
    );
}

//! Public routing through the real binary, on the fixture platform
//! `tests/fixtures/ingress` served three ways: ingress-nginx annotations,
//! traefik Middlewares, and the Gateway API. Snapshots hold the routing
//! objects only (Ingress, Middleware, ClusterIssuer, Gateway, HTTPRoute).

use std::path::PathBuf;

use crate::support::cli::{Platform, run};
use crate::support::snapshot_settings;

const ROUTING_KINDS: [&str; 5] = [
    "ClusterIssuer",
    "Gateway",
    "HTTPRoute",
    "Ingress",
    "Middleware",
];

fn fixture() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/ingress")
}

/// The documents of `stream` whose kind is one of `kinds`, as YAML text.
fn documents_of_kinds(stream: &str, kinds: &[&str]) -> String {
    stream
        .split("---\n")
        .filter(|document| {
            document
                .lines()
                .any(|line| kinds.iter().any(|kind| line == format!("kind: {kind}")))
        })
        .map(|document| format!("---\n{document}"))
        .collect()
}

fn render(environment: &str) -> crate::support::cli::Run {
    run(&fixture(), &["render", environment]).success()
}

#[test]
fn nginx_mode_renders_annotations() {
    let run = render("nginx");
    assert_eq!(run.stderr, "", "no warnings with nginx");
    let routing = documents_of_kinds(&run.stdout, &ROUTING_KINDS);
    assert!(!routing.contains("kind: Middleware"));
    assert!(routing.contains("nginx.ingress.kubernetes.io/limit-rpm: \"600\""));
    assert!(routing.contains("nginx.ingress.kubernetes.io/proxy-read-timeout: \"7200\""));
    snapshot_settings().bind(|| insta::assert_snapshot!("nginx", routing));
}

#[test]
fn traefik_mode_renders_middlewares() {
    let run = render("traefik");
    let routing = documents_of_kinds(&run.stdout, &ROUTING_KINDS);
    assert!(!routing.contains("nginx.ingress.kubernetes.io"));
    assert!(routing.contains(
        "traefik.ingress.kubernetes.io/router.middlewares: \"\
         chat-api-api-cors@kubernetescrd,chat-api-api-rate-limit@kubernetescrd,\
         chat-api-api-body-size@kubernetescrd\""
    ));
    snapshot_settings().bind(|| insta::assert_snapshot!("traefik", routing));
}

#[test]
fn gateway_mode_renders_a_gateway_and_routes() {
    let run = render("gateway");
    let routing = documents_of_kinds(&run.stdout, &ROUTING_KINDS);
    assert!(!routing.contains("kind: Ingress\n"));
    assert!(routing.contains("kind: Gateway\n"));
    snapshot_settings().bind(|| insta::assert_snapshot!("gateway", routing));
}

#[test]
fn websocket_timeouts_without_a_per_route_setting_are_a_warning() {
    for environment in ["traefik", "gateway"] {
        let run = render(environment);
        assert!(
            run.stderr.contains("warning[PG3023]") && run.stderr.contains("`realtime`"),
            "{environment}: {}",
            run.stderr
        );
    }
    let run = render("traefik");
    snapshot_settings().bind(|| insta::assert_snapshot!("traefik_warning", run.stderr));
}

#[test]
fn existing_issuer_is_referenced_not_rendered() {
    let platform = Platform::new();
    for entry in ["platform.yaml", "environments/nginx.yaml"] {
        let text = std::fs::read_to_string(fixture().join(entry)).expect("fixture");
        platform.write(entry, &text);
    }
    platform.write(
        "environments/nginx.yaml",
        "tier: production\ningress:\n  controllerNamespace: ingress-nginx\n  tls: { issuer: { existing: corp-acme } }\n",
    );
    let stream = platform.run(&["render", "nginx"]).success().stdout;
    assert!(!stream.contains("kind: ClusterIssuer"));
    assert_eq!(
        stream
            .matches("cert-manager.io/cluster-issuer: corp-acme")
            .count(),
        2,
        "both Ingresses name the existing issuer:\n{stream}"
    );
}

#[test]
fn every_generated_issuer_per_tier_of_the_example() {
    let example = crate::support::cli::repository();
    for (environment, issuer, server) in [
        ("dev", "health-platform-selfsigned", None),
        (
            "staging",
            "health-platform-letsencrypt-staging",
            Some("https://acme-staging-v02.api.letsencrypt.org/directory"),
        ),
        (
            "prod",
            "health-platform-letsencrypt-prod",
            Some("https://acme-v02.api.letsencrypt.org/directory"),
        ),
    ] {
        let stream = run(&example, &["render", environment]).success().stdout;
        let issuers = documents_of_kinds(&stream, &["ClusterIssuer"]);
        // The ingress' issuer, and the self-signed root and the CA issuer
        // of the platform's internal CA (the MinIO tenant's TLS).
        assert_eq!(
            issuers.matches("kind: ClusterIssuer").count(),
            3,
            "{environment}"
        );
        assert!(
            issuers.contains("name: health-platform-internal-ca\n"),
            "{environment}: {issuers}"
        );
        assert!(
            issuers.contains(&format!("name: {issuer}\n")),
            "{environment}: {issuers}"
        );
        match server {
            Some(server) => {
                assert!(issuers.contains(server), "{environment}: {issuers}");
                assert!(issuers.contains("ingressClassName: nginx"), "{issuers}");
            }
            None => assert!(
                issuers.contains("selfSigned: {}"),
                "{environment}: {issuers}"
            ),
        }
        assert!(stream.contains(&format!("cert-manager.io/cluster-issuer: {issuer}\n")));
    }
}

//! Several exposures per workload, per-exposure IngressClasses and client
//! address allowlists, on the fixture platform `tests/fixtures/exposures`
//! (seed 000's ACA-Py agent: DIDComm over HTTP and WebSocket on the public
//! host, its admin API on an internal one) served three ways; and the errors
//! of exposures and of the egress forms beside them (`to: <namespace>`, port
//! ranges), one snapshot per kind of mistake.

use std::path::PathBuf;

use serde_json::Value;

use crate::support::cli::{MINIMAL_BASE, Platform, run};
use crate::support::{python, rejection, snapshot_settings};

fn fixture() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/exposures")
}

fn render(environment: &str) -> String {
    run(&fixture(), &["render", environment]).success().stdout
}

fn object<'a>(objects: &'a [Value], kind: &str, name: &str) -> &'a Value {
    objects
        .iter()
        .find(|o| o["kind"] == kind && o["metadata"]["name"] == name)
        .unwrap_or_else(|| panic!("no {kind} {name}"))
}

fn names_of(objects: &[Value], kind: &str) -> Vec<String> {
    objects
        .iter()
        .filter(|o| o["kind"] == kind)
        .map(|o| o["metadata"]["name"].as_str().expect("name").to_owned())
        .collect()
}

/// The routing objects of a render stream, as its YAML documents.
fn routing_snapshot(stream: &str) -> String {
    let kinds = ["Ingress", "Middleware", "Gateway", "HTTPRoute"];
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

#[test]
fn nginx_renders_an_ingress_per_exposure() {
    let stream = render("nginx");
    let objects = python::documents(&stream);
    assert_eq!(
        names_of(&objects, "Ingress"),
        ["agent-admin-api", "agent-http", "agent-ws"]
    );
    let http = object(&objects, "Ingress", "agent-http");
    assert_eq!(http["spec"]["ingressClassName"], "nginx");
    assert_eq!(
        http["spec"]["rules"][0]["http"]["paths"][0]["backend"]["service"]["port"]["name"],
        "http"
    );
    assert_eq!(http["spec"]["tls"][0]["secretName"], "agent-http-tls");
    assert_eq!(
        http["metadata"]["annotations"]["nginx.ingress.kubernetes.io/limit-rps"],
        "20"
    );

    // The WebSocket exposure: same host, its own path and port, long timeouts,
    // and none of the HTTP exposure's rate limit.
    let ws = object(&objects, "Ingress", "agent-ws");
    let rule = &ws["spec"]["rules"][0];
    assert_eq!(rule["host"], "agent.rx.example.com");
    assert_eq!(rule["http"]["paths"][0]["path"], "/ws");
    assert_eq!(
        rule["http"]["paths"][0]["backend"]["service"]["port"]["name"],
        "ws"
    );
    let annotations = &ws["metadata"]["annotations"];
    assert_eq!(
        annotations["nginx.ingress.kubernetes.io/proxy-read-timeout"],
        "7200"
    );
    assert_eq!(
        annotations["nginx.ingress.kubernetes.io/proxy-send-timeout"],
        "3600"
    );
    assert!(annotations["nginx.ingress.kubernetes.io/limit-rps"].is_null());

    // The admin API: the internal class, the office network only, and its
    // HTTP-01 challenges solved through the internal controller too.
    let admin = object(&objects, "Ingress", "agent-admin-api");
    assert_eq!(admin["spec"]["ingressClassName"], "nginx-internal");
    let annotations = &admin["metadata"]["annotations"];
    assert_eq!(
        annotations["nginx.ingress.kubernetes.io/whitelist-source-range"],
        "10.20.0.0/16,192.168.10.0/24"
    );
    assert_eq!(
        annotations["acme.cert-manager.io/http01-ingress-ingressclassname"],
        "nginx-internal"
    );
    assert!(
        http["metadata"]["annotations"]["acme.cert-manager.io/http01-ingress-ingressclassname"]
            .is_null()
    );

    // Each controller may reach the solver pods of the hosts it serves.
    let solver = object(&objects, "NetworkPolicy", "acme-http01-solver");
    let from: Vec<&str> = solver["spec"]["ingress"][0]["from"]
        .as_array()
        .expect("peers")
        .iter()
        .map(|peer| {
            peer["namespaceSelector"]["matchLabels"]["kubernetes.io/metadata.name"]
                .as_str()
                .expect("namespace")
        })
        .collect();
    assert_eq!(from, ["ingress-internal", "ingress-nginx"]);
    snapshot_settings().bind(|| insta::assert_snapshot!("nginx", routing_snapshot(&stream)));
}

#[test]
fn traefik_renders_an_allow_list_middleware_first() {
    let stream = render("traefik");
    let objects = python::documents(&stream);
    let admin = object(&objects, "Ingress", "agent-admin-api");
    assert_eq!(admin["spec"]["ingressClassName"], "traefik-internal");
    assert_eq!(
        admin["metadata"]["annotations"]["traefik.ingress.kubernetes.io/router.middlewares"],
        "rx-agents-agent-admin-api-allow-list@kubernetescrd"
    );
    let allow = object(&objects, "Middleware", "agent-admin-api-allow-list");
    assert_eq!(
        allow["spec"]["ipAllowList"]["sourceRange"],
        serde_json::json!(["10.20.0.0/16", "192.168.10.0/24"])
    );
    assert_eq!(
        object(&objects, "Ingress", "agent-http")["metadata"]["annotations"]["traefik.ingress.kubernetes.io/router.middlewares"],
        "rx-agents-agent-http-cors@kubernetescrd,rx-agents-agent-http-rate-limit@kubernetescrd"
    );
    snapshot_settings().bind(|| insta::assert_snapshot!("traefik", routing_snapshot(&stream)));
}

#[test]
fn gateway_renders_an_http_route_per_exposure_and_one_listener_per_host() {
    let stream = render("gateway");
    let objects = python::documents(&stream);
    assert_eq!(
        names_of(&objects, "HTTPRoute"),
        ["agent-admin", "agent-http", "agent-ws", "rx-https-redirect"]
    );
    let ws = object(&objects, "HTTPRoute", "agent-ws");
    assert_eq!(
        ws["spec"]["rules"][0]["backendRefs"][0],
        serde_json::json!({ "name": "agent", "port": 8032 })
    );
    assert_eq!(ws["spec"]["rules"][0]["matches"][0]["path"]["value"], "/ws");
    let listeners: Vec<&str> = object(&objects, "Gateway", "rx")["spec"]["listeners"]
        .as_array()
        .expect("listeners")
        .iter()
        .map(|l| l["name"].as_str().expect("name"))
        .collect();
    assert_eq!(
        listeners,
        [
            "http",
            "https-agent-admin.rx.example.com",
            "https-agent.rx.example.com"
        ]
    );
    snapshot_settings().bind(|| insta::assert_snapshot!("gateway", routing_snapshot(&stream)));
}

#[test]
fn the_fixture_renders_are_strictly_valid() {
    let out = tempfile::tempdir().expect("temporary directory");
    let out_dir = out.path().to_str().expect("UTF-8 path");
    run(&fixture(), &["render", "--all", "--out", out_dir]).success();
    let report = crate::support::external::validate_manifests(&[out.path()]);
    assert!(report.contains(", 0 failed"), "{report}");
}

#[test]
fn the_one_exposure_form_keeps_its_object_names() {
    let platform = Platform::with(
        MINIMAL_BASE,
        &[(
            "prod",
            "domain: example.com\ningress: { tls: { issuer: selfSigned } }\n",
        )],
    );
    let objects = python::documents(&platform.run(&["render", "prod"]).success().stdout);
    let ingress = object(&objects, "Ingress", "web");
    assert_eq!(ingress["spec"]["tls"][0]["secretName"], "web-tls");
    assert_eq!(names_of(&objects, "Ingress"), ["web"]);
}

#[track_caller]
fn rejected(name: &str, base: &str, prod: &str) {
    let report = rejection::rejected_spec(base, prod);
    snapshot_settings().bind(|| insta::assert_snapshot!(name, report));
}

/// MINIMAL_BASE with the web workload's ports and exposure replaced.
fn exposures(expose: &str) -> String {
    let base = rejection::minimal_base_with(
        "      http: { port: 8080 }\n",
        "      http: { port: 8080 }\n      ws: { port: 8081 }\n",
    );
    base.replacen(
        "    expose: { host: shop }\n",
        &format!("    expose:\n{expose}"),
        1,
    )
}

const PROD: &str = "domain: example.com\n";

#[test]
fn the_same_host_and_path_twice_in_one_workload() {
    rejected(
        "same_host_and_path_twice",
        &exposures(
            "      - { host: shop, port: http }\n      - { host: shop, port: ws, name: live }\n",
        ),
        PROD,
    );
}

#[test]
fn a_list_exposure_without_a_port_or_with_a_repeated_name() {
    rejected(
        "list_without_port_and_repeated_name",
        &exposures(
            "      - { host: shop }\n      - { host: live, port: ws }\n      - { host: live-2, port: ws }\n",
        ),
        PROD,
    );
}

#[test]
fn a_name_on_the_one_exposure_form() {
    rejected(
        "name_on_one_exposure",
        &exposures("      host: shop\n      name: public\n"),
        PROD,
    );
}

#[test]
fn an_unknown_ingress_class() {
    rejected(
        "unknown_ingress_class",
        &exposures(
            "      - { host: shop, port: http, className: ngnix-internal }\n      - { host: admin, port: ws, className: private }\n",
        ),
        "domain: example.com\ningress:\n  classes:\n    nginx-internal: { controllerNamespace: ingress-internal }\n",
    );
}

#[test]
fn allowlists_and_classes_in_gateway_mode() {
    rejected(
        "allowlist_and_class_in_gateway_mode",
        &exposures(
            "      - { host: shop, port: http, allowSourceRanges: [10.0.0.0/8] }\n      - { host: live, port: ws, className: internal }\n",
        ),
        "domain: example.com\ningress:\n  mode: gateway\n  gateway: { className: eg, namespace: shop }\n  classes:\n    internal: { controllerNamespace: ingress-internal }\n",
    );
}

#[test]
fn invalid_allowlists() {
    rejected(
        "invalid_allowlists",
        &exposures(
            "      - { host: shop, port: http, allowSourceRanges: [10.1.0.0/8, 10.0.0.0/8, 10.0.0.0/8] }\n      - { host: live, port: ws, allowSourceRanges: [] }\n",
        ),
        PROD,
    );
}

/// MINIMAL_BASE with `egress` rules on the web workload.
fn egress(rules: &str) -> String {
    rejection::minimal_base_with(
        "    uses: [db]\n",
        &format!("    uses: [db]\n    egress:\n{rules}"),
    )
}

#[test]
fn ambiguous_egress_targets() {
    rejected(
        "ambiguous_egress_targets",
        &egress(
            "      - { to: db, ports: [5432] }\n      - { to: internet, ports: [443] }\n      - { to: 10.0.0.0/8, ports: [443] }\n      - { to: api.example.com, ports: [443] }\n      - { to: Monitoring, ports: [9090] }\n",
        )
        .replacen("  shop: {}\n", "  shop: {}\n  internet: {}\n", 1),
        PROD,
    );
}

#[test]
fn invalid_port_ranges() {
    rejected(
        "invalid_port_ranges",
        &egress("      - { to: monitoring, ports: [\"9100-9000\", \"8000-70000\", 0, 8080] }\n"),
        PROD,
    );
    rejected(
        "port_range_syntax",
        &egress("      - { to: monitoring, ports: [http, \"80-\"] }\n"),
        PROD,
    );
}

#[test]
fn egress_to_a_platform_namespace_where_nothing_listens() {
    rejected(
        "egress_to_nothing",
        &egress(
            "      - { to: shop, ports: [\"9000-9100\"] }\n      - { to: shop, podLabels: { app: db }, ports: [5432] }\n",
        ),
        PROD,
    );
}

#[test]
fn egress_to_a_data_service_by_name_is_ambiguous() {
    let fixture = crate::support::cli::repository().join("tests/fixtures/data-services");
    let base = std::fs::read_to_string(fixture.join("platform.yaml")).expect("fixture");
    let from = "    connections:\n      shop-db:\n        access: pooled\n";
    assert!(base.contains(from), "fixture text not found");
    let base = base.replacen(
        from,
        &format!("    egress: [{{ to: shop-db, ports: [5432] }}]\n{from}"),
        1,
    );
    let prod = std::fs::read_to_string(fixture.join("environments/prod.yaml")).expect("fixture");
    let report = rejection::rejected(&Platform::with(&base, &[("prod", &prod)]), "prod");
    assert!(
        report.contains("error[PG3091]: `to: shop-db` names a data service of the platform"),
        "{report}"
    );
    assert!(
        report.contains("call it with `uses: [shop-db]`"),
        "{report}"
    );
}

/// Without `ingress.controllerNamespace`, only the exposures of the default
/// class lack a controller to admit (PG3027); an internal class's controller
/// may not run in one of the platform's namespaces (PG3031).
#[test]
fn controllers_of_each_class_must_be_known_and_outside_the_platform() {
    let base = exposures(
        "      - { host: shop, port: http }\n      - { host: admin, port: ws, className: internal }\n",
    )
    .replacen("ingress: { controllerNamespace: ingress-nginx }\n", "", 1);
    rejected(
        "controllers_of_each_class",
        &base,
        "domain: example.com\ningress:\n  classes:\n    internal: { controllerNamespace: shop }\n",
    );
}

/// A canary routed by nginx shifts the weights of one Ingress: with several
/// exposures the others would keep every request on the stable version.
#[test]
fn a_canary_through_the_ingress_needs_a_single_exposure() {
    rejected(
        "canary_with_several_exposures",
        &exposures("      - { host: shop, port: http }\n      - { host: live, port: ws }\n"),
        "domain: example.com\nworkloads:\n  web:\n    replicas: 2\n    delivery: { canary: { steps: [{ setWeight: 50 }] } }\n",
    );
}

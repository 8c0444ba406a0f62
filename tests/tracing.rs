//! Tracing (`tracing.otlp`, `workloads.<name>.tracing`,
//! `tests/fixtures/operations`): the OTLP exporter's variables in every
//! workload that opts in, exactly one flow from each to the collector's OTLP
//! port (or an egress to a collector outside the platform), and the
//! mistakes caught at their spec line.

use serde_json::Value;

use crate::support::cli::{Platform, repository};
use crate::support::objects::{self, object};
use crate::support::{python, rejection, snapshot_settings};

fn fixture() -> std::path::PathBuf {
    repository().join("tests/fixtures/operations")
}

/// The container's plain variables, as (name, value).
fn plain_env(objects: &[Value], deployment: &str) -> Vec<(String, String)> {
    // The example's health API is an Argo Rollout in prod (its canary).
    let owner = objects
        .iter()
        .find(|o| o["kind"] == "Rollout" && o["metadata"]["name"] == deployment)
        .unwrap_or_else(|| object(objects, "Deployment", deployment));
    let container = &owner["spec"]["template"]["spec"]["containers"][0];
    container["env"]
        .as_array()
        .into_iter()
        .flatten()
        .filter_map(|var| {
            Some((
                var["name"].as_str()?.to_owned(),
                var["value"].as_str()?.to_owned(),
            ))
        })
        .collect()
}

fn value_of<'a>(vars: &'a [(String, String)], name: &str) -> Option<&'a str> {
    vars.iter()
        .find(|(var, _)| var == name)
        .map(|(_, value)| value.as_str())
}

#[test]
fn traced_workloads_get_the_exporter_variables() {
    let objects = objects::render(&fixture(), "staging");
    let worker = plain_env(&objects, "worker");
    assert_eq!(
        value_of(&worker, "OTEL_EXPORTER_OTLP_ENDPOINT"),
        Some("http://collector.observability.svc:4317")
    );
    assert_eq!(
        value_of(&worker, "OTEL_EXPORTER_OTLP_PROTOCOL"),
        Some("grpc")
    );
    assert_eq!(value_of(&worker, "OTEL_SERVICE_NAME"), Some("worker"));
    assert_eq!(
        value_of(&worker, "OTEL_RESOURCE_ATTRIBUTES"),
        Some("k8s.namespace.name=shop,deployment.environment.name=staging")
    );
    // A workload's own service name wins.
    let web = plain_env(&objects, "web");
    assert_eq!(value_of(&web, "OTEL_SERVICE_NAME"), Some("storefront"));
    assert_eq!(
        web.iter()
            .filter(|(name, _)| name == "OTEL_SERVICE_NAME")
            .count(),
        1
    );
    // Neither the collector nor the workloads that do not opt in.
    for untraced in ["collector", "reports"] {
        let vars = plain_env(&objects, untraced);
        assert!(
            !vars.iter().any(|(name, _)| name.starts_with("OTEL_")),
            "{untraced}: {vars:?}"
        );
    }
}

/// The ports `policy` opens towards (egress) or from (ingress) the pods of
/// `workload`.
fn ports_with(policy: &Value, direction: &str, workload: &str) -> Vec<u64> {
    let peers = if direction == "egress" { "to" } else { "from" };
    policy["spec"][direction]
        .as_array()
        .into_iter()
        .flatten()
        .filter(|rule| {
            rule[peers][0]["podSelector"]["matchLabels"]["app.kubernetes.io/name"] == workload
        })
        .flat_map(|rule| {
            rule["ports"]
                .as_array()
                .expect("ports")
                .iter()
                .map(|p| p["port"].as_u64().expect("port"))
                .collect::<Vec<_>>()
        })
        .collect()
}

#[test]
fn exactly_the_otlp_port_is_opened_both_ways() {
    let objects = objects::render(&fixture(), "prod");
    let collector = object(&objects, "NetworkPolicy", "collector");
    for sender in ["web", "worker"] {
        assert_eq!(
            ports_with(
                object(&objects, "NetworkPolicy", sender),
                "egress",
                "collector"
            ),
            vec![4317],
            "{sender}"
        );
        assert_eq!(
            ports_with(collector, "ingress", sender),
            vec![4317],
            "{sender}"
        );
    }
    assert!(ports_with(collector, "ingress", "reports").is_empty());
    assert!(
        ports_with(
            object(&objects, "NetworkPolicy", "reports"),
            "egress",
            "collector"
        )
        .is_empty()
    );
}

#[test]
fn an_external_collector_is_an_egress_on_its_port() {
    let platform = Platform::with(
        BASE,
        &[(
            "prod",
            "tracing:\n  otlp:\n    service: null\n    protocol: http\n    endpoint: https://otlp.example.com\n    cidrs: [203.0.113.0/24]\n",
        )],
    );
    let stream = platform.run(&["render", "prod"]).success().stdout;
    let objects = python::documents(&stream);
    let vars = plain_env(&objects, "web");
    assert_eq!(
        value_of(&vars, "OTEL_EXPORTER_OTLP_ENDPOINT"),
        Some("https://otlp.example.com")
    );
    assert_eq!(
        value_of(&vars, "OTEL_EXPORTER_OTLP_PROTOCOL"),
        Some("http/protobuf")
    );
    let egress = object(&objects, "NetworkPolicy", "web")["spec"]["egress"]
        .as_array()
        .expect("egress")
        .clone();
    let to_collector: Vec<&Value> = egress
        .iter()
        .filter(|rule| rule["to"][0]["ipBlock"]["cidr"] == "203.0.113.0/24")
        .collect();
    assert_eq!(to_collector.len(), 1, "{egress:?}");
    assert_eq!(to_collector[0]["ports"][0]["port"], 4318);
    assert!(
        !stream.contains("observability/"),
        "no flow to the in-platform collector"
    );
}

#[test]
fn tracing_off_in_an_environment_sets_nothing() {
    let platform = Platform::with(BASE, &[("prod", "tracing: { enabled: false }\n")]);
    let stream = platform.run(&["render", "prod"]).success().stdout;
    assert!(!stream.contains("OTEL_"), "{stream}");
    let objects = python::documents(&stream);
    assert!(
        ports_with(
            object(&objects, "NetworkPolicy", "collector"),
            "ingress",
            "web"
        )
        .is_empty()
    );
}

#[test]
fn the_example_traces_its_services_to_jaeger() {
    let objects = objects::render(&repository(), "prod");
    for service in ["webauthn-server", "health-api", "etl-engine", "ai-query"] {
        let vars = plain_env(&objects, service);
        assert_eq!(
            value_of(&vars, "OTEL_EXPORTER_OTLP_ENDPOINT"),
            Some("http://jaeger.health-platform-observability.svc:4317"),
            "{service}"
        );
        assert_eq!(value_of(&vars, "OTEL_SERVICE_NAME"), Some(service));
        assert_eq!(
            ports_with(
                object(&objects, "NetworkPolicy", service),
                "egress",
                "jaeger"
            ),
            vec![4317],
            "{service}: only the OTLP port, not the UI"
        );
    }
    let gateway = plain_env(&objects, "envoy-gateway");
    assert_eq!(value_of(&gateway, "OTEL_EXPORTER_OTLP_ENDPOINT"), None);
}

const BASE: &str = "\
platform: { name: shop, kubernetesVersion: \"1.33\" }
namespaces: { shop: {}, observability: {} }
tracing:
  otlp: { service: collector }
workloads:
  web:
    namespace: shop
    image: ghcr.io/acme/web:1.2.3
    replicas: 2
    ports: { http: { port: 8080 } }
    resources:
      requests: { cpu: 100m, memory: 128Mi }
      limits: { cpu: 500m, memory: 256Mi }
    tracing: true
  collector:
    namespace: observability
    image: otel/opentelemetry-collector-contrib:0.115.1
    replicas: 2
    ports:
      otlp-grpc: { port: 4317 }
      otlp-http: { port: 4318 }
    resources:
      requests: { cpu: 100m, memory: 128Mi }
      limits: { cpu: 500m, memory: 256Mi }
";

#[test]
fn mistakes_are_reported_where_they_were_made() {
    let cases = [
        ("tracing_without_collector", "tracing: null\n"),
        (
            "tracing_unknown_collector",
            "tracing:\n  otlp: { service: colector }\n",
        ),
        (
            "tracing_collector_port",
            "tracing:\n  otlp: { port: otlp }\n",
        ),
        (
            "tracing_endpoint_set_by_hand",
            "workloads:\n  web:\n    env: { OTEL_EXPORTER_OTLP_ENDPOINT: \"http://elsewhere:4317\" }\n",
        ),
        (
            "tracing_service_and_endpoint",
            "tracing:\n  otlp: { endpoint: \"https://otlp.example.com:4317\" }\n",
        ),
        (
            "tracing_bad_endpoint",
            "tracing:\n  otlp: { service: null, endpoint: \"otlp.example.com:4317\" }\n",
        ),
        (
            "tracing_bad_cidr",
            "tracing:\n  otlp: { service: null, endpoint: \"https://otlp.example.com\", cidrs: [203.0.113.7/24] }\n",
        ),
    ];
    for (name, overlay) in cases {
        let report = rejection::rejected(&Platform::with(BASE, &[("prod", overlay)]), "prod");
        snapshot_settings().bind(|| insta::assert_snapshot!(name, report));
    }
}

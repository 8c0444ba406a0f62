//! Queue-driven autoscaling with KEDA (`autoscaling.events`,
//! `tests/fixtures/operations`): a `ScaledObject` instead of a
//! HorizontalPodAutoscaler, a `TriggerAuthentication` reading the broker's
//! operator-made credentials, KEDA's operator admitted to the broker's
//! management port, disruption budgets from `min`, and the mistakes caught
//! at their spec line.

use serde_json::{Value, json};

use crate::support::cli::{Platform, repository};
use crate::support::objects::{self, has, object};
use crate::support::{external, python, rejection, snapshot_settings};

fn fixture() -> std::path::PathBuf {
    repository().join("tests/fixtures/operations")
}

fn render(environment: &str) -> Vec<Value> {
    objects::render(&fixture(), environment)
}

/// The sources a NetworkPolicy admits on `port`, as
/// `namespace/label=value` of their first selector label.
fn sources_on(policy: &Value, port: u64) -> Vec<String> {
    policy["spec"]["ingress"]
        .as_array()
        .expect("ingress")
        .iter()
        .filter(|rule| {
            rule["ports"]
                .as_array()
                .is_some_and(|ports| ports.iter().any(|p| p["port"] == port))
        })
        .map(|rule| {
            let from = &rule["from"][0];
            let namespace = from["namespaceSelector"]["matchLabels"]["kubernetes.io/metadata.name"]
                .as_str()
                .unwrap_or("");
            let labels = from["podSelector"]["matchLabels"]
                .as_object()
                .map(|labels| {
                    labels
                        .iter()
                        .map(|(k, v)| format!("{k}={}", v.as_str().unwrap_or("")))
                        .collect::<Vec<_>>()
                        .join(",")
                })
                .unwrap_or_default();
            format!("{namespace}/{labels}")
        })
        .collect()
}

#[test]
fn a_queue_worker_gets_a_scaled_object_and_no_hpa() {
    let objects = render("prod");
    assert!(!has(&objects, "HorizontalPodAutoscaler", "worker"));
    let scaled = object(&objects, "ScaledObject", "worker");
    assert_eq!(scaled["apiVersion"], "keda.sh/v1alpha1");
    assert_eq!(scaled["metadata"]["namespace"], "shop");
    let spec = &scaled["spec"];
    assert_eq!(
        spec["scaleTargetRef"],
        json!({ "apiVersion": "apps/v1", "kind": "Deployment", "name": "worker" })
    );
    assert_eq!(spec["minReplicaCount"], 2);
    assert_eq!(spec["maxReplicaCount"], 6);
    assert_eq!(
        spec["advanced"]["horizontalPodAutoscalerConfig"],
        json!({
            "name": "worker",
            "behavior": { "scaleDown": { "stabilizationWindowSeconds": 120 } },
        })
    );
    assert_eq!(
        spec["triggers"][0],
        json!({
            "type": "rabbitmq",
            "metadata": {
                "protocol": "http",
                "host": "http://events.data.svc:15672/",
                "vhostName": "/",
                "queueName": "orders",
                "mode": "QueueLength",
                "value": "20",
            },
            "authenticationRef": { "name": "worker-rabbitmq" },
        })
    );
    assert_eq!(
        spec["triggers"][1],
        json!({
            "type": "cron",
            "metadata": {
                "timezone": "Europe/Paris",
                "start": "0 8 * * 1-5",
                "end": "0 20 * * 1-5",
                "desiredReplicas": "4",
            },
        })
    );
    // KEDA owns the replica count: the Deployment leaves it to the autoscaler.
    let deployment = object(&objects, "Deployment", "worker");
    assert_eq!(deployment["spec"].get("replicas"), None, "{deployment}");
}

#[test]
fn the_trigger_reads_the_credentials_the_operator_generates() {
    let objects = render("prod");
    let auth = object(&objects, "TriggerAuthentication", "worker-rabbitmq");
    assert_eq!(auth["metadata"]["namespace"], "shop");
    assert_eq!(
        auth["spec"]["secretTargetRef"],
        json!([
            { "parameter": "username", "name": "events-default-user", "key": "username" },
            { "parameter": "password", "name": "events-default-user", "key": "password" },
        ])
    );
    // The broker runs in `data`: its Secret is copied into `shop`, where
    // KEDA reads it.
    let copy = object(&objects, "ExternalSecret", "events-default-user");
    assert_eq!(copy["metadata"]["namespace"], "shop");
}

#[test]
fn keda_reaches_the_broker_management_port_and_nothing_else() {
    let objects = render("prod");
    let broker = object(&objects, "NetworkPolicy", "events");
    assert_eq!(
        sources_on(broker, 15672),
        vec!["rabbitmq-system/", "keda-system/app=keda-operator"]
    );
    let everything = broker["spec"]["ingress"].to_string();
    assert_eq!(everything.matches("keda-system").count(), 1, "{everything}");
    // Without a queue trigger, KEDA is admitted nowhere.
    let platform = Platform::with(
        BASE,
        &[(
            "prod",
            "workloads:\n  worker: { autoscaling: { enabled: false } }\n",
        )],
    );
    let stream = platform.run(&["render", "prod"]).success().stdout;
    assert!(!stream.contains("keda"), "{stream}");
}

#[test]
fn prometheus_triggers_and_budgets_follow_min() {
    let objects = render("prod");
    let spec = &object(&objects, "ScaledObject", "reports")["spec"];
    assert_eq!(
        spec["triggers"],
        json!([{
            "type": "prometheus",
            "metadata": {
                "serverAddress": "http://prometheus-operated.monitoring.svc:9090",
                "query": "sum(rate(http_requests_total{service=\"reports\"}[2m]))",
                "threshold": "50",
            },
        }])
    );
    assert!(!has(&objects, "TriggerAuthentication", "reports-rabbitmq"));
    // Two replicas at least: a budget lets one go at a time.
    assert_eq!(
        object(&objects, "PodDisruptionBudget", "worker")["spec"]["maxUnavailable"],
        1
    );
}

#[test]
fn the_example_etl_engine_scales_one_to_three_on_its_upload_queue() {
    let objects = objects::render(&repository(), "prod");
    assert!(!has(&objects, "HorizontalPodAutoscaler", "etl-engine"));
    let spec = &object(&objects, "ScaledObject", "etl-engine")["spec"];
    assert_eq!(spec["minReplicaCount"], 1);
    assert_eq!(spec["maxReplicaCount"], 3);
    assert_eq!(spec["triggers"][0]["metadata"]["queueName"], "uploads");
    assert_eq!(
        spec["triggers"][0]["metadata"]["host"],
        "http://rabbitmq.health-platform-data.svc:15672/"
    );
    let auth = object(&objects, "TriggerAuthentication", "etl-engine-rabbitmq");
    assert_eq!(
        auth["spec"]["secretTargetRef"][0]["name"],
        "rabbitmq-default-user"
    );
    let broker = object(&objects, "NetworkPolicy", "rabbitmq");
    assert!(
        sources_on(broker, 15672).contains(&"keda/app=keda-operator".to_owned()),
        "{broker}"
    );
    // One replica and no budget: a budget on one pod would block drains.
    assert!(!has(&objects, "PodDisruptionBudget", "etl-engine"));
    // Development runs one replica without KEDA.
    let dev = objects::render(&repository(), "dev");
    assert!(!dev.iter().any(|o| o["kind"] == "ScaledObject"));
}

#[test]
fn every_environment_is_strictly_valid() {
    external::assert_valid_and_clean(&fixture());
}

const BASE: &str = "\
platform: { name: shop, kubernetesVersion: \"1.33\" }
namespaces: { shop: {}, data: {} }
workloads:
  worker:
    namespace: shop
    image: ghcr.io/acme/worker:1.0.0
    ports: { http: { port: 8080 } }
    resources:
      requests: { cpu: 100m, memory: 128Mi }
      limits: { cpu: 500m, memory: 256Mi }
    autoscaling:
      min: 2
      max: 6
      events:
        rabbitmq: { service: events, queue: orders, messagesPerReplica: 20 }
    connections:
      events: { env: { AMQP_HOST: host } }
rabbitmq:
  events:
    namespace: data
    storage: { size: 10Gi }
    resources:
      requests: { cpu: 500m, memory: 1Gi }
      limits: { cpu: \"1\", memory: 1Gi }
";

#[test]
fn mistakes_are_reported_where_they_were_made() {
    let cases = [
        (
            "keda_and_cpu",
            "workloads:\n  worker:\n    autoscaling: { cpu: 70 }\n",
        ),
        (
            "keda_without_connection",
            "workloads:\n  worker:\n    connections: null\n",
        ),
        (
            "keda_unknown_broker",
            "workloads:\n  worker:\n    autoscaling:\n      events:\n        rabbitmq: { service: evnts }\n",
        ),
        (
            "keda_no_trigger",
            "workloads:\n  worker:\n    autoscaling:\n      events: { rabbitmq: null }\n",
        ),
        (
            "keda_bad_cron_window",
            "workloads:\n  worker:\n    autoscaling:\n      events:\n        cron:\n          - { timezone: Europe/Paris, start: \"0 8 * * 1-5\", end: \"0 20 * * 1-8\", replicas: 8 }\n",
        ),
        (
            "keda_zero_messages_per_replica",
            "workloads:\n  worker:\n    autoscaling:\n      events:\n        rabbitmq: { messagesPerReplica: 0 }\n",
        ),
        (
            "keda_in_a_platform_namespace",
            "keda: { namespace: data }\n",
        ),
    ];
    for (name, overlay) in cases {
        let report = rejection::rejected(&Platform::with(BASE, &[("prod", overlay)]), "prod");
        snapshot_settings().bind(|| insta::assert_snapshot!(name, report));
    }
}

#[test]
fn the_base_renders() {
    let platform = Platform::with(BASE, &[("prod", "{}\n")]);
    let stream = platform.run(&["render", "prod"]).success().stdout;
    let objects = python::documents(&stream);
    assert!(has(&objects, "ScaledObject", "worker"));
}

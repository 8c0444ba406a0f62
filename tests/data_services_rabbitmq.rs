//! RabbitMQ through the RabbitMQ Cluster Operator
//! (`tests/fixtures/data-services-rabbitmq`): a `RabbitmqCluster` per broker,
//! sized per environment, with quorum queues by default and pods that pass
//! the `restricted` Pod Security level; workloads wired by `connections`
//! with the operator's default-user credentials; network policies for the
//! broker's pods; and the mistakes `check` catches.

use serde_json::{Value, json};

use crate::support::cli::{Platform, repository, run};
use crate::support::objects::{self, env, object};
use crate::support::{external, python, rejection, snapshot_settings};

fn fixture() -> std::path::PathBuf {
    repository().join("tests/fixtures/data-services-rabbitmq")
}

fn render(environment: &str) -> Vec<Value> {
    objects::render(&fixture(), environment)
}

/// The sources a NetworkPolicy admits, as `namespace/app.kubernetes.io/name`
/// (the name empty for a whole namespace), with their ports.
fn ingress_sources(policy: &Value) -> Vec<(String, Vec<u64>)> {
    policy["spec"]["ingress"]
        .as_array()
        .expect("ingress")
        .iter()
        .map(|rule| {
            let from = &rule["from"][0];
            let namespace = from["namespaceSelector"]["matchLabels"]["kubernetes.io/metadata.name"]
                .as_str()
                .unwrap_or("");
            let name = from["podSelector"]["matchLabels"]["app.kubernetes.io/name"]
                .as_str()
                .unwrap_or("");
            let ports = rule["ports"]
                .as_array()
                .expect("ports")
                .iter()
                .map(|p| p["port"].as_u64().expect("port"))
                .collect();
            (format!("{namespace}/{name}"), ports)
        })
        .collect()
}

#[test]
fn staging_runs_three_nodes_with_quorum_queues_on_the_critical_pool() {
    let objects = render("staging");
    let cluster = &object(&objects, "RabbitmqCluster", "events")["spec"];
    assert_eq!(cluster["replicas"], 3);
    assert_eq!(cluster["image"], "rabbitmq:4.3.4-management");
    assert_eq!(
        cluster["rabbitmq"]["additionalConfig"],
        "default_queue_type = quorum\n"
    );
    assert_eq!(
        cluster["persistence"],
        json!({ "storage": "20Gi", "storageClassName": "fast-ssd" })
    );
    assert_eq!(cluster["resources"]["requests"]["memory"], "1Gi");
    assert_eq!(
        cluster["affinity"]["podAntiAffinity"]["requiredDuringSchedulingIgnoredDuringExecution"][0],
        json!({
            "labelSelector": { "matchLabels": { "app.kubernetes.io/name": "events" } },
            "topologyKey": "kubernetes.io/hostname",
        })
    );
    assert_eq!(cluster["tolerations"][0]["key"], "dedicated");
    let pod = &cluster["override"]["statefulSet"]["spec"]["template"]["spec"];
    assert_eq!(pod["nodeSelector"], json!({ "pool": "critical" }));
    assert_eq!(pod["priorityClassName"], "messaging");
    // Drains evict one node at a time: the majority stays up.
    let budget = &object(&objects, "PodDisruptionBudget", "events")["spec"];
    assert_eq!(budget["maxUnavailable"], 1);
    assert_eq!(
        budget["selector"],
        json!({ "matchLabels": { "app.kubernetes.io/name": "events" } })
    );
}

#[test]
fn production_runs_five_nodes_and_development_one() {
    let prod = render("prod");
    let cluster = &object(&prod, "RabbitmqCluster", "events")["spec"];
    assert_eq!(cluster["replicas"], 5);
    assert_eq!(cluster["persistence"]["storage"], "100Gi");

    let dev = render("dev");
    let cluster = &object(&dev, "RabbitmqCluster", "events")["spec"];
    assert_eq!(cluster["replicas"], 1);
    // The same queue semantics as production, on one node.
    assert_eq!(
        cluster["rabbitmq"]["additionalConfig"],
        "default_queue_type = quorum\n"
    );
    assert!(
        cluster["affinity"]["podAntiAffinity"]["preferredDuringSchedulingIgnoredDuringExecution"]
            .is_array(),
        "{cluster}"
    );
    assert!(cluster.get("tolerations").is_none(), "{cluster}");
    let pod = &cluster["override"]["statefulSet"]["spec"]["template"]["spec"];
    assert!(pod.get("nodeSelector").is_none(), "{pod}");
    assert!(
        !dev.iter()
            .any(|o| o["kind"] == "PodDisruptionBudget" && o["metadata"]["name"] == "events"),
        "one node needs no disruption budget"
    );
}

#[test]
fn broker_pods_meet_the_restricted_pod_security_level() {
    let objects = render("prod");
    let pod = &object(&objects, "RabbitmqCluster", "events")["spec"]["override"]["statefulSet"]["spec"]
        ["template"]["spec"];
    assert_eq!(
        pod["securityContext"],
        json!({ "runAsNonRoot": true, "seccompProfile": { "type": "RuntimeDefault" } })
    );
    let restricted = json!({
        "allowPrivilegeEscalation": false,
        "capabilities": { "drop": ["ALL"] },
        "runAsNonRoot": true,
        "seccompProfile": { "type": "RuntimeDefault" },
    });
    assert_eq!(pod["containers"][0]["name"], "rabbitmq");
    assert_eq!(pod["containers"][0]["securityContext"], restricted);
    assert_eq!(pod["initContainers"][0]["name"], "setup-container");
    assert_eq!(pod["initContainers"][0]["securityContext"], restricted);
}

#[test]
fn connections_carry_the_operators_default_user() {
    let objects = render("prod");
    let orders = env(&objects, "orders");
    let names: Vec<&str> = orders
        .iter()
        .map(|v| v["name"].as_str().unwrap_or(""))
        .collect();
    assert_eq!(
        names,
        [
            "AMQP_HOST",
            "AMQP_PORT",
            "AMQP_USER",
            "AMQP_PASSWORD",
            "AMQP_URL"
        ],
        "credentials come before the URI that refers to them"
    );
    assert_eq!(orders[0]["value"], "events.messaging.svc");
    assert_eq!(orders[1]["value"], "5672");
    assert_eq!(
        orders[2]["valueFrom"]["secretKeyRef"],
        json!({ "name": "events-default-user", "key": "username", "optional": false })
    );
    assert_eq!(
        orders[3]["valueFrom"]["secretKeyRef"],
        json!({ "name": "events-default-user", "key": "password", "optional": false })
    );
    assert_eq!(
        orders[4]["value"],
        "amqp://$(AMQP_USER):$(AMQP_PASSWORD)@events.messaging.svc:5672/%2f"
    );
    let mailer = env(&objects, "mailer");
    assert_eq!(mailer.len(), 3);
    let stream = run(&fixture(), &["render", "prod"]).success().stdout;
    assert!(!stream.to_lowercase().contains("password: "), "{stream}");
}

#[test]
fn broker_pods_get_exactly_the_flows_they_need() {
    let objects = render("prod");
    let policy = object(&objects, "NetworkPolicy", "events");
    assert_eq!(
        policy["spec"]["podSelector"],
        json!({ "matchLabels": { "app.kubernetes.io/name": "events" } })
    );
    assert_eq!(
        ingress_sources(policy),
        [
            ("shop/orders".to_owned(), vec![5672]),
            ("shop/mailer".to_owned(), vec![5672]),
            ("rabbitmq-system/".to_owned(), vec![15672]),
            ("monitoring/prometheus".to_owned(), vec![15692]),
            ("messaging/events".to_owned(), vec![4369, 25672]),
        ]
    );
    // RabbitMQ 4.1 and later never call the Kubernetes API.
    let egress = policy["spec"]["egress"].to_string();
    assert!(!egress.contains("10.0.0.1/32"), "{egress}");
    // The clients reach AMQP, nothing else.
    let orders = object(&objects, "NetworkPolicy", "orders")["spec"]["egress"][0].clone();
    assert_eq!(
        orders["ports"],
        json!([{ "port": 5672, "protocol": "TCP" }])
    );
}

#[test]
fn a_single_node_has_no_peers_and_older_nodes_call_the_api() {
    let dev = render("dev");
    let sources: Vec<String> = ingress_sources(object(&dev, "NetworkPolicy", "events"))
        .into_iter()
        .map(|(source, _)| source)
        .collect();
    assert!(
        !sources.contains(&"messaging/events".to_owned()),
        "{sources:?}"
    );

    // 3.13's peer discovery lists the cluster's endpoints through the API.
    let legacy = render("legacy");
    let cluster = &object(&legacy, "RabbitmqCluster", "events")["spec"];
    assert_eq!(cluster["image"], "rabbitmq:3.13.7-management");
    let egress = object(&legacy, "NetworkPolicy", "events")["spec"]["egress"].to_string();
    assert!(egress.contains("10.0.0.1/32"), "{egress}");
}

#[test]
fn every_environment_is_strictly_valid() {
    external::assert_valid_and_clean(&fixture());
}

const BASE: &str = "\
platform: { name: shop, kubernetesVersion: \"1.33\" }
namespaces: { shop: {}, messaging: {} }
workloads:
  web:
    namespace: shop
    image: ghcr.io/acme/web:1.2.3
    replicas: 2
    ports: { http: { port: 8080 } }
    resources:
      requests: { cpu: 100m, memory: 128Mi }
      limits: { cpu: 500m, memory: 256Mi }
    connections:
      queue: { env: { AMQP_HOST: host } }
rabbitmq:
  queue:
    namespace: messaging
    storage: { size: 10Gi }
    resources:
      requests: { cpu: 500m, memory: 1Gi }
      limits: { cpu: \"1\", memory: 1Gi }
policy:
  waivers:
    - { rule: image-without-digest, reason: pinned at admission }
";

#[test]
fn mistakes_are_reported_where_they_were_made() {
    let cases = [
        ("two_nodes", "rabbitmq:\n  queue: { replicas: 2 }\n"),
        ("four_nodes", "rabbitmq:\n  queue: { replicas: 4 }\n"),
        ("zero_nodes", "rabbitmq:\n  queue: { replicas: 0 }\n"),
        (
            "version_before_3_13",
            "rabbitmq:\n  queue: { version: \"3.12.14\" }\n",
        ),
        (
            "version_not_a_version",
            "rabbitmq:\n  queue: { version: 4.3-management }\n",
        ),
        (
            "broker_unknown_namespace_and_pool",
            "rabbitmq:\n  queue: { namespace: mesaging, scheduling: { nodePool: critical } }\n",
        ),
        (
            "broker_named_like_a_workload",
            "rabbitmq:\n  web:\n    namespace: messaging\n    storage: { size: 1Gi }\n    resources:\n      requests: { cpu: 100m, memory: 256Mi }\n      limits: { cpu: 100m, memory: 256Mi }\n",
        ),
        (
            "rabbitmq_uri_without_credentials",
            "workloads:\n  web:\n    connections:\n      queue: { env: { AMQP_URL: uri } }\n",
        ),
        (
            "rabbitmq_has_no_read_only_access",
            "workloads:\n  web:\n    connections:\n      queue: { access: readOnly }\n",
        ),
        (
            "uses_a_disabled_broker",
            "rabbitmq:\n  queue: { enabled: false }\nworkloads:\n  web:\n    connections: null\n    uses: [queue]\n",
        ),
    ];
    for (name, overlay) in cases {
        let report = rejection::rejected(&Platform::with(BASE, &[("prod", overlay)]), "prod");
        snapshot_settings().bind(|| insta::assert_snapshot!(name, report));
    }
}

#[test]
fn classic_queues_on_a_cluster_are_a_warning() {
    let platform = Platform::with(
        BASE,
        &[(
            "prod",
            "rabbitmq:\n  queue: { defaultQueueType: classic }\n",
        )],
    );
    let check = platform.run(&["check", "prod"]);
    assert_eq!(check.code, 0, "{}", check.report(platform.path()));
    snapshot_settings().bind(|| {
        insta::assert_snapshot!("classic_queues_on_a_cluster", check.report(platform.path()));
    });
    let objects = python::documents(&platform.run(&["render", "prod"]).stdout);
    let cluster = &object(&objects, "RabbitmqCluster", "queue")["spec"];
    assert_eq!(
        cluster["rabbitmq"]["additionalConfig"],
        "default_queue_type = classic\n"
    );
}

//! Reachability: the NetworkPolicies of a render, evaluated by an independent
//! evaluator (`evaluator.rs`) over every source, destination and port, allow
//! exactly the declared flows: the `uses` edges on the used workload's ports,
//! cluster DNS, the ingress controller to exposed ports, monitoring to metrics
//! ports, replicated StatefulSets to their peers, the API server and declared
//! external destinations. No more, no fewer.
//!
//! The expected flows are written out here (the example's from seed 003 §4.2,
//! the seed examples' from seeds 000 and 004)
//! or read from the rendered workloads' container ports, never from
//! platformgen's flow graph, so the test cannot agree with a wrong graph.

mod evaluator;
mod seed_examples;

use std::collections::{BTreeMap, BTreeSet};

use serde_json::Value;

use self::evaluator::{Cluster, Endpoint};
use crate::support::cli::{Platform, repository, run};
use crate::support::python;

/// `(from, to, port, protocol)`.
type Flow = (String, String, u16, String);

fn flow(from: &str, to: &str, port: u16, protocol: &str) -> Flow {
    (from.to_owned(), to.to_owned(), port, protocol.to_owned())
}

/// Everything that sends or receives traffic, with the ports probed on it.
struct World {
    endpoints: Vec<(Endpoint, Vec<(u16, String)>)>,
    /// Names of the endpoints whose traffic the platform governs: its
    /// workloads' pods and any other pod in its namespaces.
    governed: BTreeSet<String>,
}

impl World {
    /// The workloads' pods of a render, one endpoint per workload (its
    /// replicas are alike), with their container ports: Deployments',
    /// Argo Rollouts', StatefulSets', Jobs' and CronJobs', each named by its
    /// pods' `app.kubernetes.io/name` (a Job's object name carries a hash).
    /// A Rollout's pods also carry the pod template hash Argo Rollouts
    /// labels each version with.
    fn from_render(objects: &[Value]) -> World {
        let mut world = World {
            endpoints: Vec::new(),
            governed: BTreeSet::new(),
        };
        let workloads = objects.iter().filter_map(|o| match o["kind"].as_str() {
            Some("Deployment" | "StatefulSet" | "Job" | "Rollout") => {
                Some((o, &o["spec"]["template"]))
            }
            Some("CronJob") => Some((o, &o["spec"]["jobTemplate"]["spec"]["template"])),
            _ => None,
        });
        for (index, (object, template)) in workloads.enumerate() {
            let name = template["metadata"]["labels"]["app.kubernetes.io/name"]
                .as_str()
                .expect("name");
            let namespace = object["metadata"]["namespace"].as_str().expect("namespace");
            let labels: Vec<(String, String)> = template["metadata"]["labels"]
                .as_object()
                .expect("pod labels")
                .iter()
                .map(|(k, v)| (k.clone(), v.as_str().expect("label").to_owned()))
                .collect();
            let mut labels: Vec<(&str, &str)> = labels
                .iter()
                .map(|(k, v)| (k.as_str(), v.as_str()))
                .collect();
            if object["kind"] == "Rollout" {
                labels.push((ROLLOUT_HASH_LABEL, ROLLOUT_HASH));
            }
            let mut endpoint =
                Endpoint::pod(name, namespace, &labels, &format!("10.244.0.{}", index + 1));
            let mut ports = Vec::new();
            for container in template["spec"]["containers"]
                .as_array()
                .expect("containers")
            {
                for port in container["ports"].as_array().into_iter().flatten() {
                    let number = u16::try_from(port["containerPort"].as_u64().expect("port"))
                        .expect("port fits");
                    let protocol = port["protocol"].as_str().unwrap_or("TCP").to_owned();
                    endpoint.named_ports.insert(
                        port["name"].as_str().expect("port name").to_owned(),
                        (number, protocol.clone()),
                    );
                    ports.push((number, protocol));
                }
            }
            world.governed.insert(name.to_owned());
            world.add(endpoint, &ports);
        }
        world
    }

    /// Adds an endpoint, probed on `ports` plus a port nobody declares.
    fn add(&mut self, endpoint: Endpoint, ports: &[(u16, String)]) {
        let mut probed = ports.to_vec();
        for extra in [(1, "TCP"), (53, "UDP")] {
            let extra = (extra.0, extra.1.to_owned());
            if !probed.contains(&extra) {
                probed.push(extra);
            }
        }
        self.endpoints.push((endpoint, probed));
    }

    fn pod(&mut self, name: &str, namespace: &str, labels: &[(&str, &str)], ports: &[(u16, &str)]) {
        let ip = format!("10.244.1.{}", self.endpoints.len() + 1);
        let ports: Vec<(u16, String)> = ports.iter().map(|(p, t)| (*p, (*t).to_owned())).collect();
        self.add(Endpoint::pod(name, namespace, labels, &ip), &ports);
    }

    fn address(&mut self, name: &str, ip: &str) {
        let ports =
            [(80, "TCP"), (443, "TCP"), (6443, "TCP"), (25, "TCP")].map(|(p, t)| (p, t.to_owned()));
        self.add(Endpoint::address(name, ip), &ports);
    }

    /// An address outside the cluster, probed on `ports` (TCP).
    fn address_on(&mut self, name: &str, ip: &str, ports: &[u16]) {
        let ports: Vec<(u16, String)> = ports.iter().map(|p| (*p, "TCP".to_owned())).collect();
        self.add(Endpoint::address(name, ip), &ports);
    }

    /// Every allowed flow that starts or ends at a governed endpoint.
    fn allowed(&self, cluster: &Cluster) -> BTreeSet<Flow> {
        let mut allowed = BTreeSet::new();
        for (from, _) in &self.endpoints {
            for (to, ports) in &self.endpoints {
                if !self.governed.contains(&from.name) && !self.governed.contains(&to.name) {
                    continue; // traffic between outsiders is not the platform's to rule
                }
                for (port, protocol) in ports {
                    if cluster.allows(from, to, *port, protocol) {
                        allowed.insert(flow(&from.name, &to.name, *port, protocol));
                    }
                }
            }
        }
        allowed
    }

    /// The probed TCP and UDP ports of the endpoint `name`.
    fn declared_ports(&self, name: &str) -> Vec<(u16, String)> {
        let (endpoint, _) = self
            .endpoints
            .iter()
            .find(|(e, _)| e.name == name)
            .unwrap_or_else(|| panic!("no endpoint `{name}`"));
        endpoint.named_ports.values().cloned().collect()
    }

    /// Endpoints outside the platform's namespaces, which nothing restricts.
    fn outsiders(&self) -> Vec<String> {
        self.endpoints
            .iter()
            .filter(|(e, _)| !self.governed.contains(&e.name))
            .map(|(e, _)| e.name.clone())
            .collect()
    }
}

/// The label Argo Rollouts adds to a Rollout's pods, and to the selectors
/// of the Services it points at one version.
const ROLLOUT_HASH_LABEL: &str = "rollouts-pod-template-hash";
const ROLLOUT_HASH: &str = "7c9d5f8b4";

#[track_caller]
fn assert_same(context: &str, allowed: &BTreeSet<Flow>, expected: &BTreeSet<Flow>) {
    let extra: Vec<_> = allowed.difference(expected).collect();
    let missing: Vec<_> = expected.difference(allowed).collect();
    assert!(
        extra.is_empty() && missing.is_empty(),
        "{context}: the policies allow flows nobody declared: {extra:#?}\n\
         and deny declared flows: {missing:#?}"
    );
}

fn render(dir: &std::path::Path, environment: &str) -> Vec<Value> {
    python::documents(&run(dir, &["render", environment]).success().stdout)
}

/// Replicas of each StatefulSet (its HPA's maximum when autoscaled).
fn stateful_set_replicas(objects: &[Value]) -> BTreeMap<String, u64> {
    objects
        .iter()
        .filter(|o| o["kind"] == "StatefulSet")
        .map(|o| {
            let name = o["metadata"]["name"].as_str().expect("name").to_owned();
            let replicas = o["spec"]["replicas"].as_u64().unwrap_or_else(|| {
                objects
                    .iter()
                    .find(|h| {
                        h["kind"] == "HorizontalPodAutoscaler"
                            && h["metadata"]["name"] == name.as_str()
                    })
                    .and_then(|h| h["spec"]["maxReplicas"].as_u64())
                    .unwrap_or(1)
            });
            (name, replicas)
        })
        .collect()
}

/// The example's dependencies: the gateway in front of the WebAuthn server.
const EXAMPLE_USES: &[(&str, &[&str])] = &[("envoy-gateway", &["webauthn-server"])];

/// The example's traced services (seed 003 §4.2: every service to Jaeger),
/// each reaching Jaeger's OTLP/gRPC port and nothing else of it.
const EXAMPLE_TRACED: &[&str] = &["webauthn-server", "health-api", "etl-engine", "ai-query"];

/// The example's PostgreSQL connections, to the pods of the access point
/// each chose: the primary and replicas of a CloudNativePG cluster, or its
/// PgBouncer pooler; all on 5432.
const EXAMPLE_CONNECTIONS: &[(&str, &str)] = &[
    ("webauthn-server", "webauthn-postgres"),
    ("health-api", "postgres-pooler-rw"),
    ("etl-engine", "postgres"),
    ("ai-query", "postgres"),
    // The migration Job, to the primary (not through the pooler).
    ("health-api-migrate", "postgres"),
];

/// The example's MinIO connections: the tenant's servers, on the S3 port
/// 9000 they listen on (the `minio` Service's 80 forwards there).
const EXAMPLE_S3_CONNECTIONS: &[&str] = &["health-api", "etl-engine", "ai-query"];

/// The example's RabbitMQ connections, to the broker's nodes on AMQP (5672).
const EXAMPLE_RABBITMQ_CONNECTIONS: &[(&str, &str)] =
    &[("health-api", "rabbitmq"), ("etl-engine", "rabbitmq")];

/// `(name, namespace, pod label, ports)` of one group of operator-run pods.
type OperatorPods = (
    &'static str,
    &'static str,
    (&'static str, &'static str),
    &'static [u16],
);

/// The pods the operators run for the example, with their labels and the
/// ports they listen on: CloudNativePG's (5432 PostgreSQL or PgBouncer, 8000
/// the instance manager's status, 9187 its metrics) and the MinIO Operator's
/// tenant servers (9000: S3, peers, metrics and the operator alike).
const EXAMPLE_OPERATOR_PODS: &[OperatorPods] = &[
    (
        "minio",
        "health-platform-data",
        ("v1.min.io/tenant", "minio"),
        &[9000],
    ),
    // The RabbitMQ Cluster Operator's nodes: AMQP, the management API, the
    // Prometheus endpoint, epmd and the Erlang distribution port.
    (
        "rabbitmq",
        "health-platform-data",
        ("app.kubernetes.io/name", "rabbitmq"),
        &[5672, 15672, 15692, 4369, 25672],
    ),
    (
        "webauthn-postgres",
        "health-platform-auth",
        ("cnpg.io/cluster", "webauthn-postgres"),
        &[5432, 8000, 9187],
    ),
    (
        "postgres",
        "health-platform-data",
        ("cnpg.io/cluster", "postgres"),
        &[5432, 8000, 9187],
    ),
    (
        "postgres-pooler-rw",
        "health-platform-data",
        ("cnpg.io/poolerName", "postgres-pooler-rw"),
        &[5432],
    ),
];

/// The example's Redis connections, to the servers (the primary's Service
/// selects among them), on 6379.
const EXAMPLE_REDIS_CONNECTIONS: &[(&str, &str)] = &[
    ("webauthn-server", "webauthn-redis"),
    ("health-api", "redis"),
];

/// The example's Redis and namespaces: the redis-operator runs the servers
/// (labelled `app: <name>`, `redis_setup_type` and `role` the setup:
/// `standalone` in development, `replication` elsewhere) and, when
/// replicated, three sentinels (`app: <name>-sentinel`, `sentinel`).
const EXAMPLE_REDIS: &[(&str, &str)] = &[
    ("webauthn-redis", "health-platform-auth"),
    ("redis", "health-platform-data"),
];

/// Adds the pods of the Redis `(name, namespace)` present in the render;
/// returns the names of the replicated ones.
fn add_redis_pods(
    world: &mut World,
    objects: &[Value],
    redis: &[(&'static str, &str)],
) -> Vec<&'static str> {
    let mut replicated = Vec::new();
    for (name, namespace) in redis {
        let kind_of = |kind: &str| {
            objects
                .iter()
                .any(|o| o["kind"] == kind && o["metadata"]["name"] == *name)
        };
        let setup = if kind_of("RedisReplication") {
            "replication"
        } else if kind_of("Redis") {
            "standalone"
        } else {
            continue;
        };
        world.pod(
            name,
            namespace,
            &[("app", name), ("redis_setup_type", setup), ("role", setup)],
            &[(6379, "TCP")],
        );
        world.governed.insert((*name).to_owned());
        if kind_of("RedisSentinel") {
            let sentinel = format!("{name}-sentinel");
            world.pod(
                &sentinel,
                namespace,
                &[
                    ("app", &sentinel),
                    ("redis_setup_type", "sentinel"),
                    ("role", "sentinel"),
                ],
                &[(26379, "TCP")],
            );
            world.governed.insert(sentinel);
            replicated.push(*name);
        }
    }
    replicated
}

fn example_world(objects: &[Value]) -> World {
    let mut world = World::from_render(objects);
    world.pod(
        "ingress-controller",
        "ingress-nginx",
        &[("app.kubernetes.io/name", "ingress-nginx")],
        &[(80, "TCP"), (443, "TCP")],
    );
    world.pod(
        "prometheus",
        "monitoring",
        &[("app.kubernetes.io/name", "prometheus")],
        &[(9090, "TCP")],
    );
    world.pod(
        "grafana",
        "monitoring",
        &[("app.kubernetes.io/name", "grafana")],
        &[(3000, "TCP")],
    );
    world.pod(
        "kube-dns",
        "kube-system",
        &[("k8s-app", "kube-dns")],
        &[(53, "UDP"), (53, "TCP"), (9153, "TCP")],
    );
    world.pod(
        "stranger",
        "default",
        &[("app", "stranger")],
        &[(8080, "TCP")],
    );
    // A pod nobody declared, inside a platform namespace: the default deny
    // must leave it with no traffic at all.
    world.pod(
        "intruder",
        "health-platform-api",
        &[("app", "debug")],
        &[(8080, "TCP")],
    );
    world.governed.insert("intruder".to_owned());
    let present: BTreeSet<&str> = objects
        .iter()
        .filter(|o| {
            matches!(
                o["kind"].as_str(),
                Some("Cluster" | "Pooler" | "Tenant" | "RabbitmqCluster")
            )
        })
        .filter_map(|o| o["metadata"]["name"].as_str())
        .collect();
    for (name, namespace, label, ports) in EXAMPLE_OPERATOR_PODS {
        if present.contains(name) {
            let ports: Vec<(u16, &str)> = ports.iter().map(|&port| (port, "TCP")).collect();
            world.pod(name, namespace, &[*label], &ports);
            world.governed.insert((*name).to_owned());
        }
    }
    add_redis_pods(&mut world, objects, EXAMPLE_REDIS);
    world.pod(
        "redis-operator",
        "ot-operators",
        &[("app.kubernetes.io/name", "redis-operator")],
        &[(8080, "TCP")],
    );
    world.pod(
        "cnpg-operator",
        "cnpg-system",
        &[("app.kubernetes.io/name", "cloudnative-pg")],
        &[(9443, "TCP")],
    );
    world.pod(
        "minio-operator",
        "minio-operator",
        &[("app.kubernetes.io/name", "operator")],
        &[(4221, "TCP")],
    );
    world.pod(
        "rabbitmq-operator",
        "rabbitmq-system",
        &[("app.kubernetes.io/name", "rabbitmq-cluster-operator")],
        &[(9782, "TCP")],
    );
    world.pod(
        "keda-operator",
        "keda",
        &[("app", "keda-operator")],
        &[(6443, "TCP")],
    );
    world.address("api-server", "10.0.0.1");
    world.address("public-site", "203.0.113.10");
    world.address("public-site-v6", "2001:db8::10");
    world.address("cloud-metadata", "169.254.169.254");
    world.address("private-host", "10.200.0.1");
    world
}

fn example_expected(world: &World, objects: &[Value]) -> BTreeSet<Flow> {
    let mut expected = BTreeSet::new();
    let mut add_ports = |from: &str, to: &str, ports: &[(u16, String)]| {
        for (port, protocol) in ports {
            expected.insert(flow(from, to, *port, protocol));
        }
    };
    for (from, uses) in EXAMPLE_USES {
        for to in *uses {
            add_ports(from, to, &world.declared_ports(to));
        }
    }
    for traced in EXAMPLE_TRACED {
        add_ports(traced, "jaeger", &[(4317, "TCP".to_owned())]);
    }
    // Jaeger and its index cleaner reach the trace store, which nothing
    // else reaches; Prometheus scrapes Jaeger's metrics.
    add_ports("jaeger", "traces", &[(9200, "TCP".to_owned())]);
    add_ports(
        "jaeger-index-cleaner",
        "traces",
        &[(9200, "TCP".to_owned())],
    );
    add_ports("prometheus", "jaeger", &[(8888, "TCP".to_owned())]);
    // KEDA reads the upload queue's depth through the management API,
    // where the ETL engine scales on it (not in development).
    if objects.iter().any(|o| o["kind"] == "ScaledObject") {
        add_ports("keda-operator", "rabbitmq", &[(15672, "TCP".to_owned())]);
    }
    for (name, replicas) in stateful_set_replicas(objects) {
        if replicas >= 2 {
            add_ports(&name, &name, &world.declared_ports(&name));
        }
    }
    let tcp = |port: u16| vec![(port, "TCP".to_owned())];
    for (from, to) in EXAMPLE_CONNECTIONS {
        add_ports(from, to, &tcp(5432));
    }
    let with_pooler = world.governed.contains("postgres-pooler-rw");
    for cluster in ["webauthn-postgres", "postgres"] {
        // Replication and status between instances, the operator in, the
        // monitoring system to the metrics port, the API server and the
        // MinIO backups out.
        add_ports(
            cluster,
            cluster,
            &[(5432, "TCP".to_owned()), (8000, "TCP".to_owned())],
        );
        add_ports(
            "cnpg-operator",
            cluster,
            &[(8000, "TCP".to_owned()), (5432, "TCP".to_owned())],
        );
        add_ports("prometheus", cluster, &tcp(9187));
        add_ports(
            cluster,
            "api-server",
            &[(443, "TCP".to_owned()), (6443, "TCP".to_owned())],
        );
        if objects.iter().any(|o| {
            o["kind"] == "Cluster"
                && o["metadata"]["name"] == cluster
                && o["spec"]["backup"].is_object()
        }) {
            add_ports(cluster, "minio", &tcp(9000));
        }
    }
    for from in EXAMPLE_S3_CONNECTIONS {
        add_ports(from, "minio", &tcp(9000));
    }
    // The tenant: the operator in, the monitoring system to the metrics
    // endpoint, between servers when there are several, and the sidecar to
    // the API server.
    add_ports("minio-operator", "minio", &tcp(9000));
    add_ports("prometheus", "minio", &tcp(9000));
    add_ports(
        "minio",
        "api-server",
        &[(443, "TCP".to_owned()), (6443, "TCP".to_owned())],
    );
    let servers: u64 = objects
        .iter()
        .filter(|o| o["kind"] == "Tenant")
        .flat_map(|o| o["spec"]["pools"].as_array().cloned().unwrap_or_default())
        .filter_map(|pool| pool["servers"].as_u64())
        .sum();
    if servers >= 2 {
        add_ports("minio", "minio", &tcp(9000));
    }
    for (from, to) in EXAMPLE_RABBITMQ_CONNECTIONS {
        add_ports(from, to, &tcp(5672));
    }
    // The operator calls the management API; Prometheus scrapes the
    // Prometheus endpoint; nodes cluster over epmd and Erlang distribution
    // when there are several. RabbitMQ 4.1 and later never call the API
    // server.
    add_ports("rabbitmq-operator", "rabbitmq", &tcp(15672));
    add_ports("prometheus", "rabbitmq", &tcp(15692));
    let broker_nodes = objects
        .iter()
        .find(|o| o["kind"] == "RabbitmqCluster" && o["metadata"]["name"] == "rabbitmq")
        .and_then(|o| o["spec"]["replicas"].as_u64())
        .expect("the example's broker");
    if broker_nodes >= 2 {
        add_ports(
            "rabbitmq",
            "rabbitmq",
            &[(4369, "TCP".to_owned()), (25672, "TCP".to_owned())],
        );
    }
    // Redis: clients and the operator to the servers; when replicated, the
    // replicas to the primary, the operator and the sentinels to each other
    // and the sentinels to the servers. Nothing calls the API server.
    for (from, to) in EXAMPLE_REDIS_CONNECTIONS {
        add_ports(from, to, &tcp(6379));
    }
    for (name, _) in EXAMPLE_REDIS {
        add_ports("redis-operator", name, &tcp(6379));
        let sentinel = format!("{name}-sentinel");
        if world.governed.contains(&sentinel) {
            add_ports(name, name, &tcp(6379));
            add_ports("redis-operator", &sentinel, &tcp(26379));
            add_ports(&sentinel, &sentinel, &tcp(26379));
            add_ports(&sentinel, name, &tcp(6379));
        }
    }
    if with_pooler {
        add_ports("postgres-pooler-rw", "postgres", &tcp(5432));
        add_ports(
            "postgres-pooler-rw",
            "api-server",
            &[(443, "TCP".to_owned()), (6443, "TCP".to_owned())],
        );
    }
    add_ports("ingress-controller", "envoy-gateway", &tcp(8000));
    add_ports("ingress-controller", "health-api", &tcp(8001));
    for (workload, port) in [
        ("envoy-gateway", 9901),
        ("webauthn-server", 8080),
        ("health-api", 8001),
        ("etl-engine", 8002),
        ("ai-query", 8003),
    ] {
        add_ports("prometheus", workload, &tcp(port));
    }
    add_ports(
        "health-api",
        "api-server",
        &[(443, "TCP".to_owned()), (6443, "TCP".to_owned())],
    );
    add_ports("webauthn-server", "public-site", &tcp(443));
    add_ports("webauthn-server", "public-site-v6", &tcp(443));
    // Production's bucket replication: its Job reaches the tenant and the
    // off-site MinIO over HTTPS, nothing else.
    if world.governed.contains("minio-replication") {
        add_ports("minio-replication", "minio", &tcp(9000));
        add_ports("minio-replication", "public-site", &tcp(443));
        add_ports("minio-replication", "public-site-v6", &tcp(443));
    }
    for workload in world.governed.iter().filter(|w| *w != "intruder") {
        add_ports(
            workload,
            "kube-dns",
            &[(53, "UDP".to_owned()), (53, "TCP".to_owned())],
        );
    }
    expected
}

#[track_caller]
fn example_reachability(environment: &str) {
    let objects = render(&repository(), environment);
    let cluster = Cluster::new(
        &objects,
        &[
            "ingress-nginx",
            "monitoring",
            "kube-system",
            "default",
            "cnpg-system",
            "minio-operator",
            "rabbitmq-system",
            "ot-operators",
            "keda",
        ],
    );
    let world = example_world(&objects);
    let redis_groups = if environment == "dev" { 2 } else { 4 };
    let replication = usize::from(environment == "prod");
    assert_eq!(
        world.governed.len(),
        8 + 6 + redis_groups + 1 + replication,
        "8 workloads (the migration Job and the index cleaner included), the database, pooler, MinIO, RabbitMQ and Elasticsearch pods, the Redis servers (and sentinels), the intruder, and in production the bucket replication Job"
    );
    assert_same(
        environment,
        &world.allowed(&cluster),
        &example_expected(&world, &objects),
    );
}

#[test]
fn example_staging_allows_exactly_the_declared_flows() {
    example_reachability("staging");
}

#[test]
fn example_prod_allows_exactly_the_declared_flows() {
    example_reachability("prod");
}

#[test]
fn example_dev_is_as_closed_as_prod() {
    example_reachability("dev");
}

#[test]
fn example_has_a_default_deny_in_every_namespace_and_a_policy_per_workload() {
    let objects = render(&repository(), "prod");
    let cluster = Cluster::new(&objects, &[]);
    let names = cluster.policy_names();
    for namespace in [
        "health-platform-system",
        "health-platform-auth",
        "health-platform-api",
        "health-platform-data",
        "health-platform-observability",
    ] {
        assert!(
            names.contains(&format!("{namespace}/default-deny")),
            "{namespace}: {names:?}"
        );
    }
    // One per workload (the migration Job and the index cleaner included).
    // Plus `acme-http01-solver` in the two namespaces with exposed workloads
    // (prod's Let's Encrypt issuer answers HTTP-01 challenges there).
    // And one per group of operator-run pods: the two PostgreSQL clusters,
    // the pooler, the MinIO tenant, the RabbitMQ broker, and the two Redis'
    // servers and sentinels, the trace store; and the bucket replication
    // Job's.
    assert_eq!(cluster.policy_count(), 5 + 8 + 6 + 4 + 2 + 1, "{names:?}");
}

/// Two namespaces, every kind of flow, and traps: a port the ingress
/// controller must not reach, an `except` block, a LoadBalancer open to all,
/// a Job and a CronJob that only call out (and are scraped).
const CROSS_NAMESPACE: &str = "\
platform: { name: shop, kubernetesVersion: \"1.33\" }
domain: shop.example.com
ingress: { controllerNamespace: edge }
monitoring: { namespace: observability, podLabels: { app: prometheus } }
network: { apiServer: { cidrs: [172.20.0.0/30], ports: [443] } }
namespaces: { front: {}, back: {} }
workloads:
  web:
    namespace: front
    image: ghcr.io/acme/web:1.0.0
    ports:
      http: { port: 8080 }
      debug: { port: 8081 }
    resources: { requests: { cpu: 100m, memory: 64Mi }, limits: { cpu: 100m, memory: 64Mi } }
    uses: [api]
    expose: { host: www, port: http }
    metrics: { port: http }
  api:
    namespace: back
    image: ghcr.io/acme/api:1.0.0
    ports:
      http: { port: 9000 }
      grpc: { port: 9001 }
      admin: { port: 9100 }
    resources: { requests: { cpu: 100m, memory: 64Mi }, limits: { cpu: 100m, memory: 64Mi } }
    uses: [db, cache]
    metrics: { port: admin }
  db:
    kind: StatefulSet
    namespace: back
    image: ghcr.io/acme/store:1.0.0
    replicas: 2
    ports:
      sql: { port: 5432 }
    resources: { requests: { cpu: 100m, memory: 64Mi }, limits: { cpu: 100m, memory: 64Mi } }
    storage: { size: 1Gi, mountPath: /var/lib/postgresql/data }
  cache:
    namespace: back
    image: redis:7.4.1
    ports:
      redis: { port: 6379 }
      gossip: { port: 7946, protocol: UDP }
    resources: { requests: { cpu: 100m, memory: 64Mi }, limits: { cpu: 100m, memory: 64Mi } }
  worker:
    namespace: front
    image: ghcr.io/acme/worker:1.0.0
    serviceType: None
    resources: { requests: { cpu: 100m, memory: 64Mi }, limits: { cpu: 100m, memory: 64Mi } }
    uses: [api, cache]
    egress:
      - { cidr: 192.0.2.0/24, except: [192.0.2.128/25], ports: [443] }
    serviceAccount:
      rules: [{ resources: [configmaps], verbs: [get] }]
  mail:
    namespace: front
    image: ghcr.io/acme/mail:1.0.0
    serviceType: LoadBalancer
    ports:
      smtp: { port: 25 }
    resources: { requests: { cpu: 100m, memory: 64Mi }, limits: { cpu: 100m, memory: 64Mi } }
    egress: [{ to: internet, ports: [25] }]
  migrate:
    kind: Job
    namespace: back
    image: ghcr.io/acme/api:1.0.0
    resources: { requests: { cpu: 100m, memory: 64Mi }, limits: { cpu: 100m, memory: 64Mi } }
    uses: [db]
    job: { runBefore: [api] }
  report:
    kind: CronJob
    namespace: front
    image: ghcr.io/acme/report:1.0.0
    ports:
      metrics: { port: 9200 }
    metrics: { port: metrics }
    resources: { requests: { cpu: 100m, memory: 64Mi }, limits: { cpu: 100m, memory: 64Mi } }
    uses: [api]
    cronJob: { schedule: \"@hourly\" }
";

#[test]
fn cross_namespace_platform_allows_exactly_the_declared_flows() {
    let platform = Platform::with(CROSS_NAMESPACE, &[("prod", "{}")]);
    let objects = render(platform.path(), "prod");
    let cluster = Cluster::new(
        &objects,
        &["edge", "observability", "kube-system", "default"],
    );
    let mut world = World::from_render(&objects);
    world.pod(
        "ingress-controller",
        "edge",
        &[("app", "controller")],
        &[(443, "TCP")],
    );
    world.pod(
        "prometheus",
        "observability",
        &[("app", "prometheus")],
        &[(9090, "TCP")],
    );
    world.pod(
        "grafana",
        "observability",
        &[("app", "grafana")],
        &[(3000, "TCP")],
    );
    world.pod(
        "kube-dns",
        "kube-system",
        &[("k8s-app", "kube-dns")],
        &[(53, "UDP"), (53, "TCP")],
    );
    world.pod(
        "stranger",
        "default",
        &[("app", "stranger")],
        &[(8080, "TCP")],
    );
    world.address("api-server", "172.20.0.1");
    world.address("partner", "192.0.2.10");
    world.address("partner-excluded", "192.0.2.200");
    world.address("public-site", "203.0.113.10");
    world.address("client", "198.51.100.7");

    let mut expected: BTreeSet<Flow> = [
        flow("web", "api", 9000, "TCP"),
        flow("web", "api", 9001, "TCP"),
        flow("web", "api", 9100, "TCP"),
        flow("api", "db", 5432, "TCP"),
        flow("api", "cache", 6379, "TCP"),
        flow("api", "cache", 7946, "UDP"),
        flow("db", "db", 5432, "TCP"),
        flow("worker", "api", 9000, "TCP"),
        flow("worker", "api", 9001, "TCP"),
        flow("worker", "api", 9100, "TCP"),
        flow("worker", "cache", 6379, "TCP"),
        flow("worker", "cache", 7946, "UDP"),
        flow("worker", "partner", 443, "TCP"),
        flow("worker", "api-server", 443, "TCP"),
        flow("ingress-controller", "web", 8080, "TCP"),
        flow("prometheus", "web", 8080, "TCP"),
        flow("prometheus", "api", 9100, "TCP"),
        flow("mail", "public-site", 25, "TCP"),
        flow("mail", "client", 25, "TCP"),
        // TEST-NET-1 is public address space: `internet` includes it.
        flow("mail", "partner", 25, "TCP"),
        flow("mail", "partner-excluded", 25, "TCP"),
        // Jobs and CronJobs are clients: out to what they use, and in only
        // the monitoring system to a CronJob's metrics port.
        flow("migrate", "db", 5432, "TCP"),
        flow("report", "api", 9000, "TCP"),
        flow("report", "api", 9001, "TCP"),
        flow("report", "api", 9100, "TCP"),
        flow("prometheus", "report", 9200, "TCP"),
    ]
    .into_iter()
    .collect();
    for workload in [
        "web", "api", "db", "cache", "worker", "mail", "migrate", "report",
    ] {
        expected.insert(flow(workload, "kube-dns", 53, "UDP"));
        expected.insert(flow(workload, "kube-dns", 53, "TCP"));
    }
    // A LoadBalancer answers anyone whose own egress is not restricted.
    for outsider in world.outsiders() {
        expected.insert(flow(&outsider, "mail", 25, "TCP"));
    }
    assert_same("cross-namespace", &world.allowed(&cluster), &expected);
}

#[test]
fn policies_off_renders_no_network_policy() {
    let platform = Platform::with(
        CROSS_NAMESPACE,
        &[("prod", "network: { policies: false }\n")],
    );
    let objects = render(platform.path(), "prod");
    assert!(
        objects.iter().all(|o| o["kind"] != "NetworkPolicy"),
        "network.policies: false renders no NetworkPolicy"
    );
}

/// Canary and preview Services of Argo Rollouts
/// (`tests/fixtures/progressive-delivery`): each Service, with the version
/// hash Argo Rollouts adds to its selector, leads to pods that admit the
/// callers of the workload on the Service's target port: the ingress
/// controller for exposed ones (the canary Ingress, the preview host), the
/// workloads that `use` it. A pod nobody declared is still refused.
#[test]
fn canary_and_preview_services_lead_to_pods_that_admit_the_workloads_callers() {
    let objects = render(
        &repository().join("tests/fixtures/progressive-delivery"),
        "prod",
    );
    let cluster = Cluster::new(&objects, &["ingress-nginx", "monitoring", "elsewhere"]);
    let mut world = World::from_render(&objects);
    world.pod(
        "ingress-nginx",
        "ingress-nginx",
        &[("app.kubernetes.io/name", "ingress-nginx")],
        &[],
    );
    world.pod("stranger", "elsewhere", &[("app", "stranger")], &[]);
    let endpoint = |name: &str| {
        world
            .endpoints
            .iter()
            .map(|(e, _)| e)
            .find(|e| e.name == name)
            .unwrap_or_else(|| panic!("no endpoint `{name}`"))
    };
    let cases: [(&str, &[&str]); 4] = [
        ("web-canary", &["ingress-nginx"]),
        ("web", &["ingress-nginx"]),
        ("checkout-preview", &["ingress-nginx", "web", "worker"]),
        ("worker-canary", &[]),
    ];
    for (service_name, callers) in cases {
        let service = objects
            .iter()
            .find(|o| o["kind"] == "Service" && o["metadata"]["name"] == service_name)
            .unwrap_or_else(|| panic!("no Service `{service_name}`"));
        let mut selector: Vec<(String, String)> = service["spec"]["selector"]
            .as_object()
            .expect("selector")
            .iter()
            .map(|(k, v)| (k.clone(), v.as_str().expect("label").to_owned()))
            .collect();
        selector.push((ROLLOUT_HASH_LABEL.to_owned(), ROLLOUT_HASH.to_owned()));
        let selected: Vec<&evaluator::Endpoint> = world
            .endpoints
            .iter()
            .map(|(e, _)| e)
            .filter(|e| {
                e.namespace.as_deref() == service["metadata"]["namespace"].as_str()
                    && selector.iter().all(|(k, v)| e.labels.get(k) == Some(v))
            })
            .collect();
        assert_eq!(
            selected.len(),
            1,
            "{service_name} selects one workload's pods"
        );
        let target = service["spec"]["ports"][0]["targetPort"]
            .as_str()
            .expect("named target port");
        let pod = selected[0];
        let (port, protocol) = pod.named_ports.get(target).expect("the pods have the port");
        for caller in callers {
            assert!(
                cluster.allows(endpoint(caller), pod, *port, protocol),
                "{caller} reaches {service_name} on {port}"
            );
        }
        assert!(
            !cluster.allows(endpoint("stranger"), pod, *port, protocol),
            "an undeclared pod does not reach {service_name}"
        );
    }
}

/// The exposures fixture (seed 000's agent): each controller reaches exactly
/// the ports of the exposures it serves (the public one the HTTP and
/// WebSocket ports, the internal one the admin port), and the agent's egress
/// reaches the push gateway's pods (not the rest of `monitoring`), the ledger
/// on its port range (not the ports around it), and the tails server in
/// another namespace of the platform, whose own policy admits it.
#[test]
fn exposures_fixture_allows_exactly_the_declared_flows() {
    let dir = repository().join("tests/fixtures/exposures");
    let objects = render(&dir, "nginx");
    let cluster = Cluster::new(
        &objects,
        &[
            "ingress-nginx",
            "ingress-internal",
            "monitoring",
            "kube-system",
            "default",
        ],
    );
    let mut world = World::from_render(&objects);
    world.pod(
        "public-controller",
        "ingress-nginx",
        &[("app", "ingress-nginx")],
        &[(443, "TCP")],
    );
    world.pod(
        "internal-controller",
        "ingress-internal",
        &[("app", "ingress-nginx")],
        &[(443, "TCP")],
    );
    world.pod(
        "pushgateway",
        "monitoring",
        &[("app.kubernetes.io/name", "pushgateway")],
        &[(9091, "TCP")],
    );
    world.pod(
        "prometheus",
        "monitoring",
        &[("app.kubernetes.io/name", "prometheus")],
        &[(9090, "TCP"), (9091, "TCP")],
    );
    world.pod(
        "kube-dns",
        "kube-system",
        &[("k8s-app", "kube-dns")],
        &[(53, "UDP"), (53, "TCP")],
    );
    world.pod(
        "stranger",
        "default",
        &[("app", "stranger")],
        &[(8080, "TCP")],
    );
    world.address_on("ledger", "203.0.113.5", &[9700, 9701, 9705, 9708, 9709]);
    assert_eq!(
        world.declared_ports("agent").len(),
        3,
        "the agent declares its HTTP, admin and WebSocket ports"
    );

    let mut expected: BTreeSet<Flow> = [
        flow("public-controller", "agent", 8030, "TCP"),
        flow("public-controller", "agent", 8032, "TCP"),
        flow("internal-controller", "agent", 8031, "TCP"),
        flow("agent", "pushgateway", 9091, "TCP"),
        flow("agent", "ledger", 9701, "TCP"),
        flow("agent", "ledger", 9705, "TCP"),
        flow("agent", "ledger", 9708, "TCP"),
        flow("agent", "tails", 6543, "TCP"),
    ]
    .into_iter()
    .collect();
    for workload in ["agent", "tails"] {
        expected.insert(flow(workload, "kube-dns", 53, "UDP"));
        expected.insert(flow(workload, "kube-dns", 53, "TCP"));
    }
    assert_same("exposures", &world.allowed(&cluster), &expected);
}

/// The declared flows of a seed example, written out from its seed (not read
/// from the spec or the flow graph).
struct SeedFlows {
    /// A pod nobody declared is placed in this namespace.
    intruder_namespace: &'static str,
    /// `uses` edges: the caller reaches every port the callee declares (when
    /// the callee runs in the environment).
    uses: &'static [(&'static str, &'static [&'static str])],
    /// Workloads exporting traces to Jaeger's OTLP/gRPC port.
    traced: &'static [&'static str],
    /// `(Ingress, workload, port)`: the ingress controller reaches the
    /// workload's port, where the environment renders that Ingress.
    exposed: &'static [(&'static str, &'static str, u16)],
    /// `(workload, port)` Prometheus scrapes.
    scraped: &'static [(&'static str, u16)],
    /// `(workload, ports)` reached on the internet.
    internet: &'static [(&'static str, &'static [u16])],
    /// More `(workload, ports)` reached on the internet outside production.
    internet_before_production: &'static [(&'static str, &'static [u16])],
}

/// Seed 000: the gateway in front of the three services, which call the
/// agent's admin API; the agent calls the prescription service's webhook,
/// its ledger and other agents.
const DIGITAL_PRESCRIPTION_FLOWS: SeedFlows = SeedFlows {
    intruder_namespace: "rx-services",
    uses: &[
        (
            "api-gateway",
            &[
                "auth-service",
                "prescription-service",
                "verification-service",
            ],
        ),
        ("prescription-service", &["acapy"]),
        ("verification-service", &["acapy"]),
        ("acapy", &["prescription-service"]),
    ],
    traced: &[
        "api-gateway",
        "auth-service",
        "prescription-service",
        "verification-service",
    ],
    exposed: &[
        ("api-gateway", "api-gateway", 8080),
        // The agent's two DIDComm transports, each on its own host.
        ("acapy-didcomm", "acapy", 8020),
        ("acapy-ws", "acapy", 8022),
    ],
    scraped: &[
        ("api-gateway", 8080),
        ("auth-service", 8080),
        ("prescription-service", 8080),
        ("verification-service", 8080),
        ("acapy", 8021),
    ],
    internet: &[("acapy", &[443])],
    // BCovrin, the test ledger, serves its genesis file over plain HTTP.
    internet_before_production: &[("acapy", &[80])],
};

/// Seed 004: the mobile API and the gateway in front of the core and
/// integration services; the encounter service calls the AI services, the
/// NLP service the model server; the integration service and the MongoDB
/// backup reach the internet (EHR partners, S3).
const DR_ASSISTANT_FLOWS: SeedFlows = SeedFlows {
    intruder_namespace: "dr-backend",
    uses: &[
        ("mobile-api", &["api-gateway"]),
        (
            "api-gateway",
            &[
                "patient-service",
                "encounter-service",
                "integration-service",
            ],
        ),
        (
            "encounter-service",
            &["voice-transcription", "nlp-processing"],
        ),
        ("nlp-processing", &["model-server"]),
        // Development only: the EHR mock in place of the partners.
        ("integration-service", &["ehr-mock"]),
    ],
    traced: &[
        "mobile-api",
        "api-gateway",
        "patient-service",
        "encounter-service",
        "integration-service",
        "voice-transcription",
        "nlp-processing",
    ],
    exposed: &[
        ("web-app", "web-app", 8080),
        ("mobile-api", "mobile-api", 8080),
        ("api-gateway", "api-gateway", 8080),
    ],
    scraped: &[
        ("mobile-api", 8080),
        ("api-gateway", 8080),
        ("patient-service", 8080),
        ("encounter-service", 8080),
        ("integration-service", 8080),
        ("voice-transcription", 8080),
        ("nlp-processing", 8080),
        ("model-server", 8080),
    ],
    internet: &[("integration-service", &[443]), ("mongodb-backup", &[443])],
    internet_before_production: &[],
};

/// Between the workloads of a seed example (the pods platformgen runs itself;
/// the data services' pods are the operators' and tested above), the
/// ingress controller, Prometheus, the cluster DNS, a stranger, an intruder
/// and a public address, the policies allow exactly the declared flows.
#[track_caller]
fn seed_example_reachability(example: &str, environment: &str, declared: &SeedFlows) {
    let dir = crate::support::examples::example_dir(example);
    let objects = render(&dir, environment);
    let cluster = Cluster::new(
        &objects,
        &["ingress-nginx", "monitoring", "kube-system", "default"],
    );
    let mut world = World::from_render(&objects);
    let workloads = world.governed.clone();
    world.pod(
        "ingress-controller",
        "ingress-nginx",
        &[("app.kubernetes.io/name", "ingress-nginx")],
        &[(80, "TCP"), (443, "TCP")],
    );
    world.pod(
        "prometheus",
        "monitoring",
        &[("app.kubernetes.io/name", "prometheus")],
        &[(9090, "TCP")],
    );
    world.pod(
        "kube-dns",
        "kube-system",
        &[("k8s-app", "kube-dns")],
        &[(53, "UDP"), (53, "TCP")],
    );
    world.pod(
        "stranger",
        "default",
        &[("app", "stranger")],
        &[(8080, "TCP")],
    );
    world.pod(
        "intruder",
        declared.intruder_namespace,
        &[("app", "debug")],
        &[(8080, "TCP")],
    );
    world.governed.insert("intruder".to_owned());
    world.address("public-site", "203.0.113.10");

    let present = |name: &str| workloads.contains(name);
    let mut expected = BTreeSet::new();
    let mut add = |from: &str, to: &str, ports: &[(u16, String)]| {
        for (port, protocol) in ports {
            expected.insert(flow(from, to, *port, protocol));
        }
    };
    let tcp = |port: u16| vec![(port, "TCP".to_owned())];
    for workload in &workloads {
        add(
            workload,
            "kube-dns",
            &[(53, "UDP".to_owned()), (53, "TCP".to_owned())],
        );
    }
    for (from, uses) in declared.uses {
        for to in uses.iter().filter(|to| present(to)) {
            add(from, to, &world.declared_ports(to));
        }
    }
    for traced in declared.traced {
        add(traced, "jaeger", &tcp(4317));
    }
    for (name, replicas) in stateful_set_replicas(&objects) {
        if replicas >= 2 {
            add(&name, &name, &world.declared_ports(&name));
        }
    }
    for (ingress, workload, port) in declared.exposed {
        let exposed = objects
            .iter()
            .any(|o| o["kind"] == "Ingress" && o["metadata"]["name"] == *ingress);
        if exposed {
            add("ingress-controller", workload, &tcp(*port));
        }
    }
    for (workload, port) in declared.scraped {
        add("prometheus", workload, &tcp(*port));
    }
    let production = matches!(environment, "prod" | "production");
    let before_production = if production {
        &[][..]
    } else {
        declared.internet_before_production
    };
    for (workload, ports) in declared.internet.iter().chain(before_production) {
        if present(workload) {
            for port in *ports {
                add(workload, "public-site", &tcp(*port));
            }
        }
    }
    assert!(
        workloads.len() >= 6,
        "{example} {environment}: {workloads:?}"
    );
    assert_same(
        &format!("{example} {environment}"),
        &world.allowed(&cluster),
        &expected,
    );
}

#[test]
fn digital_prescription_allows_exactly_the_declared_flows() {
    for environment in ["dev", "staging", "prod"] {
        seed_example_reachability(
            "digital-prescription",
            environment,
            &DIGITAL_PRESCRIPTION_FLOWS,
        );
    }
}

#[test]
fn dr_assistant_allows_exactly_the_declared_flows() {
    for environment in ["development", "integration", "staging", "production"] {
        seed_example_reachability("dr-assistant", environment, &DR_ASSISTANT_FLOWS);
    }
}

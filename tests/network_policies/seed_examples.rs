//! Reachability of the seeds' examples (`examples/`): in every environment,
//! the NetworkPolicies allow exactly the flows each example declares, written
//! out below from its spec and its seed, never read from platformgen's flow
//! graph.

use std::collections::BTreeSet;

use serde_json::Value;

use super::evaluator::Cluster;
use super::{Flow, World, add_redis_pods, assert_same, flow, render};
use crate::support::cli::repository;
use crate::support::platforms;

/// What one example declares about its traffic.
struct Declared {
    /// The example's directory, from the repository root.
    dir: &'static str,
    /// Its one namespace, as each environment names it: `{environment}`
    /// stands for the environment (`cluster.namespaceTemplate`).
    namespace: &'static str,
    /// An address inside `network.apiServer.cidrs`.
    api_server: &'static str,
    /// `uses`: a workload to the workloads it calls, on all their ports.
    uses: &'static [(&'static str, &'static [&'static str])],
    /// PostgreSQL clusters (CloudNativePG) and the workloads connecting to
    /// them, on 5432.
    postgres: &'static [(&'static str, &'static [&'static str])],
    /// Redis (the redis-operator) and the workloads connecting to its
    /// servers, on 6379.
    redis: &'static [(&'static str, &'static [&'static str])],
    /// Workloads the ingress controller reaches, on the port they expose.
    exposed: &'static [(&'static str, u16)],
    /// Workloads the monitoring system scrapes, on their metrics port; with
    /// `monitoring` set, the database instances' exporters (9187) too.
    scraped: Option<&'static [(&'static str, u16)]>,
    /// Workloads whose ServiceAccount token is mounted: they call the API
    /// server.
    api_clients: &'static [&'static str],
}

const SORCHA: Declared = Declared {
    dir: "examples/sorcha",
    namespace: "sorcha-{environment}",
    api_server: "10.0.0.1",
    uses: &[
        (
            "api-gateway",
            &[
                "blueprint-service",
                "wallet-service",
                "register-service",
                "peer-service",
                "tenant-service",
            ],
        ),
        ("peer-service", &["register-service"]),
    ],
    postgres: &[(
        "sorcha-postgres",
        &[
            "blueprint-service",
            "wallet-service",
            "register-service",
            "tenant-service",
        ],
    )],
    redis: &[(
        "sorcha-redis",
        &[
            "api-gateway",
            "blueprint-service",
            "wallet-service",
            "register-service",
            "tenant-service",
        ],
    )],
    exposed: &[("api-gateway", 8080)],
    scraped: None,
    api_clients: &[],
};

const TODO_CHATBOT: Declared = Declared {
    dir: "examples/todo-chatbot",
    namespace: "todo-chatbot",
    api_server: "10.100.0.1",
    uses: &[("todo-frontend", &["todo-backend"])],
    postgres: &[("postgres", &["todo-backend", "todo-backend-migrate"])],
    redis: &[],
    exposed: &[("todo-backend", 3000), ("todo-frontend", 3000)],
    scraped: Some(&[("todo-backend", 3000), ("todo-frontend", 3000)]),
    api_clients: &["todo-backend"],
};

/// The example's workloads and the pods its operators run, with the
/// cluster's own pods and addresses around them.
fn world(declared: &Declared, namespace: &str, objects: &[Value]) -> World {
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
    // A pod nobody declared, inside the platform's namespace: the default
    // deny leaves it with no traffic at all.
    world.pod("intruder", namespace, &[("app", "debug")], &[(8080, "TCP")]);
    world.governed.insert("intruder".to_owned());
    for (cluster, _) in declared.postgres {
        assert!(
            objects
                .iter()
                .any(|o| o["kind"] == "Cluster" && o["metadata"]["name"] == *cluster),
            "{}: the render has the Cluster {cluster}",
            declared.dir
        );
        world.pod(
            cluster,
            namespace,
            &[("cnpg.io/cluster", cluster)],
            &[(5432, "TCP"), (8000, "TCP"), (9187, "TCP")],
        );
        world.governed.insert((*cluster).to_owned());
    }
    let redis: Vec<(&'static str, &str)> = declared
        .redis
        .iter()
        .map(|(name, _)| (*name, namespace))
        .collect();
    add_redis_pods(&mut world, objects, &redis);
    world.pod(
        "cnpg-operator",
        "cnpg-system",
        &[("app.kubernetes.io/name", "cloudnative-pg")],
        &[(9443, "TCP")],
    );
    world.pod(
        "redis-operator",
        "ot-operators",
        &[("app.kubernetes.io/name", "redis-operator")],
        &[(8080, "TCP")],
    );
    world.address("api-server", declared.api_server);
    world.address("public-site", "203.0.113.10");
    world.address("public-site-v6", "2001:db8::10");
    world.address("cloud-metadata", "169.254.169.254");
    world.address("private-host", "10.200.0.1");
    world
}

/// The flows `declared` calls for in this render.
fn expected(declared: &Declared, world: &World, objects: &[Value]) -> BTreeSet<Flow> {
    let mut expected = BTreeSet::new();
    let mut add = |from: &str, to: &str, ports: &[(u16, &str)]| {
        for (port, protocol) in ports {
            expected.insert(flow(from, to, *port, protocol));
        }
    };
    let tcp = |port: u16| [(port, "TCP")];
    let api_server = [(443, "TCP"), (6443, "TCP")];
    for (from, uses) in declared.uses {
        for to in *uses {
            for (port, protocol) in world.declared_ports(to) {
                add(from, to, &[(port, protocol.as_str())]);
            }
        }
    }
    for (cluster, clients) in declared.postgres {
        for client in *clients {
            add(client, cluster, &tcp(5432));
        }
        // Replication and status between instances, the operator in, the
        // instance manager to the API server.
        add(cluster, cluster, &[(5432, "TCP"), (8000, "TCP")]);
        add("cnpg-operator", cluster, &[(8000, "TCP"), (5432, "TCP")]);
        add(cluster, "api-server", &api_server);
        if declared.scraped.is_some() {
            add("prometheus", cluster, &tcp(9187));
        }
        // Backups to S3 on AWS: the public internet on 443, never the
        // cluster's own addresses or the cloud metadata endpoint.
        let backed_up = objects.iter().any(|o| {
            o["kind"] == "Cluster"
                && o["metadata"]["name"] == *cluster
                && o["spec"]["backup"].is_object()
        });
        if backed_up {
            add(cluster, "public-site", &tcp(443));
            add(cluster, "public-site-v6", &tcp(443));
        }
    }
    for (name, clients) in declared.redis {
        for client in *clients {
            add(client, name, &tcp(6379));
        }
        add("redis-operator", name, &tcp(6379));
        let sentinel = format!("{name}-sentinel");
        if world.governed.contains(&sentinel) {
            add(name, name, &tcp(6379));
            add("redis-operator", &sentinel, &tcp(26379));
            add(&sentinel, &sentinel, &tcp(26379));
            add(&sentinel, name, &tcp(6379));
        }
    }
    for (workload, port) in declared.exposed {
        add("ingress-controller", workload, &tcp(*port));
    }
    for (workload, port) in declared.scraped.unwrap_or_default() {
        add("prometheus", workload, &tcp(*port));
    }
    for client in declared.api_clients {
        add(client, "api-server", &api_server);
    }
    for endpoint in world.governed.iter().filter(|e| *e != "intruder") {
        add(endpoint, "kube-dns", &[(53, "UDP"), (53, "TCP")]);
    }
    expected
}

#[track_caller]
fn assert_reachability(declared: &Declared) {
    let dir = repository().join(declared.dir);
    let environments = platforms::environments(&dir);
    assert!(
        environments.len() >= 2,
        "{}: its environments",
        declared.dir
    );
    for environment in environments {
        let objects = render(&dir, &environment);
        let cluster = Cluster::new(
            &objects,
            &[
                "ingress-nginx",
                "monitoring",
                "kube-system",
                "default",
                "cnpg-system",
                "ot-operators",
            ],
        );
        let namespace = declared.namespace.replace("{environment}", &environment);
        let world = world(declared, &namespace, &objects);
        assert_same(
            &format!("{} {environment}", declared.dir),
            &world.allowed(&cluster),
            &expected(declared, &world, &objects),
        );
    }
}

#[test]
fn sorcha_allows_exactly_the_declared_flows() {
    assert_reachability(&SORCHA);
}

#[test]
fn todo_chatbot_allows_exactly_the_declared_flows() {
    assert_reachability(&TODO_CHATBOT);
}

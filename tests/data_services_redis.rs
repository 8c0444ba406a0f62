//! Redis through the OT-Container-Kit redis-operator
//! (`tests/fixtures/data-services-redis`): a standalone `Redis` in
//! development, a `RedisReplication` watched by a `RedisSentinel` elsewhere;
//! workloads wired by `connections` to the primary, the replicas or the
//! sentinels with the password from the user's Secret; network policies for
//! the operator's pods; and the mistakes `check` catches.

use serde_json::{Value, json};

use crate::support::cli::{Platform, repository, run};
use crate::support::objects::{self, env, has, object};
use crate::support::{external, python, rejection, snapshot_settings};

fn fixture() -> std::path::PathBuf {
    repository().join("tests/fixtures/data-services-redis")
}

fn render(environment: &str) -> Vec<Value> {
    objects::render(&fixture(), environment)
}

fn server_labels(setup: &str) -> Value {
    json!({ "app": "cache", "redis_setup_type": setup, "role": setup })
}

fn sentinel_labels() -> Value {
    json!({ "app": "cache-sentinel", "redis_setup_type": "sentinel", "role": "sentinel" })
}

#[test]
fn production_runs_a_primary_with_replicas_watched_by_three_sentinels() {
    let objects = render("prod");
    assert!(!has(&objects, "Redis", "cache"));
    let replication = &object(&objects, "RedisReplication", "cache")["spec"];
    assert_eq!(replication["clusterSize"], 3);
    assert_eq!(
        replication["kubernetesConfig"]["image"],
        "quay.io/opstree/redis:v7.0.15"
    );
    assert_eq!(
        replication["kubernetesConfig"]["redisSecret"],
        json!({ "name": "cache-auth", "key": "password" })
    );
    assert_eq!(
        replication["kubernetesConfig"]["resources"]["limits"],
        json!({ "cpu": "250m", "memory": "256Mi" })
    );
    assert_eq!(
        replication["storage"]["volumeClaimTemplate"]["spec"],
        json!({
            "accessModes": ["ReadWriteOnce"],
            "resources": { "requests": { "storage": "2Gi" } },
            "storageClassName": "fast",
        })
    );
    assert_eq!(replication["nodeSelector"], json!({ "pool": "critical" }));
    assert_eq!(replication["tolerations"][0]["key"], "dedicated");
    assert_eq!(replication["priorityClassName"], "data");
    assert_eq!(
        replication["affinity"]["podAntiAffinity"]["requiredDuringSchedulingIgnoredDuringExecution"]
            [0]["labelSelector"]["matchLabels"],
        server_labels("replication")
    );
    assert_eq!(
        replication["pdb"],
        json!({ "enabled": true, "maxUnavailable": 1 })
    );

    let sentinel = &object(&objects, "RedisSentinel", "cache")["spec"];
    assert_eq!(sentinel["clusterSize"], 3);
    assert_eq!(
        sentinel["kubernetesConfig"]["image"],
        "quay.io/opstree/redis-sentinel:v7.0.15"
    );
    assert_eq!(
        sentinel["redisSentinelConfig"],
        json!({
            "redisReplicationName": "cache",
            "masterGroupName": "cache",
            "redisPort": "6379",
            "quorum": "2",
            "redisReplicationPassword": {
                "secretKeyRef": { "name": "cache-auth", "key": "password" },
            },
        })
    );
    assert_eq!(
        sentinel["kubernetesConfig"]["redisSecret"]["name"], "cache-auth",
        "the sentinels require the password too"
    );
    assert_eq!(
        sentinel["affinity"]["podAntiAffinity"]["requiredDuringSchedulingIgnoredDuringExecution"]
            [0]["labelSelector"]["matchLabels"],
        sentinel_labels()
    );
}

#[test]
fn pods_meet_the_restricted_pod_security_standard() {
    let objects = render("prod");
    for kind in ["RedisReplication", "RedisSentinel"] {
        let spec = &object(&objects, kind, "cache")["spec"];
        assert_eq!(
            spec["podSecurityContext"],
            json!({
                "runAsNonRoot": true,
                "runAsUser": 1000,
                "runAsGroup": 1000,
                "fsGroup": 1000,
                "seccompProfile": { "type": "RuntimeDefault" },
            }),
            "{kind}"
        );
        assert_eq!(
            spec["securityContext"],
            json!({
                "runAsNonRoot": true,
                "allowPrivilegeEscalation": false,
                "capabilities": { "drop": ["ALL"] },
            }),
            "{kind}"
        );
    }
}

#[test]
fn connections_reach_the_primary_the_replicas_or_the_sentinels() {
    let objects = render("prod");
    let secret = json!({ "name": "cache-auth", "key": "password", "optional": false });
    let web = env(&objects, "web");
    let names: Vec<&str> = web
        .iter()
        .map(|v| v["name"].as_str().unwrap_or(""))
        .collect();
    assert_eq!(
        names,
        ["REDIS_HOST", "REDIS_PORT", "REDIS_PASSWORD", "REDIS_URL"],
        "the password comes before the URI that refers to it"
    );
    assert_eq!(web[0]["value"], "cache-master.data.svc");
    assert_eq!(web[1]["value"], "6379");
    assert_eq!(web[2]["valueFrom"]["secretKeyRef"], secret);
    assert_eq!(
        web[3]["value"],
        "redis://:$(REDIS_PASSWORD)@cache-master.data.svc:6379"
    );
    let worker = env(&objects, "worker");
    assert_eq!(worker[0]["value"], "cache-sentinel.data.svc");
    assert_eq!(worker[1]["value"], "26379");
    assert_eq!(
        worker[2],
        json!({ "name": "SENTINEL_MASTER", "value": "cache" })
    );
    assert_eq!(worker[3]["valueFrom"]["secretKeyRef"], secret);
    let reports = env(&objects, "reports");
    assert_eq!(reports[0]["value"], "cache-replica.data.svc");
    // No password anywhere in the render.
    let stream = run(&fixture(), &["render", "prod"]).success().stdout;
    assert!(!stream.to_lowercase().contains("password: "), "{stream}");
}

#[test]
fn development_runs_one_standalone_server() {
    let objects = render("dev");
    assert!(!has(&objects, "RedisReplication", "cache"));
    assert!(!has(&objects, "RedisSentinel", "cache"));
    assert!(!has(&objects, "NetworkPolicy", "cache-sentinel"));
    let redis = &object(&objects, "Redis", "cache")["spec"];
    assert_eq!(
        redis["kubernetesConfig"]["image"],
        "quay.io/opstree/redis:v7.0.15"
    );
    assert_eq!(
        redis["kubernetesConfig"]["redisSecret"]["name"],
        "cache-auth"
    );
    assert!(redis.get("clusterSize").is_none());
    assert!(redis.get("affinity").is_none());
    assert_eq!(env(&objects, "web")[0]["value"], "cache.data.svc");
    let policy = &object(&objects, "NetworkPolicy", "cache")["spec"];
    assert_eq!(
        policy["podSelector"],
        json!({ "matchLabels": server_labels("standalone") })
    );
    assert!(
        !policy["ingress"].to_string().contains("\"app\":\"cache\""),
        "a standalone server has no peers: {policy}"
    );
}

#[test]
fn operator_pods_get_exactly_the_flows_they_need() {
    let objects = render("prod");
    let servers = &object(&objects, "NetworkPolicy", "cache")["spec"];
    assert_eq!(
        servers["podSelector"],
        json!({ "matchLabels": server_labels("replication") })
    );
    let ingress = servers["ingress"].to_string();
    // The operator (role checks, REPLICAOF), the replicas, the sentinels and
    // every client, on 6379 only.
    assert!(ingress.contains("ot-operators"), "{ingress}");
    assert!(ingress.contains("cache-sentinel"), "{ingress}");
    for client in ["web", "worker", "reports"] {
        assert!(
            ingress.contains(&format!("\"{client}\"")),
            "{client}: {ingress}"
        );
    }
    assert!(!ingress.contains("26379"), "{ingress}");
    assert!(!servers["egress"].to_string().contains("26379"));
    let sentinels = &object(&objects, "NetworkPolicy", "cache-sentinel")["spec"];
    assert_eq!(
        sentinels["podSelector"],
        json!({ "matchLabels": sentinel_labels() })
    );
    let ingress = sentinels["ingress"].to_string();
    assert!(ingress.contains("ot-operators"), "{ingress}");
    assert!(ingress.contains("\"worker\""), "{ingress}");
    assert!(
        !ingress.contains("\"web\""),
        "only Sentinel clients reach the sentinels: {ingress}"
    );
    // Neither the servers nor the sentinels call the Kubernetes API.
    for policy in [servers, sentinels] {
        assert!(
            !policy["egress"].to_string().contains("10.0.0.1/32"),
            "{policy}"
        );
    }
    // A Sentinel client reaches the sentinels, then the primary.
    let worker = object(&objects, "NetworkPolicy", "worker")["spec"]["egress"].to_string();
    assert!(
        worker.contains("26379") && worker.contains("6379"),
        "{worker}"
    );
}

#[test]
fn every_environment_is_strictly_valid() {
    external::assert_valid_and_clean(&fixture());
}

const BASE: &str = "\
platform: { name: shop, kubernetesVersion: \"1.33\" }
namespaces: { shop: {}, data: {} }
workloads:
  web:
    namespace: shop
    image: ghcr.io/acme/web:1.2.3
    ports: { http: { port: 8080 } }
    resources:
      requests: { cpu: 100m, memory: 128Mi }
      limits: { cpu: 500m, memory: 256Mi }
    connections:
      cache: { env: { REDIS_HOST: host } }
redis:
  cache:
    namespace: data
    storage: { size: 1Gi }
    resources:
      requests: { cpu: 100m, memory: 128Mi }
      limits: { cpu: 250m, memory: 256Mi }
    password: { secret: cache-auth }
";

#[test]
fn mistakes_are_reported_where_they_were_made() {
    let cases = [
        (
            "redis_without_password",
            "redis:\n  cache:\n    password: null\n",
        ),
        ("redis_version", "redis:\n  cache:\n    version: \"7\"\n"),
        ("redis_zero_replicas", "redis:\n  cache:\n    replicas: 0\n"),
        (
            "redis_sentinel_of_a_standalone_server",
            "redis:\n  cache:\n    replicas: 1\nworkloads:\n  web:\n    connections:\n      cache: { access: sentinel }\n",
        ),
        (
            "redis_uri_without_password",
            "workloads:\n  web:\n    connections:\n      cache: { env: { REDIS_URL: uri } }\n",
        ),
        (
            "redis_name_taken_by_a_postgres_cluster",
            "postgres:\n  cache:\n    namespace: data\n    storage: { size: 1Gi }\n    resources:\n      requests: { cpu: 100m, memory: 128Mi }\n      limits: { cpu: 250m, memory: 256Mi }\n",
        ),
    ];
    for (name, overlay) in cases {
        let report = rejection::rejected(&Platform::with(BASE, &[("prod", overlay)]), "prod");
        snapshot_settings().bind(|| insta::assert_snapshot!(name, report));
    }
}

#[test]
fn development_may_run_without_a_password() {
    let platform = Platform::with(BASE, &[("dev", "redis:\n  cache:\n    password: null\n")]);
    let stream = run(platform.path(), &["render", "dev"]).success().stdout;
    let objects = python::documents(&stream);
    let redis = &object(&objects, "Redis", "cache")["spec"];
    assert!(redis["kubernetesConfig"].get("redisSecret").is_none());
}

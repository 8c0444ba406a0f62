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

/// The fixture with `cache` as a Redis Cluster of `cluster` (a flow map):
/// every client connects to the primaries (a cluster has no sentinels and
/// no replicas' Service; clients follow the cluster's redirects).
fn sharded(cluster: &str) -> Platform {
    let base = std::fs::read_to_string(fixture().join("platform.yaml"))
        .expect("fixture")
        .replace(
            "    password: { secret: cache-auth }\n",
            &format!("    password: {{ secret: cache-auth }}\n    cluster: {cluster}\n"),
        )
        .replace(
            "        access: sentinel\n        env:\n          SENTINEL_HOST: host\n          SENTINEL_PORT: port\n          SENTINEL_MASTER: masterName\n",
            "        env:\n          REDIS_HOST: host\n",
        )
        .replace("access: readOnly, ", "");
    Platform::with(&base, &[("prod", "{}\n")])
}

fn leader_labels() -> Value {
    json!({ "app": "cache-leader", "redis_setup_type": "cluster", "role": "leader" })
}

fn follower_labels() -> Value {
    json!({ "app": "cache-follower", "redis_setup_type": "cluster", "role": "follower" })
}

#[test]
fn a_sharded_redis_runs_primaries_each_with_replicas_on_the_cluster_bus() {
    let platform = sharded("{ shards: 3, replicasPerShard: 2 }");
    let stream = run(platform.path(), &["render", "prod"]).success().stdout;
    let objects = python::documents(&stream);
    assert!(!has(&objects, "RedisReplication", "cache"));
    assert!(!has(&objects, "RedisSentinel", "cache"));
    let cluster = &object(&objects, "RedisCluster", "cache")["spec"];
    assert_eq!(cluster["clusterSize"], 3);
    assert_eq!(cluster["clusterVersion"], "v7");
    assert_eq!(cluster["redisLeader"]["replicas"], 3);
    assert_eq!(
        cluster["redisFollower"]["replicas"], 6,
        "two followers per primary"
    );
    assert_eq!(
        cluster["kubernetesConfig"]["redisSecret"],
        json!({ "name": "cache-auth", "key": "password" })
    );
    // Persistence on: the operator mounts the data volume only then; and
    // each server's nodes.conf survives a move to another node.
    assert_eq!(cluster["persistenceEnabled"], true);
    assert_eq!(
        cluster["podSecurityContext"]["seccompProfile"],
        json!({ "type": "RuntimeDefault" })
    );
    assert_eq!(
        cluster["storage"]["volumeClaimTemplate"]["spec"]["storageClassName"],
        "fast"
    );
    assert_eq!(cluster["storage"]["nodeConfVolume"], true);
    for role in ["redisLeader", "redisFollower"] {
        assert_eq!(
            cluster[role]["pdb"],
            json!({ "enabled": true, "maxUnavailable": 1 })
        );
        assert_eq!(cluster[role]["nodeSelector"], json!({ "pool": "critical" }));
        // The restricted Pod Security Standard, per role (a RedisCluster
        // has no top-level container security context).
        assert_eq!(
            cluster[role]["securityContext"]["capabilities"],
            json!({ "drop": ["ALL"] })
        );
        assert_eq!(
            cluster[role]["securityContext"]["allowPrivilegeEscalation"],
            false
        );
        assert_eq!(cluster[role]["tolerations"][0]["key"], "dedicated");
    }
    // The primaries on different nodes, hard; the followers evenly spread.
    assert_eq!(
        cluster["redisLeader"]["affinity"]["podAntiAffinity"]["requiredDuringSchedulingIgnoredDuringExecution"]
            [0]["labelSelector"]["matchLabels"],
        leader_labels()
    );
    assert_eq!(
        cluster["redisFollower"]["topologySpreadConstraints"][0]["whenUnsatisfiable"],
        "DoNotSchedule"
    );
    // Clients seed from the primaries' Service.
    let web = env(&objects, "web");
    assert_eq!(web[0]["value"], "cache-leader.data.svc");
    // Every server reaches every other on 6379 and the bus, 16379; clients
    // reach both roles (a follower is a primary after a failover), on 6379.
    for (name, labels) in [
        ("cache-leader", leader_labels()),
        ("cache-follower", follower_labels()),
    ] {
        let policy = &object(&objects, "NetworkPolicy", name)["spec"];
        assert_eq!(policy["podSelector"], json!({ "matchLabels": labels }));
        let ingress = policy["ingress"].to_string();
        for peer in ["cache-leader", "cache-follower"] {
            assert!(
                policy["ingress"]
                    .as_array()
                    .into_iter()
                    .flatten()
                    .any(|rule| {
                        rule["from"][0]["podSelector"]["matchLabels"]["app"] == peer
                            && rule["ports"]
                                == json!([
                                    { "port": 6379, "protocol": "TCP" },
                                    { "port": 16379, "protocol": "TCP" },
                                ])
                    }),
                "{name} admits {peer} on 6379 and 16379: {ingress}"
            );
        }
        assert!(ingress.contains("ot-operators"), "{ingress}");
        assert!(ingress.contains("\"web\""), "{ingress}");
    }
    external::assert_valid_and_clean(platform.path());
}

#[test]
fn cluster_mistakes_are_reported_where_they_were_made() {
    let cases = [
        ("redis_cluster_two_shards", "{ shards: 2 }", "prod"),
        (
            "redis_cluster_without_replicas",
            "{ replicasPerShard: 0 }",
            "prod",
        ),
    ];
    for (name, cluster, environment) in cases {
        let base = format!("{BASE}    cluster: {cluster}\n");
        let report = rejection::rejected(
            &Platform::with(&base, &[(environment, "{}\n")]),
            environment,
        );
        snapshot_settings().bind(|| insta::assert_snapshot!(name, report));
    }
    let base = format!("{BASE}    replicas: 3\n    cluster: {{ shards: 3 }}\n");
    let report = rejection::rejected(&Platform::with(&base, &[("prod", "{}\n")]), "prod");
    assert!(
        report.contains("Redis `cache` sets both `replicas` and `cluster`"),
        "{report}"
    );
    let base = format!("{BASE}    version: 8.0.2\n    cluster: {{ shards: 3 }}\n");
    let report = rejection::rejected(&Platform::with(&base, &[("prod", "{}\n")]), "prod");
    assert!(
        report.contains("the redis-operator runs Redis Cluster 6 or 7, not `8.0.2`"),
        "{report}"
    );
    // Development may run without replicas.
    let base = format!("{BASE}    cluster: {{ replicasPerShard: 0 }}\n");
    let platform = Platform::with(&base, &[("dev", "{}\n")]);
    let stream = run(platform.path(), &["render", "dev"]).success().stdout;
    let objects = python::documents(&stream);
    assert_eq!(
        object(&objects, "RedisCluster", "cache")["spec"]["redisFollower"]["replicas"],
        0
    );
}

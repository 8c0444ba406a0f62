//! redis-operator `RedisCluster` (`redis.redis.opstreelabs.in/v1beta2`): a
//! sharded Redis. The operator runs `clusterSize` leaders (the primaries,
//! StatefulSet `<name>-leader`) and the followers (`<name>-follower`),
//! creates the cluster over them (`redis-cli --cluster create`, the 16384
//! hash slots split evenly over the leaders) and attaches the followers to
//! the leaders in turn (follower `i` replicates leader `i mod shards`).

use k8s_openapi::apimachinery::pkg::apis::meta::v1::ObjectMeta;
use serde::Serialize;
use serde_json::{Map, Value, json};

use crate::lower::operator_resource::tolerations;
use crate::model::PlatformModel;
use crate::spec::Tier;

use super::super::model::{PORT, RedisClusterModel, RedisModel};
use super::shared_spec::{
    kubernetes_config, metadata, security_contexts, server_resources, spread, storage,
};

#[derive(Debug, Serialize)]
pub(super) struct RedisCluster {
    metadata: ObjectMeta,
    spec: Value,
}

crate::custom_resource!(
    RedisCluster,
    "redis.redis.opstreelabs.in",
    "v1beta2",
    "RedisCluster",
    Namespaced,
    "redisclusters"
);

/// `nodes.conf`, where each server keeps its node id and the cluster's
/// layout: on a volume of its own (`nodeConfVolume`), so a server that
/// restarts on another node rejoins as the same node instead of as a
/// stranger holding slots nobody assigned it.
const NODE_CONF_SIZE: &str = "1Gi";

pub(super) fn cluster(
    platform: &PlatformModel,
    redis: &RedisModel,
    cluster: &RedisClusterModel,
) -> RedisCluster {
    let (pod_security, container_security) = security_contexts();
    let mut spec = Map::new();
    spec.insert("clusterSize".to_owned(), json!(cluster.shards));
    spec.insert("clusterVersion".to_owned(), json!(cluster.version));
    spec.insert("port".to_owned(), json!(PORT));
    spec.insert(
        "kubernetesConfig".to_owned(),
        kubernetes_config(redis, &redis.image, server_resources(redis)),
    );
    // The operator mounts the data volume only with `persistenceEnabled`;
    // its image then turns on the append-only file and RDB snapshots.
    spec.insert("persistenceEnabled".to_owned(), json!(true));
    let mut volumes = storage(redis);
    let mut node_conf = json!({
        "accessModes": ["ReadWriteOnce"],
        "resources": { "requests": { "storage": NODE_CONF_SIZE } },
    });
    if let Some(class) = &redis.storage_class {
        node_conf["storageClassName"] = json!(class);
    }
    volumes["nodeConfVolume"] = json!(true);
    volumes["nodeConfVolumeClaimTemplate"] = json!({ "spec": node_conf });
    spec.insert("storage".to_owned(), volumes);
    spec.insert("podSecurityContext".to_owned(), pod_security);
    if let Some(class) = &redis.priority_class {
        spec.insert("priorityClassName".to_owned(), json!(class));
    }
    let leaders = cluster.shards;
    let followers = cluster.shards * cluster.replicas_per_shard;
    spec.insert(
        "redisLeader".to_owned(),
        role(
            redis,
            &platform.tier,
            "leader",
            leaders,
            &container_security,
        ),
    );
    spec.insert(
        "redisFollower".to_owned(),
        role(
            redis,
            &platform.tier,
            "follower",
            followers,
            &container_security,
        ),
    );
    RedisCluster {
        metadata: metadata(platform, redis),
        spec: Value::Object(spec),
    }
}

/// The leaders' or followers' settings: how many, where, and their
/// disruption budget (the operator renders `<name>-<role>` with it).
fn role(
    redis: &RedisModel,
    tier: &Tier,
    role: &str,
    replicas: u32,
    security_context: &Value,
) -> Value {
    let other = if role == "leader" {
        "follower"
    } else {
        "leader"
    };
    // The primaries on different nodes (a hard rule outside development:
    // three shards need three nodes), so a node loss fails over one shard
    // at most. Followers spread evenly over the nodes, however many there
    // are per shard; each role keeps away from the other's nodes where it
    // can, since the operator pairs followers with leaders without regard
    // to nodes.
    let away = json!({
        "weight": if role == "leader" { 50 } else { 100 },
        "podAffinityTerm": {
            "labelSelector": { "matchLabels": redis.cluster_labels(other) },
            "topologyKey": "kubernetes.io/hostname",
        },
    });
    let mut value = json!({
        "replicas": replicas,
        "securityContext": security_context,
        "pdb": { "enabled": true, "maxUnavailable": 1 },
    });
    if role == "leader" {
        let mut affinity = spread(tier, redis.cluster_labels(role));
        let preferred = affinity["podAntiAffinity"]
            .as_object_mut()
            .map(|anti| {
                anti.entry("preferredDuringSchedulingIgnoredDuringExecution")
                    .or_insert_with(|| json!([]))
            })
            .and_then(Value::as_array_mut);
        if let Some(preferred) = preferred {
            preferred.push(away);
        }
        value["affinity"] = affinity;
    } else {
        value["affinity"] = json!({ "podAntiAffinity": {
            "preferredDuringSchedulingIgnoredDuringExecution": [away],
        } });
        value["topologySpreadConstraints"] = json!([{
            "maxSkew": 1,
            "topologyKey": "kubernetes.io/hostname",
            "whenUnsatisfiable": if *tier == Tier::Development { "ScheduleAnyway" } else { "DoNotSchedule" },
            "labelSelector": { "matchLabels": redis.cluster_labels(role) },
        }]);
    }
    if !redis.node_selector.is_empty() {
        value["nodeSelector"] = json!(redis.node_selector);
    }
    if !redis.tolerations.is_empty() {
        value["tolerations"] = tolerations(&redis.tolerations);
    }
    value
}

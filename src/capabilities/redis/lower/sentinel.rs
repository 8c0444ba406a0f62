//! redis-operator `RedisSentinel` (`redis.redis.opstreelabs.in/v1beta2`):
//! three sentinels watching the `RedisReplication` of the same name, which
//! promote a replica when a quorum of two agrees the primary is down. The
//! operator names their StatefulSet and Service `<name>-sentinel` and tells
//! them the primary (`SENTINEL MONITOR`) once the replication is ready.

use k8s_openapi::apimachinery::pkg::apis::meta::v1::ObjectMeta;
use serde::Serialize;
use serde_json::{Value, json};

use crate::model::PlatformModel;

use super::super::model::{PORT, RedisModel, SENTINELS};
use super::shared_spec::{common_spec, kubernetes_config, metadata};

#[derive(Debug, Serialize)]
pub(super) struct RedisSentinel {
    metadata: ObjectMeta,
    spec: Value,
}

crate::custom_resource!(
    RedisSentinel,
    "redis.redis.opstreelabs.in",
    "v1beta2",
    "RedisSentinel",
    Namespaced,
    "redissentinels"
);

pub(super) fn sentinel(platform: &PlatformModel, redis: &RedisModel) -> RedisSentinel {
    let mut spec = common_spec(redis, Some((&platform.tier, redis.sentinel_labels())));
    spec.insert("clusterSize".to_owned(), json!(SENTINELS));
    // Sentinels keep no data: small fixed requests and limits, so the pods
    // fit namespaces with quotas.
    let resources = json!({
        "requests": { "cpu": "50m", "memory": "64Mi" },
        "limits": { "cpu": "100m", "memory": "128Mi" },
    });
    // `redisSecret` makes the sentinels require the password too (clients
    // and the operator send it); `redisReplicationPassword` is what they
    // authenticate to the servers with.
    spec.insert(
        "kubernetesConfig".to_owned(),
        kubernetes_config(redis, &redis.sentinel_image, resources),
    );
    let mut config = json!({
        "redisReplicationName": redis.name,
        "masterGroupName": redis.master_name(),
        "redisPort": PORT.to_string(),
        "quorum": (SENTINELS / 2 + 1).to_string(),
    });
    if let Some((secret, key)) = &redis.password {
        config["redisReplicationPassword"] =
            json!({ "secretKeyRef": { "name": secret, "key": key } });
    }
    spec.insert("redisSentinelConfig".to_owned(), config);
    spec.insert(
        "pdb".to_owned(),
        json!({ "enabled": true, "maxUnavailable": 1 }),
    );
    RedisSentinel {
        metadata: metadata(platform, redis),
        spec: json!(spec),
    }
}

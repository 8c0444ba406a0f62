//! redis-operator `RedisReplication` (`redis.redis.opstreelabs.in/v1beta2`):
//! `clusterSize` servers, one primary and the rest replicas. The operator
//! labels the primary's pod `redis-role: master` every reconciliation (ten
//! seconds), so its Service `<name>-master` follows a failover the sentinels
//! made.

use k8s_openapi::apimachinery::pkg::apis::meta::v1::ObjectMeta;
use serde::Serialize;
use serde_json::{Value, json};

use crate::model::PlatformModel;

use super::super::model::RedisModel;
use super::shared_spec::{common_spec, kubernetes_config, metadata, server_resources, storage};

#[derive(Debug, Serialize)]
pub(super) struct RedisReplication {
    metadata: ObjectMeta,
    spec: Value,
}

crate::custom_resource!(
    RedisReplication,
    "redis.redis.opstreelabs.in",
    "v1beta2",
    "RedisReplication",
    Namespaced,
    "redisreplications"
);

pub(super) fn replication(platform: &PlatformModel, redis: &RedisModel) -> RedisReplication {
    let mut spec = common_spec(redis, Some((&platform.tier, redis.server_labels())));
    spec.insert("clusterSize".to_owned(), json!(redis.replicas));
    spec.insert(
        "kubernetesConfig".to_owned(),
        kubernetes_config(redis, &redis.image, server_resources(redis)),
    );
    spec.insert("storage".to_owned(), storage(redis));
    // A drain evicts one server at a time (`<name>-replication`).
    spec.insert(
        "pdb".to_owned(),
        json!({ "enabled": true, "maxUnavailable": 1 }),
    );
    RedisReplication {
        metadata: metadata(platform, redis),
        spec: json!(spec),
    }
}

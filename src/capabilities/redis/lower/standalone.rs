//! redis-operator `Redis` (`redis.redis.opstreelabs.in/v1beta2`): one
//! standalone server, behind the Service `<name>` the operator creates.

use k8s_openapi::apimachinery::pkg::apis::meta::v1::ObjectMeta;
use serde::Serialize;
use serde_json::{Value, json};

use crate::model::PlatformModel;

use super::super::model::RedisModel;
use super::shared_spec::{common_spec, kubernetes_config, metadata, server_resources, storage};

#[derive(Debug, Serialize)]
pub(super) struct Redis {
    metadata: ObjectMeta,
    spec: Value,
}

crate::custom_resource!(
    Redis,
    "redis.redis.opstreelabs.in",
    "v1beta2",
    "Redis",
    Namespaced,
    "redis"
);

pub(super) fn standalone(platform: &PlatformModel, redis: &RedisModel) -> Redis {
    let mut spec = common_spec(redis, None);
    spec.insert(
        "kubernetesConfig".to_owned(),
        kubernetes_config(redis, &redis.image, server_resources(redis)),
    );
    spec.insert("storage".to_owned(), storage(redis));
    Redis {
        metadata: metadata(platform, redis),
        spec: json!(spec),
    }
}

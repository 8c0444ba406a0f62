//! What the redis-operator's kinds (standalone, replication, sentinel) share:
//! their metadata, the pod's `kubernetesConfig`, the server's resources and
//! storage, and the common part of the spec.

use std::collections::BTreeMap;

use k8s_openapi::apimachinery::pkg::apis::meta::v1::ObjectMeta;
use serde_json::{Map, Value, json};

use crate::lower::operator_resource;
use crate::lower::operator_resource::{resource_amounts as amounts, tolerations};
use crate::model::PlatformModel;
use crate::spec::Tier;

use super::super::model::RedisModel;

/// Metadata of an object of `redis`: the platform's labels and the
/// component, so the operator's objects read like the workloads'. The
/// operator copies these labels onto the pods and Services it creates.
pub(super) fn metadata(platform: &PlatformModel, redis: &RedisModel) -> ObjectMeta {
    operator_resource::data_service_metadata(
        platform,
        &redis.name,
        &redis.name,
        &redis.namespace,
        "cache",
        redis.description.as_deref(),
    )
}

/// `kubernetesConfig`: the image, requests and limits, and the password's
/// Secret (`redisSecret`), which the operator passes to the container as
/// `REDIS_PASSWORD`: the image then sets `requirepass` and `masterauth`.
pub(super) fn kubernetes_config(redis: &RedisModel, image: &str, resources: Value) -> Value {
    let mut config = json!({
        "image": image,
        "imagePullPolicy": "IfNotPresent",
        "resources": resources,
    });
    if let Some((secret, key)) = &redis.password {
        config["redisSecret"] = json!({ "name": secret, "key": key });
    }
    config
}

/// The servers' requests and limits.
pub(super) fn server_resources(redis: &RedisModel) -> Value {
    json!({
        "requests": amounts(&redis.resources.requests),
        "limits": amounts(&redis.resources.limits),
    })
}

/// Each server's volume: the operator mounts it at `/data` and its image
/// turns on the append-only file and RDB snapshots (`PERSISTENCE_ENABLED`).
pub(super) fn storage(redis: &RedisModel) -> Value {
    let mut spec = json!({
        "accessModes": ["ReadWriteOnce"],
        "resources": { "requests": { "storage": redis.storage_size.as_str() } },
    });
    if let Some(class) = &redis.storage_class {
        spec["storageClassName"] = json!(class);
    }
    json!({ "volumeClaimTemplate": { "spec": spec } })
}

/// The fields every kind shares: the restricted Pod Security Standard (the
/// operator sets no security context of its own; its images run as uid 1000,
/// which owns `/data` and `/etc/redis`, and write their configuration at
/// start, so the root filesystem stays writable), and placement.
pub(super) fn common_spec(
    redis: &RedisModel,
    anti_affinity: Option<(&Tier, BTreeMap<String, String>)>,
) -> Map<String, Value> {
    let mut spec = Map::new();
    let (pod, container) = security_contexts();
    spec.insert("podSecurityContext".to_owned(), pod);
    spec.insert("securityContext".to_owned(), container);
    if !redis.node_selector.is_empty() {
        spec.insert("nodeSelector".to_owned(), json!(redis.node_selector));
    }
    if !redis.tolerations.is_empty() {
        spec.insert("tolerations".to_owned(), tolerations(&redis.tolerations));
    }
    if let Some(class) = &redis.priority_class {
        spec.insert("priorityClassName".to_owned(), json!(class));
    }
    // Pods of one set on different nodes: outside development a node loss
    // must never take the primary and a replica (or two sentinels, the
    // quorum) together, so the rule is hard.
    if let Some((tier, labels)) = anti_affinity {
        spec.insert("affinity".to_owned(), spread(tier, labels));
    }
    spec
}

/// The pods `labels` select on different nodes: a hard rule outside
/// development, a preference in it.
pub(super) fn spread(tier: &Tier, labels: BTreeMap<String, String>) -> Value {
    let term = json!({
        "labelSelector": { "matchLabels": labels },
        "topologyKey": "kubernetes.io/hostname",
    });
    let affinity = if *tier == Tier::Development {
        json!({ "preferredDuringSchedulingIgnoredDuringExecution": [
            { "weight": 100, "podAffinityTerm": term },
        ] })
    } else {
        json!({ "requiredDuringSchedulingIgnoredDuringExecution": [term] })
    };
    json!({ "podAntiAffinity": affinity })
}

/// The restricted Pod Security Standard's pod and container settings (see
/// [`common_spec`]).
pub(super) fn security_contexts() -> (Value, Value) {
    (
        json!({
            "runAsNonRoot": true,
            "runAsUser": 1000,
            "runAsGroup": 1000,
            "fsGroup": 1000,
            "seccompProfile": { "type": "RuntimeDefault" },
        }),
        json!({
            "runAsNonRoot": true,
            "allowPrivilegeEscalation": false,
            "capabilities": { "drop": ["ALL"] },
        }),
    )
}

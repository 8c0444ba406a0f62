//! MinIO Operator `Tenant` (`minio.min.io/v2`): the server pools with their
//! volumes, resources, placement and a security context that passes the
//! `restricted` Pod Security level, the buckets and users the operator
//! creates, and the root credentials' Secret.

use crate::lower::operator_resource;
use crate::lower::operator_resource::{resource_amounts as amounts, tolerations};

use k8s_openapi::apimachinery::pkg::apis::meta::v1::ObjectMeta;
use serde::Serialize;
use serde_json::{Map, Value, json};

use crate::model::PlatformModel;
use crate::spec::Tier;

use super::super::model::{MinioModel, MinioPoolModel};

#[derive(Debug, Serialize)]
pub(super) struct Tenant {
    metadata: ObjectMeta,
    spec: Value,
}

crate::custom_resource!(
    Tenant,
    "minio.min.io",
    "v2",
    "Tenant",
    Namespaced,
    "tenants"
);

/// The user and group MinIO runs as: the operator's own defaults
/// (`poolSecurityContext`), kept when the pool's context is given.
const USER: u32 = 1000;

pub(super) fn tenant(platform: &PlatformModel, tenant: &MinioModel) -> Tenant {
    let mut spec = Map::new();
    spec.insert("image".to_owned(), json!(tenant.image));
    // The root credentials, read by the operator and the pods' sidecar from
    // the Secret's `config.env`; without it the operator would not start the
    // tenant, and no default user exists.
    spec.insert(
        "configuration".to_owned(),
        json!({ "name": tenant.root_secret }),
    );
    // The operator defaults to TLS with a certificate from the cluster's CA;
    // say which, so the render tells the endpoint's scheme.
    spec.insert(
        "requestAutoCert".to_owned(),
        json!(tenant.tls && !tenant.cert_manager),
    );
    // `tls`: cert-manager's certificate instead. Of a Secret of this type
    // the operator mounts `tls.crt` and `tls.key` as the servers' own and
    // `ca.crt` among the CAs they trust, so they verify each other too.
    if tenant.cert_manager {
        spec.insert(
            "externalCertSecret".to_owned(),
            json!([{ "name": tenant.certificate_secret(), "type": "cert-manager.io/v1" }]),
        );
    }
    spec.insert(
        "pools".to_owned(),
        Value::Array(
            tenant
                .pools
                .iter()
                .map(|pool| self::pool(platform, tenant, pool))
                .collect(),
        ),
    );
    if let Some(class) = &tenant.priority_class {
        spec.insert("priorityClassName".to_owned(), json!(class));
    }
    if !tenant.buckets.is_empty() {
        spec.insert(
            "buckets".to_owned(),
            json!(
                tenant
                    .buckets
                    .iter()
                    .map(|name| json!({ "name": name }))
                    .collect::<Vec<_>>()
            ),
        );
    }
    if !tenant.users.is_empty() {
        spec.insert(
            "users".to_owned(),
            json!(
                tenant
                    .users
                    .iter()
                    .map(|name| json!({ "name": name }))
                    .collect::<Vec<_>>()
            ),
        );
    }
    // The operator's sidecar and its `validate-arguments` init container in
    // every server pod: requests and limits so the pods fit namespaces with
    // quotas. It watches a Secret and the Tenant; it is light.
    spec.insert(
        "sideCars".to_owned(),
        json!({ "resources": {
            "requests": { "cpu": "50m", "memory": "64Mi" },
            "limits": { "cpu": "250m", "memory": "256Mi" },
        } }),
    );
    Tenant {
        metadata: metadata(platform, tenant),
        spec: Value::Object(spec),
    }
}

fn pool(platform: &PlatformModel, tenant: &MinioModel, pool: &MinioPoolModel) -> Value {
    let mut claim = json!({
        "accessModes": ["ReadWriteOnce"],
        "resources": { "requests": { "storage": pool.storage_size.as_str() } },
    });
    if let Some(class) = &pool.storage_class {
        claim["storageClassName"] = json!(class);
    }
    let mut value = json!({
        "name": pool.name,
        "servers": pool.servers,
        "volumesPerServer": pool.volumes_per_server,
        // Volumes are `data0`, `data1`, … of each server.
        "volumeClaimTemplate": { "metadata": { "name": "data" }, "spec": claim },
        "resources": {
            "requests": amounts(&tenant.resources.requests),
            "limits": amounts(&tenant.resources.limits),
        },
        "affinity": anti_affinity(platform, tenant, pool),
        // The operator's defaults (non-root, user and group 1000) lack what
        // the `restricted` Pod Security level requires: a seccomp profile,
        // no privilege escalation, every capability dropped. Its container
        // context applies to MinIO, the sidecar and the init container.
        "securityContext": {
            "runAsNonRoot": true,
            "runAsUser": USER,
            "runAsGroup": USER,
            "fsGroup": USER,
            "fsGroupChangePolicy": "OnRootMismatch",
            "seccompProfile": { "type": "RuntimeDefault" },
        },
        "containerSecurityContext": {
            "runAsNonRoot": true,
            "runAsUser": USER,
            "runAsGroup": USER,
            "allowPrivilegeEscalation": false,
            "capabilities": { "drop": ["ALL"] },
            "seccompProfile": { "type": "RuntimeDefault" },
        },
    });
    if !tenant.node_selector.is_empty() {
        value["nodeSelector"] = json!(tenant.node_selector);
    }
    if !tenant.tolerations.is_empty() {
        value["tolerations"] = tolerations(&tenant.tolerations);
    }
    value
}

/// Servers of a pool on different nodes: erasure coding survives a lost
/// server only if a node loss takes one, so outside development the rule is
/// hard. The operator sets no anti-affinity of its own.
fn anti_affinity(platform: &PlatformModel, tenant: &MinioModel, pool: &MinioPoolModel) -> Value {
    let term = json!({
        "labelSelector": { "matchLabels": {
            "v1.min.io/tenant": tenant.name,
            "v1.min.io/pool": pool.name,
        } },
        "topologyKey": "kubernetes.io/hostname",
    });
    if platform.tier == Tier::Development {
        json!({ "podAntiAffinity": {
            "preferredDuringSchedulingIgnoredDuringExecution": [
                { "weight": 100, "podAffinityTerm": term },
            ],
        } })
    } else {
        json!({ "podAntiAffinity": {
            "requiredDuringSchedulingIgnoredDuringExecution": [term],
        } })
    }
}

/// The platform's labels and the component, so the tenant reads like the
/// workloads.
fn metadata(platform: &PlatformModel, tenant: &MinioModel) -> ObjectMeta {
    operator_resource::data_service_metadata(
        platform,
        &tenant.name,
        &tenant.name,
        &tenant.namespace,
        "object-storage",
        tenant.description.as_deref(),
    )
}

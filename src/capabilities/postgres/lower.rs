//! The PostgreSQL capability's lowering: per cluster a CloudNativePG
//! `Cluster`, a `Pooler` when asked for, and a `ScheduledBackup` when backups
//! are configured.

mod cluster;
mod pooler;
mod scheduled_backup;

use std::collections::BTreeMap;

use k8s_openapi::apimachinery::pkg::apis::meta::v1::ObjectMeta;
use serde_json::{Value, json};

use crate::lower::push;
use crate::model::{PlatformModel, TolerationModel, labels};
use crate::object::Manifest;
use crate::spec::ResourceAmounts;

use super::model::PostgresModel;

/// Every object of every PostgreSQL cluster.
pub fn objects(platform: &PlatformModel, manifests: &mut Vec<Manifest>) {
    for cluster in &platform.postgres {
        push(
            manifests,
            &cluster::cluster(platform, cluster),
            cluster.origin,
        );
        if let Some(pooler) = &cluster.pooler {
            push(
                manifests,
                &pooler::pooler(platform, cluster, pooler),
                cluster.origin,
            );
        }
        if let Some(backup) = &cluster.backup {
            push(
                manifests,
                &scheduled_backup::scheduled_backup(platform, cluster, backup),
                cluster.origin,
            );
        }
    }
}

/// Metadata of an object of `cluster`: the platform's labels and the
/// component, so the operator's objects read like the workloads'.
fn metadata(platform: &PlatformModel, cluster: &PostgresModel, name: String) -> ObjectMeta {
    let mut labels = labels::platform_labels(platform);
    labels.insert(labels::NAME.to_owned(), cluster.name.clone());
    labels.insert(labels::COMPONENT.to_owned(), "database".to_owned());
    ObjectMeta {
        name: Some(name),
        namespace: Some(cluster.namespace.clone()),
        labels: Some(labels),
        annotations: cluster
            .description
            .as_ref()
            .map(|d| BTreeMap::from([("description".to_owned(), d.clone())])),
        ..ObjectMeta::default()
    }
}

fn amounts(amounts: &ResourceAmounts) -> Value {
    json!({ "cpu": amounts.cpu.as_str(), "memory": amounts.memory.as_str() })
}

fn tolerations(tolerations: &[TolerationModel]) -> Value {
    Value::Array(
        tolerations
            .iter()
            .map(|t| {
                let mut toleration = json!({ "key": t.key, "effect": t.effect.as_str() });
                match &t.value {
                    Some(value) => {
                        toleration["operator"] = json!("Equal");
                        toleration["value"] = json!(value);
                    }
                    None => toleration["operator"] = json!("Exists"),
                }
                toleration
            })
            .collect(),
    )
}

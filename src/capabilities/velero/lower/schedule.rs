//! `Schedule` (`velero.io/v1`): the cron schedule and the backup template
//! Velero copies into each Backup it creates.

use k8s_openapi::apimachinery::pkg::apis::meta::v1::ObjectMeta;
use serde::Serialize;
use serde_json::{Map, Value, json};

use crate::model::{PlatformModel, labels};

use super::super::model::{POSTGRES_CLUSTER_LABEL, ScheduleModel};

#[derive(Debug, Serialize)]
pub(super) struct Schedule {
    metadata: ObjectMeta,
    spec: Value,
}

crate::custom_resource!(
    Schedule,
    "velero.io",
    "v1",
    "Schedule",
    Namespaced,
    "schedules"
);

pub(super) fn schedule(
    platform: &PlatformModel,
    namespace: &str,
    model: &ScheduleModel,
) -> Schedule {
    let mut labels = labels::platform_labels(platform);
    labels.insert(labels::COMPONENT.to_owned(), "backup".to_owned());
    let mut template = Map::new();
    template.insert("includedNamespaces".to_owned(), json!(model.namespaces));
    template.insert("ttl".to_owned(), json!(model.ttl));
    template.insert("snapshotVolumes".to_owned(), json!(model.snapshot_volumes));
    template.insert(
        "defaultVolumesToFsBackup".to_owned(),
        json!(model.file_system_backup),
    );
    let mut selector = Map::new();
    if !model.match_labels.is_empty() {
        selector.insert("matchLabels".to_owned(), json!(model.match_labels));
    }
    if model.exclude_postgres {
        // CloudNativePG backs its clusters up itself and restores them from
        // those backups; its pods and volumes are left to it.
        selector.insert(
            "matchExpressions".to_owned(),
            json!([{ "key": POSTGRES_CLUSTER_LABEL, "operator": "DoesNotExist" }]),
        );
    }
    if !selector.is_empty() {
        template.insert("labelSelector".to_owned(), Value::Object(selector));
    }
    if let Some(location) = &model.storage_location {
        template.insert("storageLocation".to_owned(), json!(location));
    }
    Schedule {
        metadata: ObjectMeta {
            name: Some(model.name.clone()),
            namespace: Some(namespace.to_owned()),
            labels: Some(labels),
            ..ObjectMeta::default()
        },
        spec: json!({
            "schedule": model.schedule,
            // Backups keep the objects they were made from when the
            // Schedule is deleted (Velero's default): retention alone
            // decides when they go.
            "useOwnerReferencesInBackup": false,
            "template": template,
        }),
    }
}

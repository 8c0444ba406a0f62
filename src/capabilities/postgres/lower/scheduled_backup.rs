//! CloudNativePG `ScheduledBackup` (`postgresql.cnpg.io/v1`): base backups on
//! a schedule, to the object store of the cluster's `backup` section. The
//! first one runs right away, so point-in-time recovery works from the start.

use k8s_openapi::apimachinery::pkg::apis::meta::v1::ObjectMeta;
use serde::Serialize;
use serde_json::{Value, json};

use crate::model::PlatformModel;

use super::super::model::{BackupModel, PostgresModel};
use super::metadata::metadata;

#[derive(Debug, Serialize)]
pub(super) struct ScheduledBackup {
    metadata: ObjectMeta,
    spec: Value,
}

crate::custom_resource!(
    ScheduledBackup,
    "postgresql.cnpg.io",
    "v1",
    "ScheduledBackup",
    Namespaced,
    "scheduledbackups"
);

pub(super) fn scheduled_backup(
    platform: &PlatformModel,
    cluster: &PostgresModel,
    backup: &BackupModel,
) -> ScheduledBackup {
    ScheduledBackup {
        metadata: metadata(platform, cluster, cluster.name.clone()),
        spec: json!({
            "schedule": backup.schedule,
            "cluster": { "name": cluster.name },
            "method": "barmanObjectStore",
            "immediate": true,
            "backupOwnerReference": "self",
        }),
    }
}

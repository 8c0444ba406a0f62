//! `VeleroModel`: the Schedules to render, every default applied.

use std::collections::BTreeMap;

use crate::source::Span;

#[derive(Debug, Clone)]
pub struct VeleroModel {
    /// Velero's namespace, where the Schedules live.
    pub namespace: String,
    pub schedules: Vec<ScheduleModel>,
}

#[derive(Debug, Clone)]
pub struct ScheduleModel {
    /// The schedule's name in the spec.
    pub name: String,
    /// Five-field cron expression.
    pub schedule: String,
    /// Retention as a Go duration (`720h0m0s`).
    pub ttl: String,
    pub namespaces: Vec<String>,
    pub snapshot_volumes: bool,
    pub file_system_backup: bool,
    pub match_labels: BTreeMap<String, String>,
    /// Leave out everything CloudNativePG labels with its cluster's name
    /// (its pods and their volumes).
    pub exclude_postgres: bool,
    pub storage_location: Option<String>,
    pub origin: Span,
}

/// The label CloudNativePG puts on the pods, volumes and Secrets of a
/// cluster, set to the cluster's name.
pub const POSTGRES_CLUSTER_LABEL: &str = "cnpg.io/cluster";

/// Velero's Schedules (`PlatformModel::parts`), when `backups.velero` is on.
pub const VELERO: crate::model::Part<VeleroModel> = crate::model::Part::new("velero");

/// Velero's Schedules, when `backups.velero` is on.
pub fn velero(platform: &crate::model::PlatformModel) -> Option<&VeleroModel> {
    VELERO.get(&platform.parts)
}

//! `backups`: Velero Schedules. Serde + schemars only.

use std::collections::BTreeMap;

use indexmap::IndexMap;
use schemars::JsonSchema;
use serde::Deserialize;

/// The key paths of this section whose values name a platform namespace,
/// renamed with the others by `cluster.namespaceTemplate`
/// (`spec::namespace_names`).
pub const NAMESPACE_PATHS: &[&str] = &["backups.velero.schedules.*.namespaces.*"];

/// Backups of the platform's Kubernetes objects and volumes.
#[derive(Debug, Clone, Default, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
pub struct BackupsSpec {
    /// Velero (velero.io), installed in the cluster with its
    /// BackupStorageLocation: one `Schedule` per entry of `schedules`.
    #[serde(default)]
    pub velero: Option<VeleroSpec>,
}

#[derive(Debug, Clone, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
pub struct VeleroSpec {
    /// `false` renders no Schedule in this environment (a cluster without
    /// Velero, such as a development cluster).
    #[serde(default)]
    pub enabled: Option<bool>,
    /// The namespace Velero runs in, where its Schedules must live. Default
    /// `velero`. Not one of the platform's namespaces.
    #[serde(default)]
    pub namespace: Option<String>,
    /// The BackupStorageLocation backups are written to, by name. Default:
    /// the location Velero marks as default.
    #[serde(default)]
    pub storage_location: Option<String>,
    /// Schedules by name. The Schedule object is `<platform>-<name>`.
    #[serde(default)]
    pub schedules: IndexMap<String, VeleroScheduleSpec>,
}

#[derive(Debug, Clone, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
pub struct VeleroScheduleSpec {
    /// `false` leaves this schedule out of this environment.
    #[serde(default)]
    pub enabled: Option<bool>,
    /// When to back up: a five-field cron expression (minute, hour, day of
    /// month, month, day of week) in the Velero server's time zone (UTC in
    /// its images), e.g. `"0 2 * * *"` for 02:00 every day.
    pub schedule: String,
    /// How long each backup is kept: `<number><unit>` with unit `m`, `h`,
    /// `d` or `w` (`30d`). Default by tier: 30d in production, 7d in
    /// staging, 3d in development.
    #[serde(default)]
    pub retention: Option<String>,
    /// The platform namespaces to back up (declared under `namespaces`).
    pub namespaces: Vec<String>,
    /// How volumes are backed up: `snapshot` (default: the cloud's or CSI
    /// driver's volume snapshots), `fileSystem` (Velero's node agent copies
    /// every pod volume's files to the storage location: for volumes without
    /// snapshot support, such as k3s's local-path) or `none` (objects only).
    #[serde(default)]
    pub volumes: Option<VolumeBackup>,
    /// Back up only objects carrying these labels (and the volumes of pods
    /// carrying them). Must select at least one pod the platform runs in
    /// `namespaces`.
    #[serde(default)]
    pub match_labels: BTreeMap<String, String>,
    /// Include the volumes and pods of PostgreSQL clusters (`postgres`),
    /// which CloudNativePG backs up itself with point-in-time recovery.
    /// Default `false`: a snapshot of a running database's volume taken
    /// without CloudNativePG's fencing is not a consistent backup, and
    /// CloudNativePG restores a cluster from its own backups, not from
    /// volumes.
    #[serde(default)]
    pub include_postgres_volumes: Option<bool>,
    /// BackupStorageLocation of this schedule's backups, instead of the
    /// Velero section's `storageLocation`.
    #[serde(default)]
    pub storage_location: Option<String>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, JsonSchema)]
#[serde(rename_all = "camelCase")]
pub enum VolumeBackup {
    Snapshot,
    FileSystem,
    None,
}

use crate::spec::{Scope, Section, SectionType};

/// `backups`: the platform's backups.
pub const BACKUPS: Section<BackupsSpec> = Section::new(Scope::Platform, "backups");

pub const SECTIONS: &[SectionType] = &[SectionType::of(
    BACKUPS,
    "Backups of the platform's objects and volumes (Velero Schedules).",
)];

/// The platform's `backups` section, if the spec sets it.
pub fn backups(spec: &crate::spec::PlatformSpec) -> Option<&BackupsSpec> {
    BACKUPS.get(&spec.sections)
}

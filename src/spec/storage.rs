//! `Storage`: a persistent volume per replica of a StatefulSet.

use schemars::JsonSchema;
use serde::Deserialize;

use super::Quantity;

#[derive(Debug, Clone, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
pub struct Storage {
    /// Size of each replica's volume, e.g. `10Gi`.
    pub size: Quantity,
    /// Where the volume is mounted in the container.
    pub mount_path: String,
    /// StorageClass of the volume. Default: the cluster's default class.
    #[serde(default)]
    pub storage_class: Option<String>,
}

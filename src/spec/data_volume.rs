//! `DataVolume`: the persistent volume of each server of a data service
//! (an instance, a node, a member): what every engine's `storage` is.

use schemars::JsonSchema;
use serde::Deserialize;

use super::Quantity;

#[derive(Debug, Clone, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
pub struct DataVolume {
    /// Size of each server's volume, e.g. `50Gi`.
    pub size: Quantity,
    /// StorageClass of the volumes. Default: the cluster's default class.
    #[serde(default)]
    pub storage_class: Option<String>,
}

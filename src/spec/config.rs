//! `Config`: a workload's configuration, rendered as a ConfigMap.

use indexmap::IndexMap;
use schemars::JsonSchema;
use serde::Deserialize;

#[derive(Debug, Clone, Default, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
pub struct Config {
    /// Variables exposed to the container as environment, each by its key
    /// (`valueFrom.configMapKeyRef`).
    #[serde(default)]
    pub env: IndexMap<String, String>,
    /// Files mounted read-only into the container under `mountPath`, by file name.
    #[serde(default)]
    pub files: IndexMap<String, String>,
    /// Directory the files are mounted at. Default `/etc/<workload>`.
    #[serde(default)]
    pub mount_path: Option<String>,
}

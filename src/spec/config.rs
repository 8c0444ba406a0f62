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
    /// More directories of files, by absolute path: each a mapping of file
    /// name to content, mounted read-only like `files`. Every file is a key
    /// of the one ConfigMap, so a name is used once across `env`, `files`
    /// and `mounts`.
    #[serde(default)]
    pub mounts: IndexMap<String, IndexMap<String, String>>,
}

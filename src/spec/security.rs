//! `Security`: pod and container security settings beyond the restricted
//! defaults (non-root, read-only root filesystem, no capabilities, seccomp
//! `RuntimeDefault`, no privilege escalation).

use schemars::JsonSchema;
use serde::Deserialize;

#[derive(Debug, Clone, Default, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
pub struct Security {
    /// User id the container runs as. Default 10001.
    #[serde(default)]
    pub run_as_user: Option<u64>,
    /// Group id the container runs as. Default: the user id.
    #[serde(default)]
    pub run_as_group: Option<u64>,
    /// Group that owns mounted volumes. Default: the group id.
    #[serde(default)]
    pub fs_group: Option<u64>,
    /// `false` makes the root filesystem writable: a visible weakening, only for
    /// images that cannot run otherwise. Default `true`.
    #[serde(default)]
    pub read_only_root_filesystem: Option<bool>,
}

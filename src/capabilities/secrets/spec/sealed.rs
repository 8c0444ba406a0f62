//! `SealedSecretSpec`: values encrypted with `kubeseal` for one cluster's Sealed
//! Secrets controller. The ciphertext is safe to commit; only the controller can
//! decrypt it. Ciphertext is bound to a cluster, so it usually lives in the
//! environment overlay, not in the base.

use indexmap::IndexMap;
use schemars::JsonSchema;
use serde::Deserialize;

#[derive(Debug, Clone, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
pub struct SealedSecretSpec {
    /// Encrypted values by key, as printed by `kubeseal --raw` (base64 text
    /// starting `Ag...`).
    pub encrypted_data: IndexMap<String, String>,
    /// What the ciphertext was sealed for (kubeseal's `--scope`). Default
    /// `strict`: this exact name and namespace.
    #[serde(default)]
    pub scope: Option<SealingScope>,
}

/// kubeseal's sealing scope.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, JsonSchema)]
#[serde(rename_all = "camelCase")]
pub enum SealingScope {
    /// Sealed for one Secret name in one namespace.
    Strict,
    /// Sealed for any name in one namespace.
    NamespaceWide,
    /// Sealed for any name in any namespace.
    ClusterWide,
}

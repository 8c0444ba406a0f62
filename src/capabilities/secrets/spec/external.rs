//! `ExternalSecretSpec`: a secret read from an external store by the External
//! Secrets Operator. The store itself (SecretStore or ClusterSecretStore) is
//! cluster infrastructure: the spec only names it.

use indexmap::IndexMap;
use schemars::JsonSchema;
use serde::Deserialize;

#[derive(Debug, Clone, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
pub struct ExternalSecretSpec {
    /// The SecretStore or ClusterSecretStore the operator reads from.
    pub store_ref: SecretStoreRef,
    /// How often the operator reads the values again, as a Go duration (`1h`,
    /// `30m`, `1h30m`; `0s` reads once). Default `1h`.
    #[serde(default)]
    pub refresh_interval: Option<String>,
    /// Keys of the Secret, each read from one remote secret.
    pub data: IndexMap<String, RemoteRef>,
}

/// Which store to read from.
#[derive(Debug, Clone, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
pub struct SecretStoreRef {
    /// Name of the store.
    pub name: String,
    /// `SecretStore` (in the workload's namespace) or `ClusterSecretStore`.
    /// Default `SecretStore`, as in the operator.
    #[serde(default)]
    pub kind: Option<SecretStoreKind>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, JsonSchema)]
pub enum SecretStoreKind {
    SecretStore,
    ClusterSecretStore,
}

impl SecretStoreKind {
    pub fn as_str(self) -> &'static str {
        match self {
            SecretStoreKind::SecretStore => "SecretStore",
            SecretStoreKind::ClusterSecretStore => "ClusterSecretStore",
        }
    }
}

/// Where one key's value lives in the external store.
#[derive(Debug, Clone, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
pub struct RemoteRef {
    /// Key (path) of the remote secret, e.g. `health-platform/postgres`.
    pub key: String,
    /// Property of the remote secret when it holds several values, e.g. `password`.
    #[serde(default)]
    pub property: Option<String>,
    /// Version of the remote secret, when the store versions them.
    #[serde(default)]
    pub version: Option<String>,
}

//! `SecretSpec`: one secret of a workload (`workloads.<name>.secrets.<secret>`):
//! where its values come from (exactly one backend, one file each below) and
//! how the container sees them (environment variables, files). Values never
//! appear in git in clear text outside development: `plain` is rejected by
//! analysis in staging and production tiers. Which of its fields may hold a
//! secret value (`spec::redaction::NON_SECRET_FIELDS`, the one place the
//! rule of what is hidden lives) is what `spec::redaction` hides.

use indexmap::IndexMap;
use schemars::JsonSchema;
use serde::Deserialize;

mod existing;
mod external;
mod sealed;
mod secret_text;

pub use existing::ExistingSecret;
pub use external::{ExternalSecretSpec, RemoteRef, SecretStoreKind, SecretStoreRef};
pub use sealed::{SealedSecretSpec, SealingScope};
pub use secret_text::SecretText;

/// A secret: one backend (`external`, `sealed`, `existing` or `plain`) and how
/// the container uses it (`env`, `mountPath`).
#[derive(Debug, Clone, Default, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
pub struct SecretSpec {
    /// Read the values from an external store (Vault, AWS Secrets Manager, ...)
    /// through the External Secrets Operator: renders an ExternalSecret.
    #[serde(default)]
    pub external: Option<ExternalSecretSpec>,
    /// Values encrypted with `kubeseal` for this cluster: renders a SealedSecret.
    #[serde(default)]
    pub sealed: Option<SealedSecretSpec>,
    /// A Secret created outside platformgen: renders nothing, only references.
    #[serde(default)]
    pub existing: Option<ExistingSecret>,
    /// Values in clear text, by key: renders a Secret. Development tier only.
    #[serde(default)]
    pub plain: Option<IndexMap<String, SecretText>>,
    /// Environment variables set from the secret: variable name to key of the
    /// secret (`valueFrom.secretKeyRef`).
    #[serde(default)]
    pub env: IndexMap<String, String>,
    /// Directory where every key of the secret is mounted read-only as a file.
    #[serde(default)]
    pub mount_path: Option<String>,
}

use crate::spec::{Scope, Section, SectionType};

/// `workloads.<name>.secrets`: a workload's secrets by name.
pub const SECRETS: Section<indexmap::IndexMap<String, SecretSpec>> =
    Section::new(Scope::Workload, "secrets");

pub const SECTIONS: &[SectionType] = &[SectionType::of(
    SECRETS,
    "Secrets by name, each from one backend and exposed as environment variables and/or files. The generated object is `<workload>-<name>`.",
)];

/// The workload's `secrets`, by name.
pub fn secrets(workload: &crate::spec::Workload) -> &indexmap::IndexMap<String, SecretSpec> {
    static NONE: std::sync::LazyLock<indexmap::IndexMap<String, SecretSpec>> =
        std::sync::LazyLock::new(indexmap::IndexMap::new);
    SECRETS.get(&workload.sections).unwrap_or(&NONE)
}

//! `Platform`: the platform's identity and target Kubernetes version.

use schemars::JsonSchema;
use serde::Deserialize;

use super::KubernetesVersion;

#[derive(Debug, Clone, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
pub struct Platform {
    /// Name of the platform, a DNS-1123 label. Becomes the
    /// `app.kubernetes.io/part-of` label of every object.
    pub name: String,
    /// Kubernetes minor version the output must be valid for, `"1.33"` to `"1.37"`.
    pub kubernetes_version: KubernetesVersion,
    /// Free text for people reading the spec.
    #[serde(default)]
    pub description: Option<String>,
}

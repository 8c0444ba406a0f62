//! `PlatformSpec`: the root of what users write. `platform.yaml` holds a complete
//! one; each `environments/<env>.yaml` holds a partial one that is merged over it
//! (see `merge`). Serde + schemars only: no Kubernetes types, no I/O.

use indexmap::IndexMap;
use schemars::JsonSchema;
use serde::Deserialize;

use super::{Ingress, Namespace, Platform, Tier, Workload};

/// A platform: its namespaces and workloads, and the settings every environment
/// shares or overrides.
#[derive(Debug, Clone, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
pub struct PlatformSpec {
    /// Identity of the platform and the Kubernetes version it targets.
    pub platform: Platform,
    /// How strict this environment is. Defaults from the environment's file name:
    /// `dev` is `development`, `staging` is `staging`, `prod` is `production`;
    /// any other environment must set it.
    #[serde(default)]
    pub tier: Option<Tier>,
    /// DNS domain of this environment. Relative hosts in `expose.host` are
    /// placed under it (`api` becomes `api.<domain>`).
    #[serde(default)]
    pub domain: Option<String>,
    /// Ingress controller and TLS settings for publicly exposed workloads.
    #[serde(default)]
    pub ingress: Ingress,
    /// Namespaces, by name. Each workload lives in one of them.
    pub namespaces: IndexMap<String, Namespace>,
    /// Workloads (services and stateful stores), by name. The name becomes the
    /// name of the Kubernetes objects made for it.
    #[serde(default)]
    pub workloads: IndexMap<String, Workload>,
}

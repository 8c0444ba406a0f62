//! `PlatformSpec`: the root of what users write. `platform.yaml` holds a complete
//! one; each `environments/<env>.yaml` holds a partial one that is merged over it
//! (see `merge`). Serde + schemars only: no Kubernetes types, no I/O.

use indexmap::IndexMap;
use schemars::JsonSchema;
use serde::Deserialize;

use super::sections::Sections;
use super::{Namespace, Network, Platform, PolicySpec, Tier, Workload};

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
    /// Values that other values use as `${name}`, set in the base and changed
    /// per environment (a Vault path prefix, an image tag, a URL). Built in:
    /// `${environment}`, `${platform}`, `${domain}`.
    #[serde(default)]
    pub parameters: IndexMap<String, String>,
    /// NetworkPolicies derived from the dependency graph, and where the
    /// Kubernetes API server is. Policies are on unless `policies: false`.
    #[serde(default)]
    pub network: Network,
    /// Namespaces, by name. Each workload lives in one of them.
    pub namespaces: IndexMap<String, Namespace>,
    /// Workloads (services and stateful stores), by name. The name becomes the
    /// name of the Kubernetes objects made for it.
    #[serde(default)]
    pub workloads: IndexMap<String, Workload>,
    /// Cloud provider of the cluster: selects the provisioners of the generated
    /// `fast-ssd` and `standard` StorageClasses and the annotations of
    /// LoadBalancer Services. Without it, no StorageClass is generated.
    #[serde(default)]
    pub cloud: Option<super::Cloud>,
    /// How this environment shares its cluster with others: its namespaces'
    /// names, and whether it owns the cluster-scoped objects.
    #[serde(default)]
    pub cluster: super::ClusterSpec,
    /// PriorityClasses by name, rendered as cluster-scoped objects. Workloads
    /// name one in `scheduling.priorityClass`.
    #[serde(default)]
    pub priority_classes: IndexMap<String, super::PriorityClassSpec>,
    /// The cluster's node pools by name (on-demand, spot, GPU). Workloads name
    /// one in `scheduling.nodePool`.
    #[serde(default)]
    pub node_pools: IndexMap<String, super::NodePool>,
    /// Policy settings of `platformgen check`: waivers and rule levels.
    #[serde(default)]
    pub policy: PolicySpec,
    /// Changes to single rendered objects, by name, for what the spec cannot
    /// say (docs/escape-hatches.md). Applied before the policy rules.
    #[serde(default)]
    pub patches: IndexMap<String, super::PatchSpec>,
    /// The sections capabilities own (`ingress`, `monitoring`, `postgres`,
    /// …), read by [`read_platform`](super::read_platform).
    #[serde(skip)]
    #[schemars(skip)]
    pub sections: Sections,
    /// The data services the sections declare, in registry then spec order.
    #[serde(skip)]
    #[schemars(skip)]
    pub data_services: Vec<DeclaredDataService>,
}

/// A data service a capability's section declares (a PostgreSQL cluster, a
/// broker): what `uses` may name besides workloads.
#[derive(Debug, Clone)]
pub struct DeclaredDataService {
    /// The section that declares it: `postgres`, `rabbitmq`, …
    pub section: &'static str,
    pub name: String,
    pub enabled: bool,
}

impl PlatformSpec {
    /// The data services of every engine by name, each with whether it is
    /// enabled: what `uses` may name besides workloads.
    pub fn data_services(&self) -> impl Iterator<Item = (&str, bool)> {
        self.data_services
            .iter()
            .map(|service| (service.name.as_str(), service.enabled))
    }

    /// The section that declares the data service `name`.
    pub fn data_service_section(&self, name: &str) -> Option<&'static str> {
        self.data_services
            .iter()
            .find(|service| service.name == name)
            .map(|service| service.section)
    }
}

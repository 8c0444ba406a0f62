//! `ArgocdModel`: how ArgoCD syncs one environment, every default applied.

pub mod addon_charts;

use std::collections::BTreeMap;

use crate::source::Span;

#[derive(Debug, Clone)]
pub struct ArgocdModel {
    /// ArgoCD's namespace, where its Applications and AppProjects live.
    pub namespace: String,
    pub repo_url: String,
    pub target_revision: String,
    /// The environment's directory in the repository: `<path>/<environment>`.
    pub path: String,
    pub destination: Destination,
    /// `None`: syncs are started by a person.
    pub automated: Option<Automated>,
    pub retry: Retry,
    /// Render the add-ons' Applications.
    pub addons: bool,
    /// Chart fields replacing an add-on's defaults, by add-on name.
    pub chart_overrides: BTreeMap<String, ChartOverride>,
    pub origin: Span,
}

/// The cluster, as registered in ArgoCD.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Destination {
    Server(String),
    Name(String),
}

/// The URL of the cluster ArgoCD runs in, as ArgoCD registers it.
pub const IN_CLUSTER: &str = "https://kubernetes.default.svc";

impl Destination {
    /// A name for the cluster fit for object names: the registered name,
    /// `in-cluster` (ArgoCD's name for the cluster it runs in), or the
    /// server's host with every other character a `-`.
    pub fn cluster_name(&self) -> String {
        match self {
            Destination::Name(name) => name.clone(),
            Destination::Server(server) if server == IN_CLUSTER => "in-cluster".to_owned(),
            Destination::Server(server) => {
                let host = server
                    .trim_start_matches("https://")
                    .split(['/', ':'])
                    .next()
                    .unwrap_or_default();
                host.chars()
                    .map(|c| {
                        if c.is_ascii_alphanumeric() {
                            c.to_ascii_lowercase()
                        } else {
                            '-'
                        }
                    })
                    .collect::<String>()
                    .trim_matches('-')
                    .to_owned()
            }
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Automated {
    pub prune: bool,
    pub self_heal: bool,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Retry {
    pub limit: u32,
    /// Go durations as ArgoCD reads them (`10s`, `3m`).
    pub duration: String,
    pub factor: u32,
    pub max_duration: String,
}

impl Default for Retry {
    /// Five retries, waiting 10s, 20s, 40s, 80s and 160s: enough for an
    /// operator installed in the same sync to register its CRDs.
    fn default() -> Self {
        Self {
            limit: 5,
            duration: "10s".to_owned(),
            factor: 2,
            max_duration: "3m".to_owned(),
        }
    }
}

#[derive(Debug, Clone, Default)]
pub struct ChartOverride {
    pub repo_url: Option<String>,
    pub chart: Option<String>,
    pub version: Option<String>,
    pub namespace: Option<String>,
    pub values: BTreeMap<String, serde_json::Value>,
}

/// How ArgoCD syncs this environment (`PlatformModel::parts`), when
/// `gitops.argocd` is on.
pub const ARGOCD: crate::model::Part<ArgocdModel> = crate::model::Part::new("argocd");

/// How ArgoCD syncs this environment, when `gitops.argocd` is on.
pub fn argocd(platform: &crate::model::PlatformModel) -> Option<&ArgocdModel> {
    ARGOCD.get(&platform.parts)
}

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
    /// An Application per open pull request instead of one for the
    /// environment.
    pub previews: Option<Previews>,
    pub origin: Span,
}

/// The fields of a pull request the ApplicationSet's pull-request generator
/// offers its template (ArgoCD `applicationset/generators/pull_request.go`)
/// that fit a spec value: the others (`branch`, `title`, `author`, `labels`)
/// may hold any text.
pub const GENERATOR_FIELDS: [&str; 6] = [
    "number",
    "head_sha",
    "head_short_sha",
    "head_short_sha_7",
    "branch_slug",
    "target_branch_slug",
];

/// The field that tells one pull request from every other, which the
/// namespaces are named after.
pub const NUMBER: &str = "number";

/// Previews of pull requests: the ApplicationSet's generator, and how each
/// preview's render differs from the environment's.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Previews {
    pub owner: String,
    pub repo: String,
    pub api: Option<String>,
    /// The token's Secret and key, in ArgoCD's namespace.
    pub token: Option<(String, String)>,
    pub labels: Vec<String>,
    pub requeue_after_seconds: u32,
    /// Spec parameter → the generator's field that sets it, by name.
    pub parameters: BTreeMap<String, String>,
    /// Where `platform.yaml` is in the repository.
    pub spec_path: String,
    /// The pull requests are those of the repository holding the spec, so a
    /// preview renders the pull request's own spec (its head commit), not
    /// the one of `targetRevision`.
    pub spec_from_pull_request: bool,
    /// The namespace names of this render are those of the preview of a
    /// pull request numbered this (the `number` parameter's value here):
    /// its `-`-separated parts equal to it vary per pull request.
    pub number_placeholder: String,
    /// `cluster.namespaceTemplate` as read (`{name}` standing for each
    /// namespace's spec name), parameters replaced.
    pub namespace_template: String,
}

impl Previews {
    /// The name of a namespace (`platform-data-pr-0`, of the spec's
    /// `platform-data`) with the parts that vary per pull request written
    /// `with` (`*` for a glob, `{{.number}}` for the generator's template).
    /// Parts of the spec's name are left alone: only those the template
    /// adds around `{name}` vary.
    pub fn varying(&self, namespace: &str, with: &str) -> String {
        let Some((prefix, suffix)) = self.namespace_template.split_once("{name}") else {
            return namespace.to_owned();
        };
        let Some(inner) = namespace
            .strip_prefix(prefix)
            .and_then(|rest| rest.strip_suffix(suffix))
        else {
            return namespace.to_owned();
        };
        let replace = |part: &str| {
            part.split('-')
                .map(|segment| {
                    if segment == self.number_placeholder {
                        with
                    } else {
                        segment
                    }
                })
                .collect::<Vec<_>>()
                .join("-")
        };
        format!("{}{inner}{}", replace(prefix), replace(suffix))
    }
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

#[cfg(test)]
mod tests {
    use super::*;

    fn previews(template: &str) -> Previews {
        Previews {
            owner: "acme".to_owned(),
            repo: "shop".to_owned(),
            api: None,
            token: None,
            labels: Vec::new(),
            requeue_after_seconds: 1800,
            parameters: BTreeMap::new(),
            spec_path: ".".to_owned(),
            spec_from_pull_request: true,
            number_placeholder: "0".to_owned(),
            namespace_template: template.to_owned(),
        }
    }

    #[test]
    fn only_the_parts_the_template_adds_vary() {
        let suffix = previews("{name}-pr-0");
        assert_eq!(suffix.varying("shop-pr-0", "*"), "shop-pr-*");
        // A `0` of the spec's name stays.
        assert_eq!(suffix.varying("v-0-pr-0", "*"), "v-0-pr-*");
        // A namespace outside the platform (Velero's) is not renamed.
        assert_eq!(suffix.varying("velero", "*"), "velero");
        let prefix = previews("pr-0-{name}");
        assert_eq!(
            prefix.varying("pr-0-shop", "{{.number}}"),
            "pr-{{.number}}-shop"
        );
    }
}

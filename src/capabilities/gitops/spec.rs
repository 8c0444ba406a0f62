//! `gitops`: how ArgoCD syncs the render. Serde + schemars only.

use std::collections::BTreeMap;

use indexmap::IndexMap;
use schemars::JsonSchema;
use serde::Deserialize;

/// How the render reaches the clusters: `platformgen argocd` renders the
/// ArgoCD objects that sync it (docs/gitops.md).
#[derive(Debug, Clone, Default, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
pub struct GitopsSpec {
    /// ArgoCD: an AppProject and an Application per environment, and the
    /// Applications of the cluster add-ons the render needs.
    #[serde(default)]
    pub argocd: Option<ArgocdSpec>,
}

#[derive(Debug, Clone, Default, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
pub struct ArgocdSpec {
    /// `false` renders no ArgoCD object for this environment.
    #[serde(default)]
    pub enabled: Option<bool>,
    /// The namespace ArgoCD runs in, where its Applications and AppProjects
    /// must live. Default `argocd`. Not one of the platform's namespaces.
    #[serde(default)]
    pub namespace: Option<String>,
    /// The git repository holding the committed render (`render --all --out`),
    /// as ArgoCD knows it: `https://…`, `ssh://…` or `git@host:path`.
    #[serde(default, rename = "repoURL")]
    pub repo_url: Option<String>,
    /// The branch, tag or commit ArgoCD syncs. Default `HEAD` (the
    /// repository's default branch).
    #[serde(default)]
    pub target_revision: Option<String>,
    /// The directory of the repository that `render --all --out` writes to;
    /// each environment's Application syncs `<path>/<environment>`. Default
    /// `deploy`.
    #[serde(default)]
    pub path: Option<String>,
    /// The cluster this environment is synced to, as registered in ArgoCD:
    /// `server` (its API URL) or `name`. Default: the cluster ArgoCD runs in,
    /// `server: https://kubernetes.default.svc`.
    #[serde(default)]
    pub destination: Option<DestinationSpec>,
    /// Automated sync. Default by tier: automated with prune and self-heal
    /// in development and staging; manual in production.
    #[serde(default)]
    pub sync: Option<SyncSpec>,
    /// Retries of a failed sync. Default: 5 retries, backing off from 10s,
    /// doubling, to at most 3m.
    #[serde(default)]
    pub retry: Option<RetrySpec>,
    /// The operators and controllers the render needs (`platformgen addons`),
    /// as ArgoCD Applications of their Helm charts.
    #[serde(default)]
    pub addons: Option<AddonsSpec>,
    /// A preview environment per open pull request: this environment is
    /// rendered once per pull request, into namespaces of its own, by an
    /// ApplicationSet with the pull-request generator instead of an
    /// Application (docs/gitops.md, "Previews of pull requests").
    #[serde(default)]
    pub previews: Option<PreviewsSpec>,
}

#[derive(Debug, Clone, Default, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
pub struct PreviewsSpec {
    /// The GitHub repository whose open pull requests get a preview.
    #[serde(default)]
    pub github: Option<GithubPullRequestsSpec>,
    /// How often ArgoCD asks GitHub for the open pull requests, in seconds.
    /// Default 1800 (ArgoCD's); a webhook makes it immediate.
    #[serde(default)]
    pub requeue_after_seconds: Option<u32>,
    /// The spec parameters each preview's render sets from its pull
    /// request, by parameter name: `number`, `head_sha`, `head_short_sha`,
    /// `head_short_sha_7`, `branch_slug`, `target_branch_slug`. One must be
    /// `number`, and `cluster.namespaceTemplate` must use it.
    #[serde(default)]
    pub parameters: IndexMap<String, String>,
    /// The directory of the repository holding `platform.yaml`, which the
    /// preview renders. Default `.`.
    #[serde(default)]
    pub spec_path: Option<String>,
}

#[derive(Debug, Clone, Default, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
pub struct GithubPullRequestsSpec {
    /// The organization or user owning the repository.
    #[serde(default)]
    pub owner: Option<String>,
    /// The repository's name.
    #[serde(default)]
    pub repo: Option<String>,
    /// GitHub Enterprise's API URL. Default GitHub's.
    #[serde(default)]
    pub api: Option<String>,
    /// The Secret, in ArgoCD's namespace, holding a token that may read the
    /// repository's pull requests. Without it ArgoCD asks anonymously,
    /// which GitHub limits to 60 requests an hour.
    #[serde(default)]
    pub token_ref: Option<SecretKeySpec>,
    /// Only pull requests carrying all these labels get a preview.
    #[serde(default)]
    pub labels: Vec<String>,
}

#[derive(Debug, Clone, Default, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
pub struct SecretKeySpec {
    /// The Secret's name.
    pub secret_name: String,
    /// The key holding the token.
    pub key: String,
}

#[derive(Debug, Clone, Default, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
pub struct DestinationSpec {
    /// The cluster's API server URL, as registered in ArgoCD
    /// (`https://kubernetes.default.svc` is the cluster ArgoCD runs in).
    #[serde(default)]
    pub server: Option<String>,
    /// The cluster's name, as registered in ArgoCD (`argocd cluster add`).
    #[serde(default)]
    pub name: Option<String>,
}

#[derive(Debug, Clone, Default, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
pub struct SyncSpec {
    /// Sync every new commit without a person pressing Sync.
    #[serde(default)]
    pub automated: Option<bool>,
    /// Delete the objects a new render no longer holds, during automated
    /// syncs. Default: on when automated, except in production. Objects
    /// holding data are never pruned outside development whatever this says
    /// (their `Prune=false` annotation).
    #[serde(default)]
    pub prune: Option<bool>,
    /// Undo changes made in the cluster by hand, during automated syncs.
    /// Default: on when automated.
    #[serde(default)]
    pub self_heal: Option<bool>,
}

#[derive(Debug, Clone, Default, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
pub struct RetrySpec {
    /// How many times a failed sync is retried (0: never).
    #[serde(default)]
    pub limit: Option<u32>,
    /// The first wait, `<number><unit>` with unit `s`, `m` or `h` (`10s`).
    #[serde(default)]
    pub duration: Option<String>,
    /// What each wait is multiplied by for the next one.
    #[serde(default)]
    pub factor: Option<u32>,
    /// The longest wait (`3m`).
    #[serde(default)]
    pub max_duration: Option<String>,
}

#[derive(Debug, Clone, Default, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
pub struct AddonsSpec {
    /// `false` renders no add-on Application (the operators are installed
    /// some other way); `platformgen addons` still lists them.
    #[serde(default)]
    pub enabled: Option<bool>,
    /// The namespace-and-chart defaults of an add-on, by its name in
    /// `platformgen addons` (`cert-manager`, `cloudnative-pg`, …), replaced
    /// field by field. Naming `loki` (`loki: {}`) installs Loki and its log
    /// agent, `alloy`, which nothing in the render needs.
    #[serde(default)]
    pub charts: IndexMap<String, ChartSpec>,
}

#[derive(Debug, Clone, Default, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
pub struct ChartSpec {
    /// The Helm repository.
    #[serde(default, rename = "repoURL")]
    pub repo_url: Option<String>,
    /// The chart's name in the repository.
    #[serde(default)]
    pub chart: Option<String>,
    /// The chart version, pinned (`1.16.2`: no range, no `latest`).
    #[serde(default)]
    pub version: Option<String>,
    /// The namespace the add-on is installed in.
    #[serde(default)]
    pub namespace: Option<String>,
    /// Helm values, over the defaults platformgen sets for the add-on.
    #[serde(default)]
    pub values: BTreeMap<String, serde_json::Value>,
}

use crate::spec::{Scope, Section, SectionType};

pub const GITOPS: Section<GitopsSpec> = Section::new(Scope::Platform, "gitops");

pub const SECTIONS: &[SectionType] = &[SectionType::of(
    GITOPS,
    "How the render is synced to the clusters: ArgoCD's AppProject and Applications (`platformgen argocd`), and the cluster add-ons.",
)];

/// The `gitops` section, if written.
pub fn gitops(spec: &crate::spec::PlatformSpec) -> Option<&GitopsSpec> {
    GITOPS.get(&spec.sections)
}

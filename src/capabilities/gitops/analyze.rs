//! The GitOps capability's analysis: checks `gitops.argocd` (the repository
//! and path ArgoCD syncs, the cluster, the sync policy, the add-on charts)
//! and resolves it, with the defaults of the environment's tier, into an
//! [`ArgocdModel`].

mod previews;

use std::collections::BTreeMap;

use crate::analyze::Context;
use crate::diagnostic::{Code, Diagnostic, suggestion};
use crate::model::PlatformModel;
use crate::spec::Tier;

use super::model::addon_charts::ADDON_CHARTS;
use super::model::{ArgocdModel, Automated, ChartOverride, Destination, IN_CLUSTER, Retry};
use super::spec::{ArgocdSpec, RetrySpec, SyncSpec};

/// ArgoCD's install namespace (its manifests and Helm chart).
const DEFAULT_NAMESPACE: &str = "argocd";
/// The directory `render --all --out` writes to in docs/ci.md.
const DEFAULT_PATH: &str = "deploy";

const ARGOCD: [&str; 2] = ["gitops", "argocd"];

fn path<'a>(tail: &[&'a str]) -> Vec<&'a str> {
    [&ARGOCD[..], tail].concat()
}

/// The capability's analysis hook.
pub fn analyze(ctx: &mut Context<'_>, model: &mut PlatformModel) {
    let spec = ctx.spec;
    let Some(argocd) = super::spec::gitops(spec).and_then(|g| g.argocd.as_ref()) else {
        return;
    };
    if argocd.enabled == Some(false) {
        return;
    }
    let errors_before = ctx.diagnostics.error_count();
    let namespace = argocd
        .namespace
        .clone()
        .unwrap_or_else(|| DEFAULT_NAMESPACE.to_owned());
    if model.namespaces.iter().any(|n| n.name == namespace) {
        let span = ctx.value(&path(&["namespace"]));
        ctx.report(
            Diagnostic::error(
                Code::InvalidArgocdDestination,
                format!("ArgoCD cannot run in the platform namespace `{namespace}`"),
            )
            .at(span, "a platform namespace")
            .with_note("the platform's Application would own ArgoCD's namespace, and its default-deny network policies would cut ArgoCD off from the API server")
            .with_help("name the namespace ArgoCD is installed in, `argocd` by default"),
        );
    }
    let repo_url = source(ctx, argocd);
    let target_revision = argocd
        .target_revision
        .clone()
        .unwrap_or_else(|| "HEAD".to_owned());
    if target_revision.is_empty() || target_revision.contains(char::is_whitespace) {
        let span = ctx.value(&path(&["targetRevision"]));
        ctx.report(
            Diagnostic::error(
                Code::InvalidGitopsSource,
                format!("invalid target revision `{target_revision}`"),
            )
            .at(span, "expected a branch, tag or commit")
            .with_help("for example `main`, or `HEAD` for the repository's default branch"),
        );
    }
    let root = argocd
        .path
        .clone()
        .unwrap_or_else(|| DEFAULT_PATH.to_owned());
    let trimmed = root.trim_end_matches('/');
    if trimmed.is_empty()
        || trimmed.starts_with('/')
        || trimmed
            .split('/')
            .any(|part| part == ".." || part.is_empty())
    {
        let span = ctx.value(&path(&["path"]));
        ctx.report(
            Diagnostic::error(
                Code::InvalidGitopsSource,
                format!("invalid render path `{root}`"),
            )
            .at(
                span,
                "expected a directory relative to the repository's root",
            )
            .with_help("the directory given to `platformgen render --all --out`, such as `deploy`"),
        );
    }
    let destination = destination(ctx, argocd);
    let automated = sync_policy(ctx, argocd.sync.as_ref(), model.tier);
    let retry = retry(ctx, argocd.retry.as_ref());
    let chart_overrides = chart_overrides(ctx, argocd);
    let previews = argocd
        .previews
        .as_ref()
        .and_then(|spec| previews::analyze(ctx, model, spec, &repo_url));
    if ctx.diagnostics.error_count() > errors_before {
        return;
    }
    super::model::ARGOCD.set(
        &mut model.parts,
        ArgocdModel {
            namespace,
            repo_url,
            target_revision,
            path: format!("{trimmed}/{}", model.environment),
            destination,
            automated,
            retry,
            addons: argocd
                .addons
                .as_ref()
                .and_then(|addons| addons.enabled)
                .unwrap_or(true),
            chart_overrides,
            previews,
            origin: ctx.key(&ARGOCD),
        },
    );
}

/// The repository URL, checked.
fn source(ctx: &mut Context<'_>, argocd: &ArgocdSpec) -> String {
    let Some(repo_url) = &argocd.repo_url else {
        let span = ctx.key(&ARGOCD);
        ctx.report(
            Diagnostic::error(
                Code::InvalidGitopsSource,
                "`gitops.argocd` has no `repoURL`",
            )
            .at(span, "ArgoCD needs the repository holding the render")
            .with_help("add `repoURL: https://github.com/<owner>/<repository>.git`"),
        );
        return String::new();
    };
    let scp_like = repo_url
        .split_once(':')
        .is_some_and(|(user_host, rest)| user_host.contains('@') && !rest.starts_with("//"));
    let url_like = ["https://", "http://", "ssh://", "git://"]
        .iter()
        .any(|scheme| {
            repo_url
                .strip_prefix(scheme)
                .is_some_and(|rest| !rest.is_empty())
        });
    if !(scp_like || url_like) || repo_url.contains(char::is_whitespace) {
        let span = ctx.value(&path(&["repoURL"]));
        ctx.report(
            Diagnostic::error(
                Code::InvalidGitopsSource,
                format!("`{repo_url}` is not a git repository URL"),
            )
            .at(span, "expected `https://…`, `ssh://…` or `git@host:path`")
            .with_help("the URL ArgoCD clones, as registered in its repositories"),
        );
    }
    repo_url.clone()
}

fn destination(ctx: &mut Context<'_>, argocd: &ArgocdSpec) -> Destination {
    let Some(spec) = &argocd.destination else {
        return Destination::Server(IN_CLUSTER.to_owned());
    };
    match (&spec.server, &spec.name) {
        (Some(server), None) => {
            if !server.starts_with("https://") || server.len() == "https://".len() {
                let span = ctx.value(&path(&["destination", "server"]));
                ctx.report(
                    Diagnostic::error(
                        Code::InvalidArgocdDestination,
                        format!("`{server}` is not a cluster API URL"),
                    )
                    .at(span, "expected `https://…`")
                    .with_help(format!(
                        "the URL the cluster is registered under in ArgoCD (`argocd cluster list`); `{IN_CLUSTER}` is the cluster ArgoCD runs in"
                    )),
                );
            }
            Destination::Server(server.clone())
        }
        (None, Some(name)) => {
            if crate::analyze::label_problem(name, 63).is_some() {
                let span = ctx.value(&path(&["destination", "name"]));
                ctx.report(
                    Diagnostic::error(
                        Code::InvalidArgocdDestination,
                        format!("invalid cluster name `{name}`"),
                    )
                    .at(span, "expected a DNS label")
                    .with_note("the add-ons' Applications of this cluster are named after it"),
                );
            }
            Destination::Name(name.clone())
        }
        (Some(_), Some(_)) | (None, None) => {
            let span = ctx.key(&path(&["destination"]));
            ctx.report(
                Diagnostic::error(
                    Code::InvalidArgocdDestination,
                    "the destination must name the cluster one way",
                )
                .at(span, "give `server` or `name`, not both")
                .with_help(format!(
                    "`server: {IN_CLUSTER}` is the cluster ArgoCD runs in"
                )),
            );
            Destination::Server(IN_CLUSTER.to_owned())
        }
    }
}

/// Automated sync, by tier unless written: development and staging sync
/// every commit, prune and heal; production waits for a person.
fn sync_policy(ctx: &mut Context<'_>, spec: Option<&SyncSpec>, tier: Tier) -> Option<Automated> {
    let written = spec.cloned().unwrap_or_default();
    let automated = written.automated.unwrap_or(tier != Tier::Production);
    if !automated {
        for (field, value) in [("prune", written.prune), ("selfHeal", written.self_heal)] {
            if value == Some(true) {
                let span = ctx.key(&path(&["sync", field]));
                ctx.report(
                    Diagnostic::error(
                        Code::InvalidSyncPolicy,
                        format!("`{field}` needs automated syncs"),
                    )
                    .at(span, "only automated syncs prune and heal")
                    .with_note(if tier == Tier::Production {
                        "syncs are manual in production unless `automated: true`"
                    } else {
                        "this environment sets `automated: false`"
                    })
                    .with_help("set `automated: true`, or remove the key"),
                );
            }
        }
        return None;
    }
    Some(Automated {
        prune: written.prune.unwrap_or(tier != Tier::Production),
        self_heal: written.self_heal.unwrap_or(true),
    })
}

fn retry(ctx: &mut Context<'_>, spec: Option<&RetrySpec>) -> Retry {
    let written = spec.cloned().unwrap_or_default();
    let defaults = Retry::default();
    let duration = written.duration.unwrap_or(defaults.duration);
    let max_duration = written.max_duration.unwrap_or(defaults.max_duration);
    let factor = written.factor.unwrap_or(defaults.factor);
    let mut lengths = Vec::new();
    for (field, text) in [("duration", &duration), ("maxDuration", &max_duration)] {
        match crate::analyze::duration_seconds(text) {
            Some(length) => lengths.push(length),
            None => {
                let span = ctx.value(&path(&["retry", field]));
                ctx.report(
                    Diagnostic::error(
                        Code::InvalidSyncPolicy,
                        format!("invalid retry duration `{text}`"),
                    )
                    .at(span, "expected a number and a unit: s, m or h")
                    .with_help("for example `10s`, or `3m`"),
                );
            }
        }
    }
    if let [first, longest] = lengths[..]
        && longest < first
    {
        let span = ctx.value(&path(&["retry", "maxDuration"]));
        ctx.report(
            Diagnostic::error(
                Code::InvalidSyncPolicy,
                format!("the longest retry wait `{max_duration}` is shorter than the first, `{duration}`"),
            )
            .at(span, "longest wait"),
        );
    }
    if factor == 0 {
        let span = ctx.value(&path(&["retry", "factor"]));
        ctx.report(
            Diagnostic::error(Code::InvalidSyncPolicy, "a retry factor of 0")
                .at(span, "expected 1 or more")
                .with_help("2 doubles each wait"),
        );
    }
    Retry {
        limit: written.limit.unwrap_or(defaults.limit),
        duration,
        factor,
        max_duration,
    }
}

fn chart_overrides(ctx: &mut Context<'_>, argocd: &ArgocdSpec) -> BTreeMap<String, ChartOverride> {
    let mut overrides = BTreeMap::new();
    let Some(addons) = &argocd.addons else {
        return overrides;
    };
    for (name, chart) in &addons.charts {
        if !ADDON_CHARTS.iter().any(|known| known.name == name) {
            let span = ctx.key(&path(&["addons", "charts", name]));
            let mut diagnostic =
                Diagnostic::error(Code::UnknownAddon, format!("unknown add-on `{name}`"))
                    .at(span, "no add-on has this name");
            if let Some(help) =
                suggestion::did_you_mean(name, ADDON_CHARTS.iter().map(|known| known.name))
            {
                diagnostic = diagnostic.with_help(help);
            }
            ctx.report(
                diagnostic
                    .with_note("`platformgen addons <env>` lists the add-ons this platform needs"),
            );
            continue;
        }
        if let Some(version) = &chart.version
            && (version.is_empty()
                || version == "latest"
                || version.contains(['*', '^', '~', '>', '<', ' ']))
        {
            let span = ctx.value(&path(&["addons", "charts", name, "version"]));
            ctx.report(
                Diagnostic::error(
                    Code::UnknownAddon,
                    format!("chart version `{version}` is not pinned"),
                )
                .at(span, "expected one exact version")
                .with_help("a version the chart repository lists, such as `1.16.2`: a range would install whatever is newest on the next sync"),
            );
        }
        overrides.insert(
            name.clone(),
            ChartOverride {
                repo_url: chart.repo_url.clone(),
                chart: chart.chart.clone(),
                version: chart.version.clone(),
                namespace: chart.namespace.clone(),
                values: chart.values.clone(),
            },
        );
    }
    overrides
}

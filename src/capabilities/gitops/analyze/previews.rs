//! `gitops.argocd.previews`, checked and resolved: the repository whose pull
//! requests get a preview, the spec parameters each preview sets from its
//! pull request, and what makes two previews' renders disjoint.

use std::collections::BTreeMap;

use crate::analyze::Context;
use crate::diagnostic::{Code, Diagnostic, suggestion};
use crate::model::PlatformModel;
use crate::spec::Tier;

use super::super::model::{GENERATOR_FIELDS, NUMBER, Previews};
use super::super::spec::PreviewsSpec;

/// ArgoCD's default interval between two polls of the pull requests.
const DEFAULT_REQUEUE_SECONDS: u32 = 1800;

fn previews_path<'a>(tail: &[&'a str]) -> Vec<&'a str> {
    [&["gitops", "argocd", "previews"][..], tail].concat()
}

/// Checks `spec` for `model`'s environment; `None` when it cannot be
/// rendered (each problem reported).
pub(super) fn analyze(
    ctx: &mut Context<'_>,
    model: &PlatformModel,
    spec: &PreviewsSpec,
    repo_url: &str,
) -> Option<Previews> {
    let errors_before = ctx.diagnostics.error_count();
    let key = ctx.key(&previews_path(&[]));
    match model.tier {
        Tier::Production => ctx.report(
            Diagnostic::error(Code::InvalidPreview, "previews of pull requests in production")
                .at(key, "a preview per pull request")
                .with_note("production serves users from what was reviewed and merged; a preview runs code that was not")
                .with_help("give the previews an environment of their own (`environments/preview.yaml`, tier development) on a cluster that is not production's"),
        ),
        Tier::Staging => ctx.report(
            Diagnostic::warning(Code::InvalidPreview, "a staging-tier preview outlives its pull request in part")
                .at(key, "deleted when its pull request closes")
                .with_note("in staging, namespaces, volume claims and databases carry `Prune=false,Delete=false`, so closing the pull request deletes the preview's Application but leaves them")
                .with_help("set `tier: development` in the preview's overlay"),
        ),
        Tier::Development => {}
    }
    let github = spec.github.clone().unwrap_or_default();
    let mut repository = Vec::new();
    for (field, value) in [("owner", &github.owner), ("repo", &github.repo)] {
        match value {
            Some(text)
                if !text.is_empty()
                    && text
                        .chars()
                        .all(|c| c.is_ascii_alphanumeric() || "-_.".contains(c)) =>
            {
                repository.push(text.clone());
            }
            Some(text) => {
                let span = ctx.value(&previews_path(&["github", field]));
                ctx.report(
                    Diagnostic::error(
                        Code::InvalidPreview,
                        format!("`{text}` is not a GitHub {field} name"),
                    )
                    .at(span, "letters, digits, `-`, `_` and `.` only")
                    .with_help("`owner: acme` and `repo: shop` for github.com/acme/shop"),
                );
            }
            None => {
                let span = if spec.github.is_some() {
                    ctx.key(&previews_path(&["github"]))
                } else {
                    key
                };
                ctx.report(
                    Diagnostic::error(
                        Code::InvalidPreview,
                        format!("the previews' repository has no `{field}`"),
                    )
                    .at(span, "whose pull requests?")
                    .with_help("add `github: { owner: <organization>, repo: <repository> }`"),
                );
            }
        }
    }
    let mut parameters = BTreeMap::new();
    for (parameter, field) in &spec.parameters {
        if !ctx.spec.parameters.contains_key(parameter) {
            let span = ctx.key(&previews_path(&["parameters", parameter]));
            let mut diagnostic = Diagnostic::error(
                Code::InvalidPreview,
                format!("`{parameter}` is not a parameter of the spec"),
            )
            .at(span, "set by each preview")
            .with_note("the environment renders with the value it declares; each preview replaces it with its pull request's");
            diagnostic = match suggestion::did_you_mean(
                parameter,
                ctx.spec.parameters.keys().map(String::as_str),
            ) {
                Some(help) => diagnostic.with_help(help),
                None => diagnostic.with_help(format!(
                    "declare it under `parameters` (`{parameter}: \"0\"`) and use it as `${{{parameter}}}`"
                )),
            };
            ctx.report(diagnostic);
        }
        if !GENERATOR_FIELDS.contains(&field.as_str()) {
            let span = ctx.value(&previews_path(&["parameters", parameter]));
            let mut diagnostic = Diagnostic::error(
                Code::InvalidPreview,
                format!("`{field}` is not a field of a pull request"),
            )
            .at(span, "set from the pull-request generator")
            .with_note(format!("one of {}", GENERATOR_FIELDS.join(", ")));
            if let Some(help) = suggestion::did_you_mean(field, GENERATOR_FIELDS) {
                diagnostic = diagnostic.with_help(help);
            }
            ctx.report(diagnostic);
        }
        parameters.insert(parameter.clone(), field.clone());
    }
    let number = parameters
        .iter()
        .find(|(_, field)| field.as_str() == NUMBER)
        .map(|(parameter, _)| parameter.clone());
    let Some(number) = number else {
        let span = if spec.parameters.is_empty() {
            key
        } else {
            ctx.key(&previews_path(&["parameters"]))
        };
        ctx.report(
            Diagnostic::error(Code::InvalidPreview, "no parameter is set to the pull request's `number`")
                .at(span, "each preview needs namespaces of its own")
                .with_help("declare `parameters: { pullRequest: \"0\" }`, set it here (`parameters: { pullRequest: number }`) and name the namespaces with it: `cluster: { namespaceTemplate: \"{name}-pr-${pullRequest}\" }`"),
        );
        return None;
    };
    let placeholder = ctx
        .spec
        .parameters
        .get(&number)
        .cloned()
        .unwrap_or_default();
    let template = ctx.spec.cluster.namespace_template.clone();
    if let Some(template) = &template {
        let around = template.replacen("{name}", "-", 1);
        if !around.split('-').any(|part| part == placeholder) {
            let span = ctx.value(&["cluster", "namespaceTemplate"]);
            ctx.report(
                Diagnostic::error(
                    Code::InvalidPreview,
                    format!("`${{{number}}}` is not a `-`-separated part of the namespace names"),
                )
                .at(span, "each preview's namespaces")
                .with_note("the preview's AppProject admits its namespaces by a pattern with `*` in place of the pull request's number")
                .with_help(format!("for example `\"{{name}}-pr-${{{number}}}\"`")),
            );
        }
    }
    // A missing template, or one not using the parameter, is reported
    // before the parameters are replaced (`preview_namespaces::check`),
    // where the template's text is seen.
    if ctx.spec.cluster.owns_cluster_objects != Some(false) {
        let span = match ctx.spec.cluster.owns_cluster_objects {
            Some(_) => ctx.value(&["cluster", "ownsClusterObjects"]),
            None => key,
        };
        ctx.report(
            Diagnostic::error(
                Code::InvalidPreview,
                "every preview would own the cluster's StorageClasses, PriorityClasses and issuers",
            )
            .at(span, "previews share the cluster's objects")
            .with_note("the Applications of two previews would claim the same cluster-scoped objects, and closing one pull request would delete them")
            .with_help("set `cluster: { ownsClusterObjects: false }` and let the environment on the same cluster own them"),
        );
    }
    let spec_path = spec.spec_path.clone().unwrap_or_else(|| ".".to_owned());
    let trimmed = spec_path.trim_end_matches('/');
    if trimmed.starts_with('/') || trimmed.split('/').any(|part| part == "..") {
        let span = ctx.value(&previews_path(&["specPath"]));
        ctx.report(
            Diagnostic::error(
                Code::InvalidPreview,
                format!("invalid spec path `{spec_path}`"),
            )
            .at(
                span,
                "expected a directory relative to the repository's root",
            )
            .with_help("the directory holding `platform.yaml`, `.` for the root"),
        );
    }
    if ctx.diagnostics.error_count() > errors_before {
        return None;
    }
    let [owner, repo] = <[String; 2]>::try_from(repository).ok()?;
    let spec_from_pull_request = same_repository(repo_url, &owner, &repo);
    Some(Previews {
        owner,
        repo,
        api: github.api,
        token: github.token_ref.map(|token| (token.secret_name, token.key)),
        labels: github.labels,
        requeue_after_seconds: spec
            .requeue_after_seconds
            .unwrap_or(DEFAULT_REQUEUE_SECONDS),
        parameters,
        spec_path: if trimmed.is_empty() {
            ".".to_owned()
        } else {
            trimmed.to_owned()
        },
        spec_from_pull_request,
        number_placeholder: placeholder,
        namespace_template: template.unwrap_or_default(),
    })
}

/// Whether `repo_url` is `github.com/<owner>/<repo>` (any scheme, with or
/// without `.git`).
fn same_repository(repo_url: &str, owner: &str, repo: &str) -> bool {
    let tail = repo_url
        .trim_end_matches('/')
        .trim_end_matches(".git")
        .to_ascii_lowercase();
    let wanted = format!("{owner}/{repo}").to_ascii_lowercase();
    tail.ends_with(&format!("github.com/{wanted}"))
        || tail.ends_with(&format!("github.com:{wanted}"))
}

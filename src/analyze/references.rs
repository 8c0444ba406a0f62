//! References between spec items: a workload's namespace and its `uses`
//! dependencies must name things that exist in this environment.

use crate::diagnostic::{Code, Diagnostic, suggestion};

use super::Context;

pub(super) fn check(ctx: &mut Context<'_>) {
    let spec = ctx.spec;
    let enabled = |name: &str| {
        spec.workloads
            .get(name)
            .is_some_and(|w| w.enabled != Some(false))
            || spec.data_services().any(|(n, on)| n == name && on)
    };
    let exists = |name: &str| {
        spec.workloads.contains_key(name) || spec.data_services().any(|(n, _)| n == name)
    };
    for (name, workload) in &spec.workloads {
        if workload.enabled == Some(false) {
            continue;
        }
        if !spec.namespaces.contains_key(&workload.namespace) {
            let span = ctx.value(&["workloads", name, "namespace"]);
            // The overlay removed a namespace the base declared: its
            // `namespace: null` is the line to change.
            if let Some(removed) = ctx.removed(&["namespaces", &workload.namespace]) {
                ctx.report(
                    Diagnostic::error(
                        Code::UnknownNamespace,
                        format!(
                            "the overlay removes namespace `{}`, but workload `{name}` is placed in it",
                            workload.namespace
                        ),
                    )
                    .at(removed.by, "removed here")
                    .with_secondary(span, format!("`{name}` is placed in it here"))
                    .with_secondary(removed.base_key, "declared here in the base")
                    .with_help(format!(
                        "keep the namespace in this environment, or disable the workload too (`{name}: {{ enabled: false }}`)"
                    )),
                );
                continue;
            }
            ctx.report(
                Diagnostic::error(
                    Code::UnknownNamespace,
                    format!("unknown namespace `{}`", workload.namespace),
                )
                .at(span, "not declared under `namespaces`")
                .with_help_opt(suggestion::did_you_mean(
                    &workload.namespace,
                    spec.namespaces.keys().map(String::as_str),
                )),
            );
        }
        for (index, dependency) in workload.uses.iter().enumerate() {
            // Looked up only for a problem: finding a span walks the spec's
            // tree, and a large spec has thousands of dependencies.
            let span =
                |ctx: &Context<'_>| ctx.value(&["workloads", name, "uses", &index.to_string()]);
            if dependency == name {
                let span = span(ctx);
                ctx.report(
                    Diagnostic::error(
                        Code::UnknownDependency,
                        format!("workload `{name}` uses itself"),
                    )
                    .at(span, "a workload needs no dependency on itself"),
                );
            } else if !exists(dependency)
                && let Some(removed) = ctx.removed(&["workloads", dependency])
            {
                let span = span(ctx);
                // The overlay removed (`dependency: null`) a workload the base
                // declared and another workload still uses.
                ctx.report(
                    Diagnostic::error(
                        Code::UnknownDependency,
                        format!(
                            "the overlay removes workload `{dependency}`, but `{name}` uses it"
                        ),
                    )
                    .at(removed.by, "removed here")
                    .with_secondary(span, "used here")
                    .with_secondary(removed.base_key, "declared here in the base")
                    .with_help(format!(
                        "also drop it from `uses` of `{name}` in this overlay, or keep the workload in this environment"
                    )),
                );
            } else if !exists(dependency) {
                let span = span(ctx);
                ctx.report(
                    Diagnostic::error(
                        Code::UnknownDependency,
                        format!("unknown dependency `{dependency}`"),
                    )
                    .at(span, "no workload or data service has this name")
                    .with_help_opt(suggestion::did_you_mean(
                        dependency,
                        spec.workloads
                            .keys()
                            .map(String::as_str)
                            .chain(spec.data_services().map(|(name, _)| name))
                            .filter(|n| enabled(n)),
                    )),
                );
            } else if let Some(kind) = spec
                .workloads
                .get(dependency)
                .and_then(|used| used.kind)
                .filter(|kind| kind.runs_to_completion())
            {
                let span = span(ctx);
                let declared_at = ctx.key(&["workloads", dependency]);
                ctx.report(
                    Diagnostic::error(
                        Code::DependencyRunsToCompletion,
                        format!(
                            "`{name}` uses `{dependency}`, a {}: nothing listens in it",
                            kind.as_str()
                        ),
                    )
                    .at(span, "not a service")
                    .with_secondary(declared_at, format!("declared here as a {}", kind.as_str()))
                    .with_help(format!(
                        "remove `{dependency}` from `uses`; if `{dependency}` calls `{name}`, list `{name}` in the `uses` of `{dependency}` instead"
                    )),
                );
            } else if !enabled(dependency) {
                let section = if spec.workloads.contains_key(dependency) {
                    "workloads"
                } else {
                    spec.data_service_section(dependency).unwrap_or("postgres")
                };
                let span = span(ctx);
                let disabled_at = ctx.value(&[section, dependency, "enabled"]);
                ctx.report(
                    Diagnostic::error(
                        Code::DisabledDependency,
                        format!(
                            "dependency `{dependency}` is disabled in environment `{}`",
                            ctx.environment
                        ),
                    )
                    .at(span, "used here")
                    .with_secondary(disabled_at, "disabled here"),
                );
            }
            if workload.uses[..index].contains(dependency) {
                let span = span(ctx);
                ctx.report(
                    Diagnostic::error(
                        Code::DuplicateName,
                        format!("`{dependency}` is listed twice in `uses`"),
                    )
                    .at(span, "listed again here"),
                );
            }
        }
    }
}

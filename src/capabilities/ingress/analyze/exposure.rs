//! Exposure (`workloads.<name>.expose`, one or a list): hosts resolve against
//! the environment's domain, no two exposures claim the same host and path
//! (within a workload or across workloads), each exposure names a port of its
//! workload and, in a list, a name of its own, and its IngressClass is one
//! the platform declares; resolved into [`ExposureModel`]s.

use std::collections::BTreeMap;

use crate::analyze::{Context, check_port_reference, label_problem};
use crate::capabilities::ingress::model::ExposureModel;
use crate::capabilities::ingress::spec::{IngressController, IngressMode};
use crate::diagnostic::{Code, Diagnostic, suggestion};
use crate::source::Span;
use crate::spec::{PlatformSpec, ServiceType, Workload};

use crate::capabilities::ingress::spec::Expose;

use super::exposure_path::ExposurePath;
use super::traffic_policy;

/// The fully qualified host of an exposure, if it can be known.
pub(super) fn full_host(spec: &PlatformSpec, expose: &Expose) -> Option<String> {
    if expose.host.contains('.') {
        Some(expose.host.trim_end_matches('.').to_owned())
    } else {
        spec.domain
            .as_ref()
            .map(|domain| format!("{}.{domain}", expose.host))
    }
}

/// Every exposure of the workloads enabled in this environment, in spec
/// order, with where it is written.
pub(super) fn enabled_exposures(spec: &PlatformSpec) -> Vec<(ExposurePath<'_>, &Expose)> {
    spec.workloads
        .iter()
        .filter(|(_, workload)| workload.enabled != Some(false))
        .flat_map(|(name, workload)| {
            crate::capabilities::ingress::spec::expose(workload)
                .into_iter()
                .flat_map(|exposures| exposures.iter())
                .map(|(index, expose)| (ExposurePath::new(name, index), expose))
        })
        .collect()
}

/// Checks across exposures: hosts and paths, and each host and path claimed
/// once.
pub(super) fn check(ctx: &mut Context<'_>) {
    let spec = ctx.spec;
    let exposures = enabled_exposures(spec);
    // Each claim keeps the index of its exposure: where a host is written is
    // looked up only for a problem to report.
    let mut claimed: BTreeMap<(String, String), (&str, usize)> = BTreeMap::new();
    let host_span = |ctx: &Context<'_>, at: &ExposurePath<'_>| ctx.value(&at.at(&["host"]));
    for (index, (at, expose)) in exposures.iter().enumerate() {
        let name = at.workload;
        let Some(host) = full_host(spec, expose) else {
            ctx.report(
                Diagnostic::error(
                    Code::MissingDomain,
                    format!(
                        "`{}` is a relative host, but environment `{}` sets no `domain`",
                        expose.host, ctx.environment
                    ),
                )
                .at(host_span(ctx, at), "relative host")
                .with_help("set `domain:` in the environment file, or write the full host name"),
            );
            continue;
        };
        if host
            .split('.')
            .any(|label| label_problem(label, 63).is_some())
            && !host.starts_with("*.")
        {
            ctx.report(
                Diagnostic::error(Code::InvalidName, format!("invalid host name `{host}`")).at(
                    host_span(ctx, at),
                    "each dot-separated part must be a lowercase DNS label",
                ),
            );
        }
        let path = expose.path.clone().unwrap_or_else(|| "/".to_owned());
        if !path.starts_with('/') {
            let span = ctx.value(&at.at(&["path"]));
            ctx.report(
                Diagnostic::error(
                    Code::InvalidValue,
                    format!("path `{path}` must start with `/`"),
                )
                .at(span, "not an absolute path"),
            );
        }
        match claimed.get(&(host.clone(), path.clone())) {
            Some((other, other_index)) => {
                let other_span = host_span(ctx, &exposures[*other_index].0);
                let (message, help) = if *other == name {
                    (
                        format!("`{host}{path}` is exposed twice by `{name}`"),
                        "give each exposure of the workload its own host or path",
                    )
                } else {
                    (
                        format!("`{host}{path}` is exposed by both `{other}` and `{name}`"),
                        "give each workload its own host or path",
                    )
                };
                ctx.report(
                    Diagnostic::error(Code::DuplicateHost, message)
                        .at(host_span(ctx, at), "exposed again here")
                        .with_secondary(other_span, "first exposed here")
                        .with_help(help),
                );
            }
            None => {
                claimed.insert((host, path), (name, index));
            }
        }
    }
}

/// The exposures of workload `name` whose host can be known (a relative host
/// without a `domain` is reported by [`check`]): each port checked against
/// the workload's, each name and IngressClass checked, each traffic policy
/// resolved. `policies` is whether network policies are rendered (the
/// controller serving an exposure must then be known).
pub(super) fn resolve(
    ctx: &mut Context<'_>,
    name: &str,
    workload: &Workload,
    policies: bool,
) -> Vec<ExposureModel> {
    let Some(exposures) = crate::capabilities::ingress::spec::expose(workload) else {
        return Vec::new();
    };
    let mut resolved = Vec::new();
    let mut names: BTreeMap<String, Span> = BTreeMap::new();
    for (index, expose) in exposures.iter() {
        let at = ExposurePath::new(name, index);
        let Some(host) = full_host(ctx.spec, expose) else {
            continue;
        };
        let port = resolve_port(ctx, &at, workload, expose);
        let object_name = resolve_name(ctx, &at, expose, &port, &mut names);
        let (class_name, controller_namespace) = resolve_class(ctx, &at, expose);
        if policies && controller_namespace.is_none() {
            let span = ctx.key(&at.at(&[]));
            ctx.report(
                Diagnostic::error(
                    Code::MissingControllerNamespace,
                    format!("`{name}` is exposed, but `ingress.controllerNamespace` is not set"),
                )
                .at(span, "the ingress controller must reach these pods")
                .with_help("set `ingress: { controllerNamespace: ingress-nginx }` (the namespace the controller runs in)")
                .with_note("network policies deny all traffic that is not declared; they admit the ingress controller by its namespace"),
            );
        }
        resolved.push(ExposureModel {
            object_name,
            host,
            path: expose.path.clone().unwrap_or_else(|| "/".to_owned()),
            port,
            class_name,
            controller_namespace,
            policy: traffic_policy::resolve(ctx, &at, expose),
            // Set by the rollouts capability's analysis.
            canary_service: None,
        });
    }
    if !resolved.is_empty() && workload.service_type == Some(ServiceType::None) {
        let span = ctx.value(&["workloads", name, "serviceType"]);
        ctx.report(
            Diagnostic::error(
                Code::InvalidValue,
                format!("workload `{name}` is exposed but has `serviceType: None`"),
            )
            .at(span, "the ingress routes to a Service"),
        );
    }
    resolved
}

/// The port an exposure routes to: as named (required in a list), else the
/// workload's first.
fn resolve_port(
    ctx: &mut Context<'_>,
    at: &ExposurePath<'_>,
    workload: &Workload,
    expose: &Expose,
) -> String {
    let name = at.workload;
    let port_names: Vec<&str> = workload.ports.keys().map(String::as_str).collect();
    if let Some(port) = &expose.port {
        let path = at.at(&["port"]);
        check_port_reference(ctx, name, &path[2..], port, &port_names);
        return port.clone();
    }
    if at.in_list() {
        let span = ctx.value(&at.at(&[]));
        ctx.report(
            Diagnostic::error(
                Code::MissingField,
                format!("an exposure in the list of `{name}` names no `port`"),
            )
            .at(span, "which port does this host route to?")
            .with_help(format!(
                "add `port: <name>`, one of the ports `{name}` declares"
            )),
        );
    } else if port_names.is_empty() {
        let span = ctx.key(&at.at(&[]));
        ctx.report(
            Diagnostic::error(
                Code::UndeclaredPort,
                format!("workload `{name}` is exposed but declares no port"),
            )
            .at(span, "exposed here")
            .with_help("declare the port traffic goes to under `ports`"),
        );
    }
    port_names.first().copied().unwrap_or_default().to_owned()
}

/// The name of an exposure's objects: the workload's for the one-exposure
/// form, `<workload>-<name>` in a list, `name` defaulting to the port's and
/// unique within the workload.
fn resolve_name(
    ctx: &mut Context<'_>,
    at: &ExposurePath<'_>,
    expose: &Expose,
    port: &str,
    names: &mut BTreeMap<String, Span>,
) -> String {
    let workload = at.workload;
    if !at.in_list() {
        if expose.name.is_some() {
            let span = ctx.key(&at.at(&["name"]));
            ctx.report(
                Diagnostic::error(
                    Code::InvalidValue,
                    "`name` names an exposure of a list; a single exposure is named after its workload",
                )
                .at(span, "a single exposure")
                .with_help("remove `name`, or write `expose` as a list (`expose: [{ ... }]`)"),
            );
        }
        return workload.to_owned();
    }
    let (name, span) = match &expose.name {
        Some(name) => {
            let span = ctx.value(&at.at(&["name"]));
            if let Some(problem) = label_problem(name, 63) {
                ctx.report(
                    Diagnostic::error(Code::InvalidName, format!("invalid exposure name `{name}`"))
                        .at(span, problem),
                );
            }
            (name.clone(), span)
        }
        None => (port.to_owned(), ctx.value(&at.at(&["port"]))),
    };
    if let Some(first) = names.get(&name) {
        let first = *first;
        ctx.report(
            Diagnostic::error(
                Code::DuplicateName,
                format!("two exposures of `{workload}` are named `{name}`"),
            )
            .at(span, "named again here")
            .with_secondary(first, "first named here")
            .with_help("an exposure is named after its port unless it sets `name`: give each its own `name`"),
        );
    } else {
        names.insert(name.clone(), span);
    }
    format!("{workload}-{name}")
}

/// The IngressClass of an exposure and the namespace its controller runs in:
/// the platform's default class, or one declared under `ingress.classes`.
fn resolve_class(
    ctx: &mut Context<'_>,
    at: &ExposurePath<'_>,
    expose: &Expose,
) -> (Option<String>, Option<String>) {
    let ingress = crate::capabilities::ingress::spec::ingress(ctx.spec);
    let default_namespace = ingress.controller_namespace.clone();
    if ingress.mode == Some(IngressMode::Gateway) {
        // Reported with the other settings the Gateway API cannot render.
        return (None, default_namespace);
    }
    let default_class = ingress.class_name.clone().unwrap_or_else(|| {
        ingress
            .controller
            .unwrap_or(IngressController::Nginx)
            .as_str()
            .to_owned()
    });
    let Some(class_name) = &expose.class_name else {
        return (Some(default_class), default_namespace);
    };
    if *class_name == default_class {
        return (Some(default_class), default_namespace);
    }
    if let Some(class) = ingress.classes.get(class_name) {
        return (
            Some(class_name.clone()),
            Some(class.controller_namespace.clone()),
        );
    }
    let span = ctx.value(&at.at(&["className"]));
    let known =
        std::iter::once(default_class.as_str()).chain(ingress.classes.keys().map(String::as_str));
    ctx.report(
        Diagnostic::error(
            Code::UnknownIngressClass,
            format!("unknown IngressClass `{class_name}`"),
        )
        .at(span, "not declared by the platform")
        .with_help(
            suggestion::did_you_mean(class_name, known).unwrap_or_else(|| {
                format!(
                    "declare it under `ingress.classes` with the namespace its controller runs in: `classes: {{ {class_name}: {{ controllerNamespace: <namespace> }} }}`"
                )
            }),
        ),
    );
    (Some(class_name.clone()), default_namespace)
}

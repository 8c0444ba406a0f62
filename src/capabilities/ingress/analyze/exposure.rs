//! Public exposure (`workloads.<name>.expose`): hosts resolve against the
//! environment's domain, no two workloads claim the same host and path, and
//! each exposure names a port of its workload; resolved into an
//! [`ExposureModel`].

use std::collections::BTreeMap;

use crate::analyze::{Context, check_port_reference, label_problem};
use crate::capabilities::ingress::model::ExposureModel;
use crate::diagnostic::{Code, Diagnostic};
use crate::source::Span;
use crate::spec::{PlatformSpec, ServiceType, Workload};

use crate::capabilities::ingress::spec::Expose;

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

pub(super) fn check(ctx: &mut Context<'_>) {
    let spec = ctx.spec;
    let mut claimed: BTreeMap<(String, String), (&str, Span)> = BTreeMap::new();
    for (name, workload) in &spec.workloads {
        let Some(expose) =
            super::super::spec::expose(workload).filter(|_| workload.enabled != Some(false))
        else {
            continue;
        };
        let host_span = ctx.value(&["workloads", name, "expose", "host"]);
        let Some(host) = full_host(spec, expose) else {
            ctx.report(
                Diagnostic::error(
                    Code::MissingDomain,
                    format!(
                        "`{}` is a relative host, but environment `{}` sets no `domain`",
                        expose.host, ctx.environment
                    ),
                )
                .at(host_span, "relative host")
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
                    host_span,
                    "each dot-separated part must be a lowercase DNS label",
                ),
            );
        }
        let path = expose.path.clone().unwrap_or_else(|| "/".to_owned());
        if !path.starts_with('/') {
            let span = ctx.value(&["workloads", name, "expose", "path"]);
            ctx.report(
                Diagnostic::error(
                    Code::InvalidValue,
                    format!("path `{path}` must start with `/`"),
                )
                .at(span, "not an absolute path"),
            );
        }
        match claimed.get(&(host.clone(), path.clone())) {
            Some((other, other_span)) => {
                let other_span = *other_span;
                ctx.report(
                    Diagnostic::error(
                        Code::DuplicateHost,
                        format!("`{host}{path}` is exposed by both `{other}` and `{name}`"),
                    )
                    .at(host_span, "exposed again here")
                    .with_secondary(other_span, "first exposed here"),
                );
            }
            None => {
                claimed.insert((host, path), (name, host_span));
            }
        }
    }
}

/// The exposure of workload `name`, if it has one whose host can be known
/// (a relative host without a `domain` is reported by [`check`]): its port
/// checked against the workload's, its traffic policy resolved.
pub(super) fn resolve(
    ctx: &mut Context<'_>,
    name: &str,
    workload: &Workload,
) -> Option<ExposureModel> {
    let expose = crate::capabilities::ingress::spec::expose(workload)?;
    let host = full_host(ctx.spec, expose)?;
    let port_names: Vec<&str> = workload.ports.keys().map(String::as_str).collect();
    let port = match &expose.port {
        Some(port) => {
            check_port_reference(ctx, name, &["expose", "port"], port, &port_names);
            port.clone()
        }
        None => {
            if port_names.is_empty() {
                let span = ctx.key(&["workloads", name, "expose"]);
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
    };
    let exposure = ExposureModel {
        host,
        path: expose.path.clone().unwrap_or_else(|| "/".to_owned()),
        port,
        policy: traffic_policy::resolve(ctx, name, expose),
        canary_service: None,
    };
    if workload.service_type == Some(ServiceType::None) {
        let span = ctx.value(&["workloads", name, "serviceType"]);
        ctx.report(
            Diagnostic::error(
                Code::InvalidValue,
                format!("workload `{name}` is exposed but has `serviceType: None`"),
            )
            .at(span, "the ingress routes to a Service"),
        );
    }
    Some(exposure)
}

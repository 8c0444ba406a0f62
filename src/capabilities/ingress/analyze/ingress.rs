//! The platform's ingress settings (`ingress`): routing mode, controller and
//! IngressClass, certificate issuer, Gateway; resolved into an
//! [`IngressModel`]. Also the checks that need them together with the
//! exposures: settings the chosen routing cannot render, wildcard hosts under
//! an HTTP-01 issuer. Reads the spec, reports, never panics on user input.

use crate::analyze::{Context, check_source_namespace, label_problem};
use crate::capabilities::ingress::model::{
    GatewayModel, IngressModel, IssuerModel, LETSENCRYPT_PRODUCTION, LETSENCRYPT_STAGING,
    RoutingModel, TlsModel,
};
use crate::capabilities::ingress::spec::{
    GeneratedIssuer, IngressController, IngressMode, Tls, TlsIssuer,
};
use crate::diagnostic::{Code, Diagnostic, suggestion};

use super::exposure::{self, enabled_exposures};
use super::exposure_path::ExposurePath;

/// The Gateway API allows 64 listeners per Gateway; one is the plain HTTP
/// listener, the others one HTTPS listener per host.
const MAX_GATEWAY_HOSTS: usize = 63;

/// Resolves `ingress`, reporting what is wrong with it. `None` after an error.
pub(super) fn resolve(ctx: &mut Context<'_>, policies: bool) -> Option<IngressModel> {
    let errors_before = ctx.diagnostics.error_count();
    let spec = ctx.spec;
    let ingress = crate::capabilities::ingress::spec::ingress(spec);
    let routing = match ingress.mode.unwrap_or(IngressMode::Ingress) {
        IngressMode::Ingress => {
            let controller = ingress.controller.unwrap_or(IngressController::Nginx);
            check_class_name(ctx, controller);
            check_classes(ctx, policies);
            RoutingModel::Ingress {
                controller,
                class_name: ingress
                    .class_name
                    .clone()
                    .unwrap_or_else(|| controller.as_str().to_owned()),
            }
        }
        IngressMode::Gateway => RoutingModel::Gateway(resolve_gateway(ctx)?),
    };
    let tls = ingress.tls.as_ref().and_then(|tls| resolve_tls(ctx, tls));
    check_exposures(ctx, &routing, tls.as_ref());
    (ctx.diagnostics.error_count() == errors_before).then_some(IngressModel { routing, tls })
}

/// An IngressClass named after the other controller is almost certainly served
/// by it: rendering the wrong controller's annotations would silently drop
/// CORS and rate limits.
fn check_class_name(ctx: &mut Context<'_>, controller: IngressController) {
    let Some(class_name) = &super::super::spec::ingress(ctx.spec).class_name else {
        return;
    };
    let Some(other) = IngressController::ALL
        .into_iter()
        .find(|other| *other != controller && other.as_str() == class_name)
    else {
        return;
    };
    let span = ctx.value(&["ingress", "className"]);
    let help = if crate::capabilities::ingress::spec::ingress(ctx.spec)
        .controller
        .is_some()
    {
        format!(
            "set `controller: {}`, or name the class of the {} controller",
            other.as_str(),
            controller.as_str()
        )
    } else {
        format!(
            "`controller` defaults to `nginx`: set `controller: {}`",
            other.as_str()
        )
    };
    ctx.report(
        Diagnostic::error(
            Code::InvalidValue,
            format!(
                "IngressClass `{class_name}` with the `{}` controller",
                controller.as_str()
            ),
        )
        .at(
            span,
            format!("the class of the `{}` controller", other.as_str()),
        )
        .with_help(help),
    );
}

/// The IngressClasses beside the default one: valid names, and controllers
/// that run outside the platform's namespaces (whose default deny would cut
/// them off), as `ingress.controllerNamespace` must.
fn check_classes(ctx: &mut Context<'_>, policies: bool) {
    let spec = ctx.spec;
    for (class_name, class) in &crate::capabilities::ingress::spec::ingress(spec).classes {
        if let Some(problem) = label_problem(class_name, 63) {
            let span = ctx.key(&["ingress", "classes", class_name]);
            ctx.report(
                Diagnostic::error(
                    Code::InvalidName,
                    format!("invalid IngressClass name `{class_name}`"),
                )
                .at(span, problem),
            );
        }
        let namespace = &class.controller_namespace;
        let path = ["ingress", "classes", class_name, "controllerNamespace"];
        if let Some(problem) = label_problem(namespace, 63) {
            let span = ctx.value(&path);
            ctx.report(
                Diagnostic::error(
                    Code::InvalidName,
                    format!("invalid namespace name `{namespace}`"),
                )
                .at(span, problem),
            );
        } else if policies {
            check_source_namespace(
                ctx,
                namespace,
                &path,
                &format!("the controller of IngressClass `{class_name}`"),
            );
        }
    }
}

fn resolve_gateway(ctx: &mut Context<'_>) -> Option<GatewayModel> {
    let spec = ctx.spec;
    let Some(gateway) = &super::super::spec::ingress(spec).gateway else {
        let span = ctx.value(&["ingress", "mode"]);
        ctx.report(
            Diagnostic::error(
                Code::MissingField,
                "`ingress.mode` is `gateway`, but `ingress.gateway` is not set",
            )
            .at(span, "needs `ingress.gateway`")
            .with_help("add `gateway: { className: <GatewayClass>, namespace: <namespace> }` under `ingress`"),
        );
        return None;
    };
    let mut valid = true;
    if !spec.namespaces.contains_key(&gateway.namespace) {
        let span = ctx.value(&["ingress", "gateway", "namespace"]);
        ctx.report(
            Diagnostic::error(
                Code::UnknownNamespace,
                format!("unknown namespace `{}`", gateway.namespace),
            )
            .at(span, "not declared under `namespaces`")
            .with_help_opt(suggestion::did_you_mean(
                &gateway.namespace,
                spec.namespaces.keys().map(String::as_str),
            )),
        );
        valid = false;
    }
    let name = gateway
        .name
        .clone()
        .unwrap_or_else(|| spec.platform.name.clone());
    for (field, value) in [
        ("name", gateway.name.as_ref()),
        ("className", Some(&gateway.class_name)),
    ] {
        if let Some(value) = value
            && let Some(problem) = label_problem(value, 63)
        {
            let span = ctx.value(&["ingress", "gateway", field]);
            ctx.report(
                Diagnostic::error(
                    Code::InvalidName,
                    format!("invalid Gateway {field} `{value}`"),
                )
                .at(span, problem),
            );
            valid = false;
        }
    }
    let exposures = enabled_exposures(spec);
    let hosts: std::collections::BTreeSet<String> = exposures
        .iter()
        .filter_map(|(_, expose)| exposure::full_host(spec, expose))
        .collect();
    if hosts.len() > MAX_GATEWAY_HOSTS {
        let span = ctx.key(&["ingress", "gateway"]);
        ctx.report(
            Diagnostic::error(
                Code::InvalidValue,
                format!(
                    "{} hosts are exposed, but a Gateway holds at most {MAX_GATEWAY_HOSTS} HTTPS listeners",
                    hosts.len()
                ),
            )
            .at(span, "one listener per host")
            .with_help("expose fewer hosts, or serve them through Ingresses (`mode: ingress`)"),
        );
        valid = false;
    }
    let mut route_namespaces: Vec<String> = exposures
        .iter()
        .map(|(at, _)| spec.workloads[at.workload].namespace.clone())
        .collect();
    route_namespaces.sort();
    route_namespaces.dedup();
    valid.then(|| GatewayModel {
        name,
        namespace: gateway.namespace.clone(),
        class_name: gateway.class_name.clone(),
        route_namespaces,
        origin: ctx.key(&["ingress", "gateway"]),
    })
}

fn resolve_tls(ctx: &mut Context<'_>, tls: &Tls) -> Option<TlsModel> {
    let platform = &ctx.spec.platform.name;
    let origin = ctx.key(&["ingress", "tls"]);
    if let Some(email) = &tls.email
        && let Some(problem) = email_problem(email)
    {
        let span = ctx.value(&["ingress", "tls", "email"]);
        ctx.report(
            Diagnostic::error(
                Code::InvalidValue,
                format!("invalid email address `{email}`"),
            )
            .at(span, problem),
        );
        return None;
    }
    let (issuer_name, generated) = match &tls.issuer {
        TlsIssuer::Existing(existing) => {
            if let Some(problem) = subdomain_problem(&existing.existing) {
                let span = ctx.value(&["ingress", "tls", "issuer", "existing"]);
                ctx.report(
                    Diagnostic::error(
                        Code::InvalidName,
                        format!("invalid ClusterIssuer name `{}`", existing.existing),
                    )
                    .at(span, problem),
                );
                return None;
            }
            (existing.existing.clone(), None)
        }
        TlsIssuer::Generated(GeneratedIssuer::SelfSigned) => (
            format!("{platform}-selfsigned"),
            Some(IssuerModel::SelfSigned),
        ),
        TlsIssuer::Generated(acme) => {
            let (suffix, server, word) = match acme {
                GeneratedIssuer::LetsencryptStaging => (
                    "letsencrypt-staging",
                    LETSENCRYPT_STAGING,
                    "letsencryptStaging",
                ),
                _ => (
                    "letsencrypt-prod",
                    LETSENCRYPT_PRODUCTION,
                    "letsencryptProduction",
                ),
            };
            let Some(email) = tls.email.clone() else {
                let span = ctx.value(&["ingress", "tls", "issuer"]);
                ctx.report(
                    Diagnostic::error(
                        Code::MissingField,
                        format!("issuer `{word}` needs `ingress.tls.email`"),
                    )
                    .at(span, "an ACME account needs a contact address")
                    .with_help("add `email: <address>` under `ingress.tls`; Let's Encrypt sends expiry notices there"),
                );
                return None;
            };
            (
                format!("{platform}-{suffix}"),
                Some(IssuerModel::Acme { server, email }),
            )
        }
    };
    Some(TlsModel {
        issuer_name,
        generated,
        origin,
    })
}

/// What the routing cannot do with an exposure's settings, and wildcard hosts
/// an HTTP-01 issuer cannot certify.
fn check_exposures(ctx: &mut Context<'_>, routing: &RoutingModel, tls: Option<&TlsModel>) {
    let spec = ctx.spec;
    for (path, expose) in enabled_exposures(spec) {
        let name = path.workload;
        let at = |field: &'static str| path.at(&[field]);
        if matches!(
            tls,
            Some(TlsModel {
                generated: Some(IssuerModel::Acme { .. }),
                ..
            })
        ) && expose.host.starts_with("*.")
        {
            let span = ctx.value(&at("host"));
            let issuer = ctx.value(&["ingress", "tls", "issuer"]);
            ctx.report(
                Diagnostic::error(
                    Code::AcmeWildcardHost,
                    format!("wildcard host `{}` cannot get a certificate over HTTP-01", expose.host),
                )
                .at(span, "wildcard host")
                .with_secondary(issuer, "this issuer answers HTTP-01 challenges only")
                .with_help("expose concrete hosts, or use `issuer: { existing: <name> }` with a DNS-01 solver"),
            );
        }
        match routing {
            RoutingModel::Gateway(_) => {
                for (field, what, set) in [
                    ("rateLimit", "rate limits", expose.rate_limit.is_some()),
                    (
                        "maxBodySize",
                        "body size limits",
                        expose.max_body_size.is_some(),
                    ),
                    // Only implementation-specific policies (Envoy Gateway's
                    // SecurityPolicy, say) filter by client address.
                    (
                        "allowSourceRanges",
                        "client address allowlists",
                        expose.allow_source_ranges.is_some(),
                    ),
                    // One Gateway serves every route; a second class would
                    // be a second Gateway.
                    (
                        "className",
                        "per-route IngressClasses",
                        expose.class_name.is_some(),
                    ),
                ] {
                    if set {
                        let span = ctx.key(&at(field));
                        let mode = ctx.value(&["ingress", "mode"]);
                        ctx.report(
                            Diagnostic::error(
                                Code::UnsupportedRouteSetting,
                                format!("the Gateway API has no {what}: `{field}` of `{name}` cannot be rendered"),
                            )
                            .at(span, "not expressible in an HTTPRoute")
                            .with_secondary(mode, "routes are HTTPRoutes in this environment")
                            .with_help(format!("remove `{field}` in this environment (`{field}: null`), or use `ingress.mode: ingress`")),
                        );
                    }
                }
                if expose.websocket.is_some() {
                    report_ignored_websocket(
                        ctx,
                        &path,
                        "the Gateway API has no idle timeouts for upgraded connections",
                    );
                }
            }
            RoutingModel::Ingress {
                controller: IngressController::Traefik,
                ..
            } => {
                if expose.websocket.is_some() {
                    report_ignored_websocket(
                        ctx,
                        &path,
                        "traefik sets these timeouts per entry point (`respondingTimeouts`), not per route",
                    );
                }
            }
            RoutingModel::Ingress { .. } => {}
        }
    }
}

fn report_ignored_websocket(ctx: &mut Context<'_>, path: &ExposurePath<'_>, why: &str) {
    let name = path.workload;
    let span = ctx.key(&path.at(&["websocket"]));
    ctx.report(
        Diagnostic::warning(
            Code::IgnoredRouteSetting,
            format!("the WebSocket timeouts of `{name}` are not rendered"),
        )
        .at(span, "timeouts ignored")
        .with_note(why.to_owned())
        .with_help(
            "WebSockets are proxied without settings; set the timeouts in the proxy's installation",
        ),
    );
}

/// Why `email` is not a plausible mail address, if it is not. Deliberately
/// loose: the ACME server has the last word; this catches a missing `@`,
/// spaces and placeholders without a domain.
fn email_problem(email: &str) -> Option<&'static str> {
    let Some((local, domain)) = email.split_once('@') else {
        return Some("an address needs an `@`");
    };
    if local.is_empty() || domain.is_empty() || domain.contains('@') {
        return Some("expected `name@domain`");
    }
    if email.chars().any(|c| c.is_whitespace() || c.is_control()) {
        return Some("an address has no spaces");
    }
    if !domain.contains('.') || domain.starts_with('.') || domain.ends_with('.') {
        return Some("the domain needs a dot, as in `example.com`");
    }
    None
}

/// Why `name` is not a DNS-1123 subdomain (the name rule of cluster-scoped
/// objects such as ClusterIssuers), if it is not.
fn subdomain_problem(name: &str) -> Option<String> {
    if name.len() > 253 {
        return Some(format!(
            "it is {} characters long; the limit is 253",
            name.len()
        ));
    }
    if let Some(bad) = name
        .chars()
        .find(|c| !(c.is_ascii_lowercase() || c.is_ascii_digit() || matches!(c, '-' | '.')))
    {
        return Some(format!(
            "`{bad}` is not allowed: use lowercase letters, digits, `-` and `.`"
        ));
    }
    name.split('.').find_map(|label| {
        if label.is_empty() {
            Some("it has an empty dot-separated part".to_owned())
        } else if label.starts_with('-') || label.ends_with('-') {
            Some("each dot-separated part must start and end with a letter or digit".to_owned())
        } else {
            None
        }
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[track_caller]
    fn email(text: &str, valid: bool) {
        assert_eq!(email_problem(text).is_none(), valid, "{text}");
    }

    #[test]
    fn email_addresses() {
        email("platform@example.com", true);
        email("ops+certs@health-platform.example.com", true);
        email("platform", false);
        email("@example.com", false);
        email("platform@", false);
        email("platform@localhost", false);
        email("a b@example.com", false);
        email("a@b@example.com", false);
    }

    #[track_caller]
    fn subdomain(text: &str, valid: bool) {
        assert_eq!(subdomain_problem(text).is_none(), valid, "{text}");
    }

    #[test]
    fn cluster_issuer_names() {
        subdomain("letsencrypt-prod", true);
        subdomain("corp.ca", true);
        subdomain("1password-ca", true);
        subdomain("Corp", false);
        subdomain("corp..ca", false);
        subdomain("corp-", false);
        subdomain("", false);
    }
}

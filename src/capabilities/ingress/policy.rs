//! PG4007 `public-host-without-tls`: every public host is served over TLS: each
//! Ingress host is listed in the Ingress's `tls`, and each HTTPRoute that serves
//! content reaches its hosts only through HTTPS listeners of its Gateways.

use serde_json::Value;

use crate::diagnostic::Code;
use crate::object::Manifest;
use crate::policy::{Context, Finding, Rule, RuleScope, TierLevels};
use crate::spec::RuleLevel::{Error, Warning};

pub static RULE: Rule = Rule {
    code: Code::PublicHostWithoutTls,
    summary: "Every public host is served over TLS (Ingress `tls`, or a Gateway HTTPS \
        listener).",
    levels: TierLevels::new(Warning, Error, Error),
    rationale: "A host reachable from the internet without TLS sends credentials, tokens and \
        personal data in clear text to anyone on the path, and lets them change what the \
        client receives. Browsers also mark such sites as insecure and refuse features (such \
        as WebAuthn) on them. Development environments are warned only, since they often run \
        behind a self-signed or no issuer.",
    fix: "Set `ingress.tls.issuer` for the environment (`letsencryptProduction`, or \
        `{ existing: <ClusterIssuer> }`): every exposed host then gets a certificate and a \
        `tls` entry. \
        With the Gateway API, attach routes to `HTTPS` listeners only, and let the `HTTP` \
        listener carry nothing but a redirect to HTTPS.",
    scope: RuleScope::Objects,
    check,
};

fn check(ctx: &Context<'_>, findings: &mut Vec<Finding>) {
    for ingress in ctx.objects("Ingress") {
        let tls_hosts: Vec<&str> = list(crate::object::path::at(&ingress.value, &["spec", "tls"]))
            .flat_map(|tls| list(tls.get("hosts")))
            .filter_map(Value::as_str)
            .collect();
        for host in list(crate::object::path::at(&ingress.value, &["spec", "rules"]))
            .filter_map(|rule| rule.get("host").and_then(Value::as_str))
        {
            if !tls_hosts.iter().any(|pattern| covers(pattern, host)) {
                findings.push(finding(ctx, ingress, host, "Ingress"));
            }
        }
    }
    for route in ctx.objects("HTTPRoute") {
        // A route that only redirects to HTTPS (the usual HTTP listener's
        // route) serves nothing in clear text.
        if !serves_content(route) {
            continue;
        }
        let listeners = attached_listeners(ctx, route);
        // A route attached only to Gateways rendered elsewhere cannot be judged.
        if listeners.is_empty() {
            continue;
        }
        let hostnames: Vec<Option<&str>> =
            match crate::object::path::at(&route.value, &["spec", "hostnames"]) {
                Some(Value::Array(names)) if !names.is_empty() => {
                    names.iter().map(Value::as_str).collect()
                }
                _ => vec![None],
            };
        for host in hostnames {
            let serves =
                |listener: &Value| match (listener.get("hostname").and_then(Value::as_str), host) {
                    (Some(pattern), Some(host)) => covers(pattern, host),
                    _ => true,
                };
            let clear = listeners
                .iter()
                .find(|l| serves(l) && protocol(l) == Some("HTTP"));
            let encrypted = listeners.iter().any(|l| serves(l) && is_tls(l));
            let host = host.unwrap_or("*");
            if let Some(listener) = clear {
                let name = listener.get("name").and_then(Value::as_str).unwrap_or("");
                findings.push(finding(
                    ctx,
                    route,
                    host,
                    &format!("HTTPRoute, through the HTTP listener `{name}`"),
                ));
            } else if !encrypted {
                findings.push(finding(
                    ctx,
                    route,
                    host,
                    "HTTPRoute: no HTTPS listener serves it",
                ));
            }
        }
    }
}

fn finding(ctx: &Context<'_>, manifest: &Manifest, host: &str, what: &str) -> Finding {
    let span = ctx.workload_field(manifest, &["expose", "host"]);
    Finding::new(
        RULE.code,
        format!("{}/{host}", manifest.identity()),
        format!("public host `{host}` of `{}` has no TLS", manifest.identity()),
        span,
        format!("served without TLS by this {what}"),
    )
    .workload(ctx.owner(manifest))
    .namespace(manifest.key.namespace.as_deref())
    .help("set `ingress.tls.issuer` for this environment (a cert-manager ClusterIssuer) so the host gets a certificate")
}

/// The listeners of rendered Gateways that `route` attaches to: the one its
/// parentRef names (`sectionName`), or all of the Gateway's.
fn attached_listeners<'a>(ctx: &Context<'a>, route: &'a Manifest) -> Vec<&'a Value> {
    let mut found = Vec::new();
    for parent in list(crate::object::path::at(
        &route.value,
        &["spec", "parentRefs"],
    )) {
        if parent
            .get("kind")
            .and_then(Value::as_str)
            .is_some_and(|k| k != "Gateway")
        {
            continue;
        }
        let name = parent.get("name").and_then(Value::as_str);
        let namespace = parent
            .get("namespace")
            .and_then(Value::as_str)
            .or(route.key.namespace.as_deref());
        let section = parent.get("sectionName").and_then(Value::as_str);
        for gateway in ctx.objects("Gateway").filter(|g| {
            Some(g.key.name.as_str()) == name && g.key.namespace.as_deref() == namespace
        }) {
            found.extend(
                list(crate::object::path::at(
                    &gateway.value,
                    &["spec", "listeners"],
                ))
                .filter(|listener| {
                    section.is_none_or(|s| listener.get("name").and_then(Value::as_str) == Some(s))
                }),
            );
        }
    }
    found
}

/// Whether some rule of `route` sends traffic to a backend, rather than only
/// redirecting it.
fn serves_content(route: &Manifest) -> bool {
    list(crate::object::path::at(&route.value, &["spec", "rules"])).any(|rule| {
        let redirects = list(rule.get("filters"))
            .any(|f| f.get("type").and_then(Value::as_str) == Some("RequestRedirect"));
        !redirects
            || rule
                .get("backendRefs")
                .is_some_and(|b| b.as_array().is_some_and(|b| !b.is_empty()))
    })
}

fn list(value: Option<&Value>) -> impl Iterator<Item = &Value> {
    value.and_then(Value::as_array).into_iter().flatten()
}

fn protocol(listener: &Value) -> Option<&str> {
    listener.get("protocol").and_then(Value::as_str)
}

fn is_tls(listener: &Value) -> bool {
    matches!(protocol(listener), Some("HTTPS" | "TLS"))
}

/// Whether a certificate or listener for `pattern` serves `host`: the same
/// name, or a wildcard one label above it (`*.example.com` serves
/// `api.example.com`, not `a.b.example.com`).
fn covers(pattern: &str, host: &str) -> bool {
    if pattern.eq_ignore_ascii_case(host) {
        return true;
    }
    match (pattern.strip_prefix("*."), host.split_once('.')) {
        (Some(parent), Some((label, rest))) => {
            !label.is_empty() && parent.eq_ignore_ascii_case(rest)
        }
        _ => false,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::policy::testing::{BASE, Fixture};
    use serde_json::{Value, json};

    #[track_caller]
    fn case(pattern: &str, host: &str, expected: bool) {
        assert_eq!(covers(pattern, host), expected, "{pattern} {host}");
    }

    #[test]
    fn wildcards_cover_one_label() {
        case("api.example.com", "api.example.com", true);
        case("API.example.com", "api.example.com", true);
        case("*.example.com", "api.example.com", true);
        case("*.example.com", "a.b.example.com", false);
        case("*.example.com", "example.com", false);
        case("web.example.com", "api.example.com", false);
    }

    fn ingress(tls: Value) -> Value {
        json!({
            "apiVersion": "networking.k8s.io/v1",
            "kind": "Ingress",
            "metadata": { "name": "extra", "namespace": "shop" },
            "spec": {
                "rules": [{ "host": "api.example.com" }],
                "tls": tls,
            },
        })
    }

    #[test]
    fn ingress_hosts_need_a_tls_entry() {
        let mut fixture = Fixture::new(BASE);
        fixture.add(ingress(json!([{ "hosts": ["*.example.com"] }])));
        assert_eq!(fixture.check(&RULE), Vec::<String>::new());
        let mut fixture = Fixture::new(BASE);
        fixture.add(ingress(json!([])));
        assert_eq!(
            fixture.check(&RULE),
            ["platform.yaml:5:3 public host `api.example.com` of `Ingress/shop/extra` has no TLS"]
        );
    }

    fn gateway(listeners: Value) -> Value {
        json!({
            "apiVersion": "gateway.networking.k8s.io/v1",
            "kind": "Gateway",
            "metadata": { "name": "public", "namespace": "shop" },
            "spec": { "listeners": listeners },
        })
    }

    fn route(name: &str, section: Option<&str>, rule: Value) -> Value {
        json!({
            "apiVersion": "gateway.networking.k8s.io/v1",
            "kind": "HTTPRoute",
            "metadata": { "name": name, "namespace": "shop" },
            "spec": {
                "hostnames": ["web.example.com"],
                "parentRefs": [{ "name": "public", "sectionName": section }],
                "rules": [rule],
            },
        })
    }

    #[track_caller]
    fn routes(listeners: Value, routes: &[Value]) -> Vec<String> {
        let mut fixture = Fixture::new(BASE);
        fixture.add(gateway(listeners));
        for route in routes {
            fixture.add(route.clone());
        }
        fixture.check(&RULE)
    }

    #[test]
    fn routes_serve_content_through_https_listeners_only() {
        let listeners = json!([
            { "name": "http", "protocol": "HTTP", "port": 80 },
            { "name": "https", "protocol": "HTTPS", "port": 443, "hostname": "*.example.com" },
        ]);
        let backend = json!({ "backendRefs": [{ "name": "web", "port": 80 }] });
        let redirect = json!({
            "filters": [{ "type": "RequestRedirect", "requestRedirect": { "scheme": "https" } }],
        });
        assert_eq!(
            routes(
                listeners.clone(),
                &[
                    route("web", Some("https"), backend.clone()),
                    route("redirect", Some("http"), redirect),
                ]
            ),
            Vec::<String>::new()
        );
        // Without `sectionName` the route attaches to the HTTP listener too.
        assert_eq!(
            routes(listeners, &[route("web", None, backend.clone())]),
            ["platform.yaml:5:3 public host `web.example.com` of `HTTPRoute/shop/web` has no TLS"]
        );
        assert_eq!(
            routes(
                json!([{ "name": "http", "protocol": "HTTP", "port": 80 }]),
                &[route("web", Some("http"), backend)]
            ),
            ["platform.yaml:5:3 public host `web.example.com` of `HTTPRoute/shop/web` has no TLS"]
        );
    }
}

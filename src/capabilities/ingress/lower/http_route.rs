//! Gateway API `HTTPRoute` (`gateway.networking.k8s.io/v1`): one per exposed
//! workload, attached to its host's listener of the platform's Gateway, with
//! the CORS filter when the exposure has a CORS policy; and, with TLS, one that
//! redirects plain HTTP to HTTPS.

use k8s_openapi::apimachinery::pkg::apis::meta::v1::ObjectMeta;
use serde::Serialize;

use super::gateway::{HTTP_LISTENER, https_listener};
use crate::capabilities::ingress::model::{CorsModel, ExposureModel, GatewayModel};
use crate::model::labels;
use crate::model::{PlatformModel, WorkloadModel};

const GROUP: &str = "gateway.networking.k8s.io";

#[derive(Debug, Serialize)]
#[serde(rename_all = "camelCase")]
pub(super) struct HttpRoute {
    metadata: ObjectMeta,
    spec: HttpRouteSpec,
}

crate::custom_resource!(
    HttpRoute,
    "gateway.networking.k8s.io",
    "v1",
    "HTTPRoute",
    Namespaced,
    "httproutes"
);

#[derive(Debug, Serialize)]
#[serde(rename_all = "camelCase")]
struct HttpRouteSpec {
    parent_refs: Vec<ParentReference>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    hostnames: Vec<String>,
    rules: Vec<Rule>,
}

/// A reference to one listener of the platform's Gateway. Shared with the
/// ClusterIssuer, whose HTTP-01 solver routes attach to the same Gateway.
#[derive(Debug, Serialize)]
#[serde(rename_all = "camelCase")]
pub(super) struct ParentReference {
    group: &'static str,
    kind: &'static str,
    name: String,
    namespace: String,
    section_name: String,
}

impl ParentReference {
    fn listener(gateway: &GatewayModel, section_name: String) -> Self {
        Self {
            group: GROUP,
            kind: "Gateway",
            name: gateway.name.clone(),
            namespace: gateway.namespace.clone(),
            section_name,
        }
    }

    /// The Gateway's plain HTTP listener.
    pub(super) fn http_listener(gateway: &GatewayModel) -> Self {
        Self::listener(gateway, HTTP_LISTENER.to_owned())
    }
}

#[derive(Debug, Default, Serialize)]
#[serde(rename_all = "camelCase")]
struct Rule {
    #[serde(skip_serializing_if = "Vec::is_empty")]
    matches: Vec<Match>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    filters: Vec<Filter>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    backend_refs: Vec<BackendRef>,
}

#[derive(Debug, Serialize)]
struct Match {
    path: PathMatch,
}

#[derive(Debug, Serialize)]
struct PathMatch {
    #[serde(rename = "type")]
    kind: &'static str,
    value: String,
}

/// One filter: `type` names the filter and exactly the matching field is set.
#[derive(Debug, Serialize)]
#[serde(rename_all = "camelCase")]
struct Filter {
    #[serde(rename = "type")]
    kind: &'static str,
    #[serde(skip_serializing_if = "Option::is_none")]
    cors: Option<Cors>,
    #[serde(skip_serializing_if = "Option::is_none")]
    request_redirect: Option<RequestRedirect>,
}

#[derive(Debug, Serialize)]
#[serde(rename_all = "camelCase")]
struct Cors {
    allow_origins: Vec<String>,
    allow_methods: Vec<&'static str>,
    allow_headers: Vec<String>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    expose_headers: Vec<String>,
    allow_credentials: bool,
    max_age: u32,
}

#[derive(Debug, Serialize)]
#[serde(rename_all = "camelCase")]
struct RequestRedirect {
    scheme: &'static str,
    status_code: u16,
}

/// HTTPRoute backends name the Service port by number: the API has no port names.
#[derive(Debug, Serialize)]
struct BackendRef {
    name: String,
    port: u16,
    /// Set only beside a canary backend: Argo Rollouts' Gateway API plugin
    /// moves the weight between the two during a rollout.
    #[serde(skip_serializing_if = "Option::is_none")]
    weight: Option<u32>,
}

/// The HTTPRoute of an exposed workload.
pub(super) fn http_route(
    platform: &PlatformModel,
    gateway: &GatewayModel,
    workload: &WorkloadModel,
    exposure: &ExposureModel,
) -> HttpRoute {
    let section_name = if crate::capabilities::ingress::model::routing(platform)
        .tls
        .is_some()
    {
        https_listener(&exposure.host)
    } else {
        HTTP_LISTENER.to_owned()
    };
    let port = workload
        .port(&exposure.port)
        .expect("analysis checked that the exposed port is declared")
        .service_port;
    let filters = exposure
        .policy
        .cors
        .as_ref()
        .map(|cors| Filter {
            kind: "CORS",
            cors: Some(cors_filter(cors)),
            request_redirect: None,
        })
        .into_iter()
        .collect();
    HttpRoute {
        metadata: ObjectMeta {
            name: Some(exposure.object_name.clone()),
            namespace: Some(workload.namespace.clone()),
            labels: Some(labels::workload_labels(platform, workload)),
            ..ObjectMeta::default()
        },
        spec: HttpRouteSpec {
            parent_refs: vec![ParentReference::listener(gateway, section_name)],
            hostnames: vec![exposure.host.clone()],
            rules: vec![Rule {
                matches: vec![Match {
                    path: PathMatch {
                        kind: "PathPrefix",
                        value: exposure.path.clone(),
                    },
                }],
                filters,
                backend_refs: backend_refs(workload, exposure, port),
            }],
        },
    }
}

/// The workload's Service, and its canary Service at weight 0 when a
/// Rollout shifts traffic here: every request goes to the stable version
/// until the Rollout sets a weight.
fn backend_refs(workload: &WorkloadModel, exposure: &ExposureModel, port: u16) -> Vec<BackendRef> {
    let stable = BackendRef {
        name: workload.name.clone(),
        port,
        weight: None,
    };
    match &exposure.canary_service {
        None => vec![stable],
        Some(canary) => vec![
            BackendRef {
                weight: Some(100),
                ..stable
            },
            BackendRef {
                name: canary.clone(),
                port,
                weight: Some(0),
            },
        ],
    }
}

fn cors_filter(cors: &CorsModel) -> Cors {
    Cors {
        allow_origins: cors.allow_origins.clone(),
        allow_methods: cors.allow_methods.iter().map(|m| m.as_str()).collect(),
        allow_headers: cors.allow_headers.clone(),
        expose_headers: cors.expose_headers.clone(),
        allow_credentials: cors.allow_credentials,
        max_age: cors.max_age_seconds,
    }
}

/// With TLS, plain HTTP only redirects to HTTPS. cert-manager's HTTP-01
/// solver routes on the same listener still win for their challenge paths:
/// they name the host, and a route naming the host takes precedence over one
/// that names none.
pub(super) fn https_redirect(platform: &PlatformModel, gateway: &GatewayModel) -> HttpRoute {
    HttpRoute {
        metadata: ObjectMeta {
            name: Some(format!("{}-https-redirect", gateway.name)),
            namespace: Some(gateway.namespace.clone()),
            labels: Some(labels::platform_labels(platform)),
            ..ObjectMeta::default()
        },
        spec: HttpRouteSpec {
            parent_refs: vec![ParentReference::http_listener(gateway)],
            hostnames: Vec::new(),
            rules: vec![Rule {
                filters: vec![Filter {
                    kind: "RequestRedirect",
                    cors: None,
                    request_redirect: Some(RequestRedirect {
                        scheme: "https",
                        status_code: 301,
                    }),
                }],
                ..Rule::default()
            }],
        },
    }
}

#[cfg(test)]
mod tests {
    use serde_json::{Value, json};

    use super::*;
    use crate::testing::platform;

    const GATEWAY: &str = "  mode: gateway\n  gateway: { className: eg, namespace: edge }\n";

    #[track_caller]
    fn case(overlay: &str, expected_spec: Value) {
        let platform = platform(overlay);
        let gateway = crate::capabilities::ingress::model::routing(&platform)
            .gateway()
            .expect("gateway mode");
        let workload = &platform.workloads[0];
        let exposure = crate::capabilities::ingress::model::exposures(workload)
            .first()
            .expect("exposed");
        let route = serde_json::to_value(http_route(&platform, gateway, workload, exposure))
            .expect("serializes");
        assert_eq!(route["metadata"]["namespace"], "shop");
        assert_eq!(route["spec"], expected_spec);
    }

    fn parent(section: &str) -> Value {
        json!([{
            "group": "gateway.networking.k8s.io",
            "kind": "Gateway",
            "name": "shop",
            "namespace": "edge",
            "sectionName": section,
        }])
    }

    #[test]
    fn routes_to_the_service_port_number() {
        case(
            &format!("ingress:\n{GATEWAY}"),
            json!({
                "parentRefs": parent("http"),
                "hostnames": ["shop.example.com"],
                "rules": [{
                    "matches": [{ "path": { "type": "PathPrefix", "value": "/" } }],
                    "backendRefs": [{ "name": "web", "port": 80 }],
                }],
            }),
        );
    }

    #[test]
    fn with_tls_attaches_to_the_hosts_https_listener_and_applies_cors() {
        case(
            &format!(
                "ingress:\n{GATEWAY}  tls: {{ issuer: selfSigned }}\n\
                 workloads:\n  web:\n    expose:\n      path: /api\n      \
                 cors: {{ allowOrigins: [app], allowMethods: [GET, POST], allowHeaders: [Content-Type], allowCredentials: true }}\n"
            ),
            json!({
                "parentRefs": parent("https-shop.example.com"),
                "hostnames": ["shop.example.com"],
                "rules": [{
                    "matches": [{ "path": { "type": "PathPrefix", "value": "/api" } }],
                    "filters": [{ "type": "CORS", "cors": {
                        "allowOrigins": ["https://app.example.com"],
                        "allowMethods": ["GET", "POST"],
                        "allowHeaders": ["Content-Type"],
                        "allowCredentials": true,
                        "maxAge": 7200,
                    }}],
                    "backendRefs": [{ "name": "web", "port": 80 }],
                }],
            }),
        );
    }

    #[test]
    fn redirect_route_sends_plain_http_to_https() {
        let platform = platform(&format!(
            "ingress:\n{GATEWAY}  tls: {{ issuer: selfSigned }}\n"
        ));
        let gateway = crate::capabilities::ingress::model::routing(&platform)
            .gateway()
            .expect("gateway mode");
        let route = serde_json::to_value(https_redirect(&platform, gateway)).expect("serializes");
        assert_eq!(route["metadata"]["name"], "shop-https-redirect");
        assert_eq!(route["metadata"]["namespace"], "edge");
        assert_eq!(
            route["spec"],
            json!({
                "parentRefs": parent("http"),
                "rules": [{ "filters": [{
                    "type": "RequestRedirect",
                    "requestRedirect": { "scheme": "https", "statusCode": 301 },
                }] }],
            })
        );
    }
}

//! Gateway API `Gateway` (`gateway.networking.k8s.io/v1`): the platform's one
//! entry point in Gateway API mode. A plain HTTP listener, and with TLS an
//! HTTPS listener per exposed host whose certificate cert-manager issues (the
//! `cert-manager.io/cluster-issuer` annotation on a Gateway makes it create a
//! Certificate per listener). A listener per host rather than one for
//! `*.<domain>`: a wildcard certificate needs a DNS-01 challenge, which the
//! generated HTTP-01 issuers cannot answer.

use std::collections::BTreeMap;

use k8s_openapi::apimachinery::pkg::apis::meta::v1::{
    LabelSelector, LabelSelectorRequirement, ObjectMeta,
};
use serde::Serialize;

use crate::capabilities::ingress::model::GatewayModel;
use crate::model::PlatformModel;
use crate::model::labels;

/// The plain HTTP listener: routes when there is no TLS; with TLS, only the
/// HTTPS redirect and cert-manager's HTTP-01 solver routes.
pub(super) const HTTP_LISTENER: &str = "http";

#[derive(Debug, Serialize)]
#[serde(rename_all = "camelCase")]
pub(super) struct Gateway {
    metadata: ObjectMeta,
    spec: GatewaySpec,
}

crate::custom_resource!(
    Gateway,
    "gateway.networking.k8s.io",
    "v1",
    "Gateway",
    Namespaced,
    "gateways"
);

#[derive(Debug, Serialize)]
#[serde(rename_all = "camelCase")]
struct GatewaySpec {
    gateway_class_name: String,
    listeners: Vec<Listener>,
}

#[derive(Debug, Serialize)]
#[serde(rename_all = "camelCase")]
struct Listener {
    name: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    hostname: Option<String>,
    port: u16,
    protocol: &'static str,
    #[serde(skip_serializing_if = "Option::is_none")]
    tls: Option<ListenerTls>,
    allowed_routes: AllowedRoutes,
}

#[derive(Debug, Serialize)]
#[serde(rename_all = "camelCase")]
struct ListenerTls {
    mode: &'static str,
    certificate_refs: Vec<SecretReference>,
}

#[derive(Debug, Serialize)]
struct SecretReference {
    kind: &'static str,
    name: String,
}

#[derive(Debug, Serialize)]
struct AllowedRoutes {
    namespaces: RouteNamespaces,
}

#[derive(Debug, Serialize)]
struct RouteNamespaces {
    from: &'static str,
    #[serde(skip_serializing_if = "Option::is_none")]
    selector: Option<LabelSelector>,
}

/// Name of the HTTPS listener for `host`. Listener names may hold dots, so the
/// host is kept readable; `*` (not allowed) becomes `wildcard`.
pub(super) fn https_listener(host: &str) -> String {
    format!("https-{}", host.replace('*', "wildcard"))
}

/// Name of the Secret holding the certificate of `host`, in the Gateway's
/// namespace (where cert-manager creates it).
pub(super) fn tls_secret(host: &str) -> String {
    format!("{}-tls", host.replace('*', "wildcard"))
}

/// Only the namespaces of exposed workloads may attach routes, by name: a
/// label any namespace owner could set would let them.
fn workload_namespaces(gateway: &GatewayModel) -> AllowedRoutes {
    AllowedRoutes {
        namespaces: RouteNamespaces {
            from: "Selector",
            selector: Some(LabelSelector {
                match_expressions: Some(vec![LabelSelectorRequirement {
                    key: "kubernetes.io/metadata.name".to_owned(),
                    operator: "In".to_owned(),
                    values: Some(gateway.route_namespaces.clone()),
                }]),
                ..LabelSelector::default()
            }),
        },
    }
}

/// The platform's Gateway; `hosts` are the exposed hosts, sorted, each once.
pub(super) fn gateway(platform: &PlatformModel, gateway: &GatewayModel, hosts: &[&str]) -> Gateway {
    let tls = crate::capabilities::ingress::model::routing(platform)
        .tls
        .as_ref();
    let http = Listener {
        name: HTTP_LISTENER.to_owned(),
        hostname: None,
        port: 80,
        protocol: "HTTP",
        tls: None,
        // With TLS, only routes of the Gateway's own namespace: the redirect
        // and the solver routes cert-manager creates beside its Certificates.
        allowed_routes: if tls.is_some() {
            AllowedRoutes {
                namespaces: RouteNamespaces {
                    from: "Same",
                    selector: None,
                },
            }
        } else {
            workload_namespaces(gateway)
        },
    };
    let https = tls.into_iter().flat_map(|_| {
        hosts.iter().map(|host| Listener {
            name: https_listener(host),
            hostname: Some((*host).to_owned()),
            port: 443,
            protocol: "HTTPS",
            tls: Some(ListenerTls {
                mode: "Terminate",
                certificate_refs: vec![SecretReference {
                    kind: "Secret",
                    name: tls_secret(host),
                }],
            }),
            allowed_routes: workload_namespaces(gateway),
        })
    });
    let annotations: BTreeMap<String, String> = tls
        .map(|tls| {
            (
                "cert-manager.io/cluster-issuer".to_owned(),
                tls.issuer_name.clone(),
            )
        })
        .into_iter()
        .collect();
    Gateway {
        metadata: ObjectMeta {
            name: Some(gateway.name.clone()),
            namespace: Some(gateway.namespace.clone()),
            labels: Some(labels::platform_labels(platform)),
            annotations: (!annotations.is_empty()).then_some(annotations),
            ..ObjectMeta::default()
        },
        spec: GatewaySpec {
            gateway_class_name: gateway.class_name.clone(),
            listeners: std::iter::once(http).chain(https).collect(),
        },
    }
}

#[cfg(test)]
mod tests {
    use serde_json::{Value, json};

    use super::*;
    use crate::testing::platform;

    const GATEWAY: &str =
        "ingress:\n  mode: gateway\n  gateway: { className: eg, namespace: edge, name: public }\n";

    #[track_caller]
    fn case(overlay: &str, hosts: &[&str], expected: Value) {
        let platform = platform(overlay);
        let model = crate::capabilities::ingress::model::routing(&platform)
            .gateway()
            .expect("gateway mode");
        let object = serde_json::to_value(gateway(&platform, model, hosts)).expect("serializes");
        assert_eq!(object["metadata"]["name"], "public");
        assert_eq!(object["metadata"]["namespace"], "edge");
        let found = json!({
            "annotations": object["metadata"]["annotations"],
            "spec": object["spec"],
        });
        assert_eq!(found, expected);
    }

    fn workload_namespaces() -> Value {
        json!({ "namespaces": { "from": "Selector", "selector": { "matchExpressions": [
            { "key": "kubernetes.io/metadata.name", "operator": "In", "values": ["shop"] },
        ] } } })
    }

    #[test]
    fn without_tls_one_http_listener_for_every_route() {
        case(
            GATEWAY,
            &["shop.example.com"],
            json!({
                "annotations": null,
                "spec": { "gatewayClassName": "eg", "listeners": [
                    { "name": "http", "port": 80, "protocol": "HTTP", "allowedRoutes": workload_namespaces() },
                ] },
            }),
        );
    }

    #[test]
    fn with_tls_an_https_listener_per_host() {
        case(
            &format!("{GATEWAY}  tls: {{ issuer: {{ existing: corp-ca }} }}\n"),
            &["*.apps.example.com", "shop.example.com"],
            json!({
                "annotations": { "cert-manager.io/cluster-issuer": "corp-ca" },
                "spec": { "gatewayClassName": "eg", "listeners": [
                    { "name": "http", "port": 80, "protocol": "HTTP",
                      "allowedRoutes": { "namespaces": { "from": "Same" } } },
                    { "name": "https-wildcard.apps.example.com", "hostname": "*.apps.example.com",
                      "port": 443, "protocol": "HTTPS",
                      "tls": { "mode": "Terminate", "certificateRefs": [
                          { "kind": "Secret", "name": "wildcard.apps.example.com-tls" },
                      ] },
                      "allowedRoutes": workload_namespaces() },
                    { "name": "https-shop.example.com", "hostname": "shop.example.com",
                      "port": 443, "protocol": "HTTPS",
                      "tls": { "mode": "Terminate", "certificateRefs": [
                          { "kind": "Secret", "name": "shop.example.com-tls" },
                      ] },
                      "allowedRoutes": workload_namespaces() },
                ] },
            }),
        );
    }
}

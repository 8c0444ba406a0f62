//! cert-manager `ClusterIssuer` (`cert-manager.io/v1`) for the issuer an
//! environment chooses: self-signed, or Let's Encrypt over ACME with an
//! HTTP-01 solver that answers through the platform's own routing (the
//! IngressClass, or the Gateway's plain HTTP listener).

use k8s_openapi::apimachinery::pkg::apis::meta::v1::ObjectMeta;
use serde::Serialize;

use super::http_route::ParentReference;
use crate::capabilities::ingress::model::{IssuerModel, RoutingModel, TlsModel};
use crate::model::PlatformModel;
use crate::model::labels;

#[derive(Debug, Serialize)]
#[serde(rename_all = "camelCase")]
pub(super) struct ClusterIssuer {
    metadata: ObjectMeta,
    spec: ClusterIssuerSpec,
}

crate::custom_resource!(
    ClusterIssuer,
    "cert-manager.io",
    "v1",
    "ClusterIssuer",
    Cluster,
    "clusterissuers"
);

#[derive(Debug, Serialize)]
#[serde(rename_all = "camelCase")]
struct ClusterIssuerSpec {
    #[serde(skip_serializing_if = "Option::is_none")]
    self_signed: Option<SelfSigned>,
    #[serde(skip_serializing_if = "Option::is_none")]
    acme: Option<Acme>,
}

/// Serializes as `{}`: a self-signed issuer has no settings.
#[derive(Debug, Serialize)]
struct SelfSigned {}

#[derive(Debug, Serialize)]
#[serde(rename_all = "camelCase")]
struct Acme {
    server: &'static str,
    email: String,
    /// Where cert-manager keeps the ACME account key (in its own namespace).
    private_key_secret_ref: SecretName,
    solvers: Vec<Solver>,
}

#[derive(Debug, Serialize)]
struct SecretName {
    name: String,
}

#[derive(Debug, Serialize)]
struct Solver {
    http01: Http01,
}

#[derive(Debug, Serialize)]
#[serde(rename_all = "camelCase")]
struct Http01 {
    #[serde(skip_serializing_if = "Option::is_none")]
    ingress: Option<Http01Ingress>,
    #[serde(rename = "gatewayHTTPRoute", skip_serializing_if = "Option::is_none")]
    gateway_http_route: Option<Http01GatewayRoute>,
}

#[derive(Debug, Serialize)]
#[serde(rename_all = "camelCase")]
struct Http01Ingress {
    ingress_class_name: String,
}

#[derive(Debug, Serialize)]
#[serde(rename_all = "camelCase")]
struct Http01GatewayRoute {
    parent_refs: Vec<ParentReference>,
}

/// The ClusterIssuer of `tls`, when platformgen generates it.
pub(super) fn cluster_issuer(platform: &PlatformModel, tls: &TlsModel) -> Option<ClusterIssuer> {
    let spec = match tls.generated.as_ref()? {
        IssuerModel::SelfSigned => ClusterIssuerSpec {
            self_signed: Some(SelfSigned {}),
            acme: None,
        },
        IssuerModel::Acme { server, email } => {
            let http01 = match &crate::capabilities::ingress::model::routing(platform).routing {
                RoutingModel::Ingress { class_name, .. } => Http01 {
                    ingress: Some(Http01Ingress {
                        ingress_class_name: class_name.clone(),
                    }),
                    gateway_http_route: None,
                },
                RoutingModel::Gateway(gateway) => Http01 {
                    ingress: None,
                    gateway_http_route: Some(Http01GatewayRoute {
                        parent_refs: vec![ParentReference::http_listener(gateway)],
                    }),
                },
            };
            ClusterIssuerSpec {
                self_signed: None,
                acme: Some(Acme {
                    server,
                    email: email.clone(),
                    private_key_secret_ref: SecretName {
                        name: format!("{}-account-key", tls.issuer_name),
                    },
                    solvers: vec![Solver { http01 }],
                }),
            }
        }
    };
    Some(ClusterIssuer {
        metadata: ObjectMeta {
            name: Some(tls.issuer_name.clone()),
            labels: Some(labels::platform_labels(platform)),
            ..ObjectMeta::default()
        },
        spec,
    })
}

#[cfg(test)]
mod tests {
    use serde_json::{Value, json};

    use super::*;
    use crate::capabilities::ingress::model::{LETSENCRYPT_PRODUCTION, LETSENCRYPT_STAGING};
    use crate::testing::platform;

    #[track_caller]
    fn case(overlay: &str, expected: Value) {
        let platform = platform(overlay);
        let tls = crate::capabilities::ingress::model::routing(&platform)
            .tls
            .as_ref()
            .expect("TLS is set");
        let issuer = cluster_issuer(&platform, tls).map(|issuer| {
            let value = serde_json::to_value(issuer).expect("serializes");
            assert_eq!(value["metadata"]["name"], tls.issuer_name.as_str());
            value["spec"].clone()
        });
        assert_eq!(issuer, (!expected.is_null()).then_some(expected));
    }

    #[test]
    fn self_signed() {
        case(
            "ingress: { tls: { issuer: selfSigned } }",
            json!({ "selfSigned": {} }),
        );
    }

    #[test]
    fn existing_issuers_are_not_rendered() {
        case(
            "ingress: { tls: { issuer: { existing: corp-ca } } }",
            Value::Null,
        );
    }

    #[test]
    fn acme_answers_through_the_ingress_class() {
        case(
            "ingress: { controller: traefik, tls: { issuer: letsencryptStaging, email: ops@example.com } }",
            json!({ "acme": {
                "server": LETSENCRYPT_STAGING,
                "email": "ops@example.com",
                "privateKeySecretRef": { "name": "shop-letsencrypt-staging-account-key" },
                "solvers": [{ "http01": { "ingress": { "ingressClassName": "traefik" } } }],
            }}),
        );
    }

    #[test]
    fn acme_answers_through_the_gateway_http_listener() {
        case(
            "ingress:
  mode: gateway
  gateway: { className: eg, namespace: edge }
  tls: { issuer: letsencryptProduction, email: ops@example.com }
",
            json!({ "acme": {
                "server": LETSENCRYPT_PRODUCTION,
                "email": "ops@example.com",
                "privateKeySecretRef": { "name": "shop-letsencrypt-prod-account-key" },
                "solvers": [{ "http01": { "gatewayHTTPRoute": { "parentRefs": [{
                    "group": "gateway.networking.k8s.io",
                    "kind": "Gateway",
                    "name": "shop",
                    "namespace": "edge",
                    "sectionName": "http",
                }] } } }],
            }}),
        );
    }
}

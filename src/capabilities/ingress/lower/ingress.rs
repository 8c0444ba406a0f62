//! Ingress for a publicly exposed workload, with TLS from cert-manager and
//! the controller's way of enforcing the exposure's traffic policy: nginx
//! annotations, or references to traefik Middlewares.

use std::collections::BTreeMap;

use k8s_openapi::api::networking::v1::{
    HTTPIngressPath, HTTPIngressRuleValue, Ingress, IngressBackend, IngressRule,
    IngressServiceBackend, IngressSpec, IngressTLS, ServiceBackendPort,
};
use k8s_openapi::apimachinery::pkg::apis::meta::v1::ObjectMeta;

use super::nginx_annotations;
use crate::capabilities::ingress::model::{ExposureModel, IssuerModel, RoutingModel, TlsModel};
use crate::capabilities::ingress::spec::IngressController;
use crate::model::labels;
use crate::model::{PlatformModel, WorkloadModel};

/// The Ingress of `exposure`; `middlewares` are the references of the traefik
/// Middlewares made for it (empty with nginx).
pub(super) fn ingress(
    platform: &PlatformModel,
    workload: &WorkloadModel,
    exposure: &ExposureModel,
    middlewares: &[String],
) -> Ingress {
    let mut annotations: BTreeMap<String, String> = platform
        .tls_issuer
        .iter()
        .map(|issuer| ("cert-manager.io/cluster-issuer".to_owned(), issuer.clone()))
        .collect();
    let routing = crate::capabilities::ingress::model::routing(platform);
    // cert-manager solves HTTP-01 through the ClusterIssuer's class; a host
    // served by another class (an internal controller) is reached through
    // that class's controller, so its challenges must be too.
    if let (
        Some(TlsModel {
            generated: Some(IssuerModel::Acme { .. }),
            ..
        }),
        Some(class_name),
    ) = (&routing.tls, &exposure.class_name)
        && platform.ingress_class.as_ref() != Some(class_name)
    {
        annotations.insert(
            "acme.cert-manager.io/http01-ingress-ingressclassname".to_owned(),
            class_name.clone(),
        );
    }
    if let RoutingModel::Ingress { controller, .. } = routing.routing {
        match controller {
            IngressController::Nginx => {
                annotations.extend(nginx_annotations::annotations(&exposure.policy));
            }
            IngressController::Traefik if !middlewares.is_empty() => {
                annotations.insert(
                    "traefik.ingress.kubernetes.io/router.middlewares".to_owned(),
                    middlewares.join(","),
                );
            }
            IngressController::Traefik => {}
        }
    }
    Ingress {
        metadata: ObjectMeta {
            name: Some(exposure.object_name.clone()),
            namespace: Some(workload.namespace.clone()),
            labels: Some(labels::workload_labels(platform, workload)),
            annotations: (!annotations.is_empty()).then_some(annotations),
            ..ObjectMeta::default()
        },
        spec: Some(IngressSpec {
            ingress_class_name: exposure.class_name.clone(),
            rules: Some(vec![IngressRule {
                host: Some(exposure.host.clone()),
                http: Some(HTTPIngressRuleValue {
                    paths: vec![HTTPIngressPath {
                        path: Some(exposure.path.clone()),
                        path_type: "Prefix".to_owned(),
                        backend: IngressBackend {
                            service: Some(IngressServiceBackend {
                                name: workload.name.clone(),
                                port: Some(ServiceBackendPort {
                                    name: Some(exposure.port.clone()),
                                    ..ServiceBackendPort::default()
                                }),
                            }),
                            ..IngressBackend::default()
                        },
                    }],
                }),
            }]),
            tls: platform.tls_issuer.as_ref().map(|_| {
                vec![IngressTLS {
                    hosts: Some(vec![exposure.host.clone()]),
                    secret_name: Some(format!("{}-tls", exposure.object_name)),
                }]
            }),
            ..IngressSpec::default()
        }),
        ..Ingress::default()
    }
}

#[cfg(test)]
mod tests {
    use serde_json::{Value, json};

    use super::*;
    use crate::testing::platform;

    #[track_caller]
    fn case(
        overlay: &str,
        middlewares: &[&str],
        expected_annotations: Value,
        expected_spec: Value,
    ) {
        let platform = platform(overlay);
        let workload = &platform.workloads[0];
        let exposure = crate::capabilities::ingress::model::exposures(workload)
            .first()
            .expect("exposed");
        let middlewares: Vec<String> = middlewares.iter().map(|m| (*m).to_owned()).collect();
        let object = serde_json::to_value(ingress(&platform, workload, exposure, &middlewares))
            .expect("serializes");
        assert_eq!(object["metadata"]["annotations"], expected_annotations);
        assert_eq!(object["spec"], expected_spec);
    }

    fn spec(class: &str, tls: bool) -> Value {
        let mut spec = json!({
            "ingressClassName": class,
            "rules": [{ "host": "shop.example.com", "http": { "paths": [{
                "path": "/", "pathType": "Prefix",
                "backend": { "service": { "name": "web", "port": { "name": "http" } } },
            }] } }],
        });
        if tls {
            spec["tls"] = json!([{ "hosts": ["shop.example.com"], "secretName": "web-tls" }]);
        }
        spec
    }

    #[test]
    fn plain_ingress_defaults_to_the_nginx_class() {
        case("{}", &[], Value::Null, spec("nginx", false));
    }

    #[test]
    fn tls_adds_the_issuer_annotation_and_a_tls_entry() {
        case(
            "ingress: { className: public-nginx, tls: { issuer: selfSigned } }",
            &[],
            json!({ "cert-manager.io/cluster-issuer": "shop-selfsigned" }),
            spec("public-nginx", true),
        );
    }

    #[test]
    fn nginx_gets_policy_annotations() {
        case(
            "workloads: { web: { expose: { websocket: {} } } }",
            &[],
            json!({
                "nginx.ingress.kubernetes.io/proxy-read-timeout": "3600",
                "nginx.ingress.kubernetes.io/proxy-send-timeout": "3600",
            }),
            spec("nginx", false),
        );
    }

    #[test]
    fn traefik_gets_middleware_references_and_no_nginx_annotations() {
        case(
            "ingress: { controller: traefik, tls: { issuer: { existing: corp-ca } } }\n\
             workloads: { web: { expose: { rateLimit: { requestsPerSecond: 5 } } } }",
            &[
                "shop-web-cors@kubernetescrd",
                "shop-web-rate-limit@kubernetescrd",
            ],
            json!({
                "cert-manager.io/cluster-issuer": "corp-ca",
                "traefik.ingress.kubernetes.io/router.middlewares":
                    "shop-web-cors@kubernetescrd,shop-web-rate-limit@kubernetescrd",
            }),
            spec("traefik", true),
        );
    }
}

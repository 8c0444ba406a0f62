//! The Ingress of a blue/green preview host: the workload's path and port
//! on a host of its own, routed to the preview Service, with the platform's
//! ingress class and TLS. Only under Ingress routing (analysis rejects a
//! preview host under Gateway API).

use std::collections::BTreeMap;

use k8s_openapi::api::networking::v1::{
    HTTPIngressPath, HTTPIngressRuleValue, Ingress, IngressBackend, IngressRule,
    IngressServiceBackend, IngressSpec, IngressTLS, ServiceBackendPort,
};
use k8s_openapi::apimachinery::pkg::apis::meta::v1::ObjectMeta;

use crate::model::{PlatformModel, WorkloadModel, labels};

use super::super::model::DeliveryModel;

/// The preview Ingress, when the workload is exposed.
pub(super) fn ingress(
    platform: &PlatformModel,
    workload: &WorkloadModel,
    delivery: &DeliveryModel,
    host: &str,
) -> Option<Ingress> {
    let exposure = crate::capabilities::ingress::model::only_exposure(workload)?;
    let service = delivery.second_service(&workload.name);
    let annotations: BTreeMap<String, String> = platform
        .tls_issuer
        .iter()
        .map(|issuer| ("cert-manager.io/cluster-issuer".to_owned(), issuer.clone()))
        .collect();
    Some(Ingress {
        metadata: ObjectMeta {
            name: Some(service.clone()),
            namespace: Some(workload.namespace.clone()),
            labels: Some(labels::workload_labels(platform, workload)),
            annotations: (!annotations.is_empty()).then_some(annotations),
            ..ObjectMeta::default()
        },
        spec: Some(IngressSpec {
            ingress_class_name: platform.ingress_class.clone(),
            rules: Some(vec![IngressRule {
                host: Some(host.to_owned()),
                http: Some(HTTPIngressRuleValue {
                    paths: vec![HTTPIngressPath {
                        path: Some(exposure.path.clone()),
                        path_type: "Prefix".to_owned(),
                        backend: IngressBackend {
                            service: Some(IngressServiceBackend {
                                name: service.clone(),
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
                    hosts: Some(vec![host.to_owned()]),
                    secret_name: Some(format!("{service}-tls")),
                }]
            }),
            ..IngressSpec::default()
        }),
        ..Ingress::default()
    })
}

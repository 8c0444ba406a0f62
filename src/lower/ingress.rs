//! Ingress for a publicly exposed workload, with TLS from cert-manager.

use std::collections::BTreeMap;

use k8s_openapi::api::networking::v1::{
    HTTPIngressPath, HTTPIngressRuleValue, Ingress, IngressBackend, IngressRule,
    IngressServiceBackend, IngressSpec, IngressTLS, ServiceBackendPort,
};
use k8s_openapi::apimachinery::pkg::apis::meta::v1::ObjectMeta;

use super::labels;
use crate::model::{ExposureModel, PlatformModel, WorkloadModel};

pub(super) fn ingress(
    platform: &PlatformModel,
    workload: &WorkloadModel,
    exposure: &ExposureModel,
) -> Ingress {
    let annotations: BTreeMap<String, String> = platform
        .tls_issuer
        .iter()
        .map(|issuer| ("cert-manager.io/cluster-issuer".to_owned(), issuer.clone()))
        .collect();
    Ingress {
        metadata: ObjectMeta {
            name: Some(workload.name.clone()),
            namespace: Some(workload.namespace.clone()),
            labels: Some(labels::workload_labels(platform, workload)),
            annotations: (!annotations.is_empty()).then_some(annotations),
            ..ObjectMeta::default()
        },
        spec: Some(IngressSpec {
            ingress_class_name: platform.ingress_class.clone(),
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
                    secret_name: Some(format!("{}-tls", workload.name)),
                }]
            }),
            ..IngressSpec::default()
        }),
        ..Ingress::default()
    }
}

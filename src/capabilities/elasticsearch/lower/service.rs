//! The Service clients connect to: the store's own name, HTTPS on 9200.

use k8s_openapi::api::core::v1::{Service, ServicePort, ServiceSpec};
use k8s_openapi::apimachinery::pkg::util::intstr::IntOrString;

use crate::lower::operator_resource::data_service_metadata;
use crate::model::PlatformModel;

use super::super::model::{COMPONENT, ElasticsearchModel, HTTP_PORT};

pub(super) fn service(platform: &PlatformModel, store: &ElasticsearchModel) -> Service {
    Service {
        metadata: data_service_metadata(
            platform,
            &store.name,
            &store.name,
            &store.namespace,
            COMPONENT,
            store.description.as_deref(),
        ),
        spec: Some(ServiceSpec {
            selector: Some(store.pod_labels()),
            ports: Some(vec![ServicePort {
                name: Some("https".to_owned()),
                port: i32::from(HTTP_PORT),
                target_port: Some(IntOrString::String("https".to_owned())),
                protocol: Some("TCP".to_owned()),
                app_protocol: Some("https".to_owned()),
                ..ServicePort::default()
            }]),
            ..ServiceSpec::default()
        }),
        ..Service::default()
    }
}

//! Services: the workload's Service (ClusterIP or LoadBalancer) and, for
//! StatefulSets, the headless Service that gives each pod a stable DNS name.

use k8s_openapi::api::core::v1::{Service, ServicePort, ServiceSpec};
use k8s_openapi::apimachinery::pkg::apis::meta::v1::ObjectMeta;
use k8s_openapi::apimachinery::pkg::util::intstr::IntOrString;

use crate::model::labels;
use crate::model::{PlatformModel, WorkloadModel};
use crate::spec::ServiceType;

pub(super) fn headless_name(workload: &WorkloadModel) -> String {
    format!("{}-headless", workload.name)
}

fn ports(workload: &WorkloadModel) -> Vec<ServicePort> {
    workload
        .ports
        .iter()
        .map(|port| ServicePort {
            name: Some(port.name.clone()),
            port: i32::from(port.service_port),
            target_port: Some(IntOrString::String(port.name.clone())),
            protocol: Some(port.protocol.as_str().to_owned()),
            ..ServicePort::default()
        })
        .collect()
}

fn metadata(platform: &PlatformModel, workload: &WorkloadModel, name: String) -> ObjectMeta {
    ObjectMeta {
        name: Some(name),
        namespace: Some(workload.namespace.clone()),
        labels: Some(labels::workload_labels(platform, workload)),
        ..ObjectMeta::default()
    }
}

pub(crate) fn service(platform: &PlatformModel, workload: &WorkloadModel) -> Service {
    let type_ = match workload.service_type {
        ServiceType::LoadBalancer => "LoadBalancer",
        ServiceType::ClusterIP | ServiceType::None => "ClusterIP",
    };
    let mut metadata = metadata(platform, workload, workload.name.clone());
    if workload.service_type == ServiceType::LoadBalancer {
        metadata.annotations = super::load_balancer::annotations(platform, workload);
    }
    Service {
        metadata,
        spec: Some(ServiceSpec {
            type_: Some(type_.to_owned()),
            selector: Some(labels::selector_labels(platform, workload)),
            ports: Some(ports(workload)),
            ..ServiceSpec::default()
        }),
        ..Service::default()
    }
}

pub(super) fn headless_service(platform: &PlatformModel, workload: &WorkloadModel) -> Service {
    Service {
        metadata: metadata(platform, workload, headless_name(workload)),
        spec: Some(ServiceSpec {
            cluster_ip: Some("None".to_owned()),
            // Peers must find each other while starting (cluster bootstrap).
            publish_not_ready_addresses: Some(true),
            selector: Some(labels::selector_labels(platform, workload)),
            ports: Some(ports(workload)),
            ..ServiceSpec::default()
        }),
        ..Service::default()
    }
}

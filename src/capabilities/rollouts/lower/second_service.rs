//! The Service beside the workload's own: `<name>-canary`, which Argo
//! Rollouts points at the canary pods, or `<name>-preview`, at a blue/green
//! rollout's new version. Same ports as the workload's Service, always a
//! ClusterIP: only the ingress and people testing the preview reach it.

use k8s_openapi::api::core::v1::Service;

use crate::lower::service;
use crate::model::{PlatformModel, WorkloadModel};
use crate::spec::ServiceType;

use super::super::model::DeliveryModel;

/// The second Service, when the workload has a Service at all.
pub(super) fn service(
    platform: &PlatformModel,
    workload: &WorkloadModel,
    delivery: &DeliveryModel,
) -> Option<Service> {
    if workload.service_type == ServiceType::None || workload.ports.is_empty() {
        return None;
    }
    let mut service = service::service(platform, workload);
    service.metadata.name = Some(delivery.second_service(&workload.name));
    // A load balancer's annotations belong to the public Service only.
    service.metadata.annotations = None;
    if let Some(spec) = service.spec.as_mut() {
        spec.type_ = Some("ClusterIP".to_owned());
    }
    Some(service)
}

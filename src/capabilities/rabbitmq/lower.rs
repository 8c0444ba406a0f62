//! The RabbitMQ capability's lowering: a `RabbitmqCluster` per broker (the
//! operator makes the StatefulSet, the Services and the Secrets from it),
//! and a PodDisruptionBudget when it has several nodes.

mod pod_disruption_budget;
mod rabbitmq_cluster;

use crate::lower::operator_resource;

use k8s_openapi::apimachinery::pkg::apis::meta::v1::ObjectMeta;

use crate::lower::Objects;
use crate::lower::push;
use crate::model::PlatformModel;

use super::model::RabbitmqModel;

/// Every object of every RabbitMQ broker.
pub fn objects(platform: &PlatformModel, manifests: &mut Objects) {
    for broker in &platform.rabbitmq {
        push(
            manifests,
            &rabbitmq_cluster::rabbitmq_cluster(platform, broker),
            broker.origin,
        );
        if broker.replicas >= 2 {
            push(
                manifests,
                &pod_disruption_budget::pod_disruption_budget(platform, broker),
                broker.origin,
            );
        }
    }
}

/// Metadata of the broker's object: the platform's labels and the
/// component, so the operator's objects read like the workloads'.
fn metadata(platform: &PlatformModel, broker: &RabbitmqModel) -> ObjectMeta {
    operator_resource::data_service_metadata(
        platform,
        &broker.name,
        &broker.name,
        &broker.namespace,
        "message-queue",
        broker.description.as_deref(),
    )
}

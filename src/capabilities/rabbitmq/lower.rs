//! The RabbitMQ capability's lowering: a `RabbitmqCluster` per broker (the
//! operator makes the StatefulSet, the Services and the Secrets from it),
//! and a PodDisruptionBudget when it has several nodes.

mod metadata;
mod pod_disruption_budget;
mod rabbitmq_cluster;

use crate::lower::Objects;
use crate::lower::push;
use crate::model::PlatformModel;

/// Every object of every RabbitMQ broker.
pub fn objects(platform: &PlatformModel, manifests: &mut Objects) {
    for broker in crate::capabilities::rabbitmq::model::rendered(platform) {
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

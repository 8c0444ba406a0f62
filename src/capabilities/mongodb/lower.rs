//! The MongoDB capability's lowering: a `MongoDBCommunity` per replica set
//! (the operator makes the StatefulSet, the Service and the Secrets from
//! it), a PodDisruptionBudget when it has several members, and, once per
//! namespace, the `mongodb-database` ServiceAccount its pods run as.

mod database_service_account;
mod metadata;
mod mongodb_community;
mod pod_disruption_budget;

use crate::lower::Objects;
use crate::lower::push;
use crate::model::PlatformModel;

/// Every object of every MongoDB replica set.
pub fn objects(platform: &PlatformModel, manifests: &mut Objects) {
    let mut namespaces: Vec<&str> = Vec::new();
    for replica_set in crate::capabilities::mongodb::model::rendered(platform) {
        if !namespaces.contains(&replica_set.namespace.as_str()) {
            namespaces.push(&replica_set.namespace);
            let (account, role, binding) =
                database_service_account::objects(platform, &replica_set.namespace);
            push(manifests, &account, replica_set.origin);
            push(manifests, &role, replica_set.origin);
            push(manifests, &binding, replica_set.origin);
        }
        push(
            manifests,
            &mongodb_community::mongodb_community(platform, replica_set),
            replica_set.origin,
        );
        if replica_set.members >= 2 {
            push(
                manifests,
                &pod_disruption_budget::pod_disruption_budget(platform, replica_set),
                replica_set.origin,
            );
        }
    }
}

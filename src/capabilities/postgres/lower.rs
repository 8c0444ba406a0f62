//! The PostgreSQL capability's lowering: per cluster a CloudNativePG
//! `Cluster`, a `Pooler` when asked for, and a `ScheduledBackup` when backups
//! are configured.

mod cluster;
mod pooler;
mod scheduled_backup;

use crate::lower::operator_resource;
use crate::lower::operator_resource::{resource_amounts as amounts, tolerations};

use k8s_openapi::apimachinery::pkg::apis::meta::v1::ObjectMeta;

use crate::lower::Objects;
use crate::lower::push;
use crate::model::PlatformModel;

use super::model::PostgresModel;

/// Every object of every PostgreSQL cluster.
pub fn objects(platform: &PlatformModel, manifests: &mut Objects) {
    for cluster in &platform.postgres {
        push(
            manifests,
            &cluster::cluster(platform, cluster),
            cluster.origin,
        );
        if let Some(pooler) = &cluster.pooler {
            push(
                manifests,
                &pooler::pooler(platform, cluster, pooler),
                cluster.origin,
            );
        }
        if let Some(backup) = &cluster.backup {
            push(
                manifests,
                &scheduled_backup::scheduled_backup(platform, cluster, backup),
                cluster.origin,
            );
        }
    }
}

/// Metadata of an object of `cluster`: the platform's labels and the
/// component, so the operator's objects read like the workloads'.
fn metadata(platform: &PlatformModel, cluster: &PostgresModel, name: String) -> ObjectMeta {
    operator_resource::data_service_metadata(
        platform,
        &cluster.name,
        &name,
        &cluster.namespace,
        "database",
        cluster.description.as_deref(),
    )
}

//! The PostgreSQL capability's lowering: per cluster a CloudNativePG
//! `Cluster`, a `Pooler` when asked for, and a `ScheduledBackup` when backups
//! are configured.

mod cluster;
mod metadata;
mod pooler;
mod scheduled_backup;

use crate::lower::operator_resource::{resource_amounts as amounts, tolerations};

use crate::lower::Objects;
use crate::lower::push;
use crate::model::PlatformModel;

/// Every object of every PostgreSQL cluster.
pub fn objects(platform: &PlatformModel, manifests: &mut Objects) {
    for cluster in crate::capabilities::postgres::model::rendered(platform) {
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

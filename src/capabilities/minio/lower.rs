//! The MinIO capability's lowering: one MinIO Operator `Tenant` per object
//! store and, for a tenant whose buckets are replicated, the Job that sets
//! the replication and the ExternalSecret of the remote's key pair.

mod replication_job;
mod tenant;

use crate::capabilities::secrets::lower::external_secret_named;
use crate::capabilities::secrets::model::SecretSource;
use crate::lower::Objects;
use crate::lower::operator_resource::data_service_metadata;
use crate::lower::push;
use crate::model::PlatformModel;

/// Every tenant.
pub fn objects(platform: &PlatformModel, manifests: &mut Objects) {
    for minio in crate::capabilities::minio::model::rendered(platform) {
        push(manifests, &tenant::tenant(platform, minio), minio.origin);
        let Some(replication) = &minio.replication else {
            continue;
        };
        push(
            manifests,
            &replication_job::job(platform, minio, replication),
            minio.origin,
        );
        if let SecretSource::External {
            store_name,
            store_kind,
            refresh_interval,
            data,
        } = &replication.source
        {
            let metadata = data_service_metadata(
                platform,
                &minio.name,
                &replication.secret,
                &minio.namespace,
                "object-storage-replication",
                None,
            );
            push(
                manifests,
                &external_secret_named(metadata, store_name, *store_kind, refresh_interval, data),
                minio.origin,
            );
        }
    }
}

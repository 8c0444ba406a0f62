//! The MinIO capability's lowering: one MinIO Operator `Tenant` per object
//! store and, for a tenant whose buckets are replicated, the Job that sets
//! the replication and the ExternalSecret of the remote's key pair.

mod certificates;
mod replication_job;
mod tenant;

use crate::capabilities::minio::model::InternalCa;
use crate::capabilities::secrets::lower::external_secret_named;
use crate::capabilities::secrets::model::SecretSource;
use crate::lower::Objects;
use crate::lower::operator_resource::data_service_metadata;
use crate::lower::push;
use crate::model::PlatformModel;

/// Every tenant, and the internal CA when a tenant has `tls`.
pub fn objects(platform: &PlatformModel, manifests: &mut Objects) {
    let tenants = crate::capabilities::minio::model::rendered(platform);
    if let Some(first) = tenants.iter().find(|tenant| tenant.cert_manager) {
        let origin = first.origin;
        let (root, ca, issuer) = certificates::internal_ca(platform);
        push(manifests, &root, origin);
        push(manifests, &ca, origin);
        push(manifests, &issuer, origin);
        // The CA in every namespace of the platform, for the clients there,
        // and in the operator's, which calls each tenant.
        let secret = InternalCa::trust_secret(&platform.name);
        for namespace in &platform.namespaces {
            push(
                manifests,
                &certificates::trust_certificate(platform, &namespace.name, &secret),
                origin,
            );
        }
        push(
            manifests,
            &certificates::trust_certificate(
                platform,
                InternalCa::OPERATOR_NAMESPACE,
                &InternalCa::operator_secret(&platform.name),
            ),
            origin,
        );
    }
    for minio in tenants {
        push(manifests, &tenant::tenant(platform, minio), minio.origin);
        if minio.cert_manager {
            push(
                manifests,
                &certificates::tenant_certificate(platform, minio),
                minio.origin,
            );
        }
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

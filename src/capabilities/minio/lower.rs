//! The MinIO capability's lowering: one MinIO Operator `Tenant` per object
//! store and, for a tenant whose buckets are replicated, the Job that sets
//! the replication and the ExternalSecret of the remote's key pair.

mod replication_job;
mod tenant;

use crate::capabilities::internal_ca::lower::certificates::{
    ServingCertificate, serving_certificate, trust_certificate,
};
use crate::capabilities::minio::model::MinioModel;
use crate::capabilities::secrets::lower::external_secret_named;
use crate::capabilities::secrets::model::SecretSource;
use crate::lower::Objects;
use crate::lower::operator_resource::data_service_metadata;
use crate::lower::push;
use crate::model::PlatformModel;

/// Every tenant; when a tenant has `tls`, its certificate and the internal
/// CA handed to the operator (the internal CA capability renders the CA).
pub fn objects(platform: &PlatformModel, manifests: &mut Objects) {
    let tenants = crate::capabilities::minio::model::rendered(platform);
    if let Some(first) = tenants.iter().find(|tenant| tenant.cert_manager) {
        // The operator calls each tenant, and trusts the CAs of its
        // namespace's `operator-ca-tls*` Secrets.
        push(
            manifests,
            &trust_certificate(
                platform,
                MinioModel::OPERATOR_NAMESPACE,
                &MinioModel::operator_ca_secret(&platform.name),
            ),
            first.origin,
        );
    }
    for minio in tenants {
        push(manifests, &tenant::tenant(platform, minio), minio.origin);
        if minio.cert_manager {
            push(
                manifests,
                &serving_certificate(
                    platform,
                    &ServingCertificate {
                        secret: &minio.certificate_secret(),
                        namespace: &minio.namespace,
                        dns_names: &minio.certificate_dns_names(),
                        name: &minio.name,
                        component: "object-storage",
                    },
                ),
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

//! The MinIO capability's lowering: one MinIO Operator `Tenant` per object
//! store.

mod tenant;

use crate::lower::Objects;
use crate::lower::push;
use crate::model::PlatformModel;

/// Every tenant.
pub fn objects(platform: &PlatformModel, manifests: &mut Objects) {
    for minio in crate::capabilities::minio::model::rendered(platform) {
        push(manifests, &tenant::tenant(platform, minio), minio.origin);
    }
}

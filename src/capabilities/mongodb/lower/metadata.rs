//! The metadata every object of a replica set carries.

use k8s_openapi::apimachinery::pkg::apis::meta::v1::ObjectMeta;

use crate::lower::operator_resource;
use crate::model::PlatformModel;

use super::super::model::MongodbModel;

/// Metadata of the replica set's object: the platform's labels and the
/// component, so the operator's objects read like the workloads'.
pub(super) fn metadata(platform: &PlatformModel, replica_set: &MongodbModel) -> ObjectMeta {
    operator_resource::data_service_metadata(
        platform,
        &replica_set.name,
        &replica_set.name,
        &replica_set.namespace,
        "database",
        replica_set.description.as_deref(),
    )
}

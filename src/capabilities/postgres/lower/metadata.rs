//! The metadata every object of a cluster carries.

use k8s_openapi::apimachinery::pkg::apis::meta::v1::ObjectMeta;

use crate::lower::operator_resource;
use crate::model::PlatformModel;

use super::super::model::PostgresModel;

/// Metadata of an object of `cluster`: the platform's labels and the
/// component, so the operator's objects read like the workloads'.
pub(super) fn metadata(
    platform: &PlatformModel,
    cluster: &PostgresModel,
    name: String,
) -> ObjectMeta {
    operator_resource::data_service_metadata(
        platform,
        &cluster.name,
        &name,
        &cluster.namespace,
        "database",
        cluster.description.as_deref(),
    )
}

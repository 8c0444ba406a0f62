//! The metadata every object of a broker carries.

use k8s_openapi::apimachinery::pkg::apis::meta::v1::ObjectMeta;

use crate::lower::operator_resource;
use crate::model::PlatformModel;

use super::super::model::RabbitmqModel;

/// Metadata of the broker's object: the platform's labels and the
/// component, so the operator's objects read like the workloads'.
pub(super) fn metadata(platform: &PlatformModel, broker: &RabbitmqModel) -> ObjectMeta {
    operator_resource::data_service_metadata(
        platform,
        &broker.name,
        &broker.name,
        &broker.namespace,
        "message-queue",
        broker.description.as_deref(),
    )
}

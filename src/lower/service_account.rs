//! ServiceAccount: one per workload, token not mounted unless the workload asks,
//! with the annotations that bind it to a cloud identity (IRSA, Workload Identity).

use k8s_openapi::api::core::v1::ServiceAccount;
use k8s_openapi::apimachinery::pkg::apis::meta::v1::ObjectMeta;

use crate::model::labels;
use crate::model::{PlatformModel, WorkloadModel};

pub(super) fn service_account(
    platform: &PlatformModel,
    workload: &WorkloadModel,
) -> ServiceAccount {
    ServiceAccount {
        metadata: ObjectMeta {
            name: Some(workload.name.clone()),
            namespace: Some(workload.namespace.clone()),
            labels: Some(labels::workload_labels(platform, workload)),
            annotations: (!workload.service_account_annotations.is_empty())
                .then(|| workload.service_account_annotations.clone()),
            ..ObjectMeta::default()
        },
        automount_service_account_token: Some(workload.automount_token),
        ..ServiceAccount::default()
    }
}

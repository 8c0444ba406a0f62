//! Deployment: a stateless workload.

use k8s_openapi::api::apps::v1::{Deployment, DeploymentSpec};
use k8s_openapi::apimachinery::pkg::apis::meta::v1::{LabelSelector, ObjectMeta};

use super::pod_template;
use super::scanner_skips::{self, Target};
use crate::model::labels;
use crate::model::{PlatformModel, WorkloadModel};

pub(super) fn deployment(platform: &PlatformModel, workload: &WorkloadModel) -> Deployment {
    Deployment {
        metadata: ObjectMeta {
            name: Some(workload.name.clone()),
            namespace: Some(workload.namespace.clone()),
            labels: Some(labels::image_labels(platform, workload)),
            annotations: super::sync_order::add_waiting_wave(
                workload,
                scanner_skips::object_annotations(workload, Target::Pods),
            ),
            ..ObjectMeta::default()
        },
        spec: Some(DeploymentSpec {
            // Autoscaled workloads leave `replicas` to the autoscaler: a value here
            // would reset the scale on every sync.
            replicas: workload
                .autoscaling
                .is_none()
                .then(|| i32::try_from(workload.replicas).unwrap_or(i32::MAX)),
            revision_history_limit: Some(5),
            selector: LabelSelector {
                match_labels: Some(labels::selector_labels(platform, workload)),
                ..LabelSelector::default()
            },
            template: pod_template::pod_template(platform, workload),
            ..DeploymentSpec::default()
        }),
        ..Deployment::default()
    }
}

//! Deployment: a stateless workload.

use k8s_openapi::api::apps::v1::{
    Deployment, DeploymentSpec, DeploymentStrategy, RollingUpdateDeployment,
};
use k8s_openapi::apimachinery::pkg::apis::meta::v1::{LabelSelector, ObjectMeta};
use k8s_openapi::apimachinery::pkg::util::intstr::IntOrString;

use super::pod_template;
use crate::model::labels;
use crate::model::{PlatformModel, RolloutModel, WorkloadModel};
use crate::spec::IntOrPercent;

pub(crate) fn deployment(platform: &PlatformModel, workload: &WorkloadModel) -> Deployment {
    Deployment {
        metadata: ObjectMeta {
            name: Some(workload.name.clone()),
            namespace: Some(workload.namespace.clone()),
            labels: Some(labels::image_labels(platform, workload)),
            annotations: super::sync_order::add_waiting_wave(
                workload,
                super::workload_annotations::non_empty(workload),
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
            strategy: strategy(workload.rollout),
            ..DeploymentSpec::default()
        }),
        ..Deployment::default()
    }
}

/// The rollout the spec asks for; `None` keeps Kubernetes' default (a
/// rolling update with 25% surge and 25% unavailable).
fn strategy(rollout: RolloutModel) -> Option<DeploymentStrategy> {
    match rollout {
        RolloutModel::Default | RolloutModel::Partition(_) => None,
        RolloutModel::Recreate => Some(DeploymentStrategy {
            type_: Some("Recreate".to_owned()),
            rolling_update: None,
        }),
        RolloutModel::Surge {
            max_surge,
            max_unavailable,
        } => Some(DeploymentStrategy {
            type_: Some("RollingUpdate".to_owned()),
            rolling_update: Some(RollingUpdateDeployment {
                max_surge: max_surge.map(int_or_string),
                max_unavailable: max_unavailable.map(int_or_string),
            }),
        }),
    }
}

fn int_or_string(value: IntOrPercent) -> IntOrString {
    match value {
        IntOrPercent::Count(count) => IntOrString::Int(i32::try_from(count).unwrap_or(i32::MAX)),
        IntOrPercent::Percent(_) => IntOrString::String(value.to_string()),
    }
}

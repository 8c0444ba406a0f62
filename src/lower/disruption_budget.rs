//! PodDisruptionBudget (policy/v1).

use k8s_openapi::api::policy::v1::{PodDisruptionBudget, PodDisruptionBudgetSpec};
use k8s_openapi::apimachinery::pkg::apis::meta::v1::{LabelSelector, ObjectMeta};
use k8s_openapi::apimachinery::pkg::util::intstr::IntOrString;

use super::scanner_skips::{self, Target};
use crate::model::labels;
use crate::model::{DisruptionBudgetModel, PlatformModel, WorkloadModel};

pub(super) fn disruption_budget(
    platform: &PlatformModel,
    workload: &WorkloadModel,
    budget: DisruptionBudgetModel,
) -> PodDisruptionBudget {
    let int = |value: u32| IntOrString::Int(i32::try_from(value).unwrap_or(i32::MAX));
    let (min_available, max_unavailable) = match budget {
        DisruptionBudgetModel::MinAvailable(min) => (Some(int(min)), None),
        DisruptionBudgetModel::MaxUnavailable(max) => (None, Some(int(max))),
    };
    PodDisruptionBudget {
        metadata: ObjectMeta {
            name: Some(workload.name.clone()),
            namespace: Some(workload.namespace.clone()),
            labels: Some(labels::workload_labels(platform, workload)),
            annotations: super::sync_order::add_waiting_wave(
                workload,
                scanner_skips::object_annotations(workload, Target::DisruptionBudget),
            ),
            ..ObjectMeta::default()
        },
        spec: Some(PodDisruptionBudgetSpec {
            min_available,
            max_unavailable,
            selector: Some(LabelSelector {
                match_labels: Some(labels::selector_labels(platform, workload)),
                ..LabelSelector::default()
            }),
            // Pods that are not ready protect nothing; letting them be evicted
            // keeps a crash-looping pod from blocking node drains.
            unhealthy_pod_eviction_policy: Some("AlwaysAllow".to_owned()),
        }),
        ..PodDisruptionBudget::default()
    }
}

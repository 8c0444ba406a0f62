//! HorizontalPodAutoscaler (autoscaling/v2).

use k8s_openapi::api::autoscaling::v2::{
    CrossVersionObjectReference, HPAScalingRules, HorizontalPodAutoscaler,
    HorizontalPodAutoscalerBehavior, HorizontalPodAutoscalerSpec, MetricSpec, MetricTarget,
    ResourceMetricSource,
};
use k8s_openapi::apimachinery::pkg::apis::meta::v1::ObjectMeta;

use crate::model::labels;
use crate::model::{AutoscalingModel, PlatformModel, WorkloadModel};

pub(super) fn autoscaler(
    platform: &PlatformModel,
    workload: &WorkloadModel,
    autoscaling: &AutoscalingModel,
) -> HorizontalPodAutoscaler {
    let metric = |resource: &str, target: u8| MetricSpec {
        type_: "Resource".to_owned(),
        resource: Some(ResourceMetricSource {
            name: resource.to_owned(),
            target: MetricTarget {
                type_: "Utilization".to_owned(),
                average_utilization: Some(i32::from(target)),
                ..MetricTarget::default()
            },
        }),
        ..MetricSpec::default()
    };
    let mut metrics = Vec::new();
    if let Some(cpu) = autoscaling.cpu {
        metrics.push(metric("cpu", cpu));
    }
    if let Some(memory) = autoscaling.memory {
        metrics.push(metric("memory", memory));
    }
    // Only Deployments (or the Rollouts replacing them) and StatefulSets are
    // autoscaled (analysis rejects `autoscaling` on the other kinds).
    let (api_version, kind) = workload.scale_target();
    HorizontalPodAutoscaler {
        metadata: ObjectMeta {
            name: Some(workload.name.clone()),
            namespace: Some(workload.namespace.clone()),
            labels: Some(labels::workload_labels(platform, workload)),
            annotations: super::sync_order::add_waiting_wave(workload, None),
            ..ObjectMeta::default()
        },
        spec: Some(HorizontalPodAutoscalerSpec {
            scale_target_ref: CrossVersionObjectReference {
                api_version: Some(api_version.to_owned()),
                kind: kind.to_owned(),
                name: workload.name.clone(),
            },
            min_replicas: Some(i32::try_from(autoscaling.min).unwrap_or(i32::MAX)),
            max_replicas: i32::try_from(autoscaling.max).unwrap_or(i32::MAX),
            metrics: Some(metrics),
            behavior: autoscaling.scale_down_stabilization_seconds.map(|seconds| {
                HorizontalPodAutoscalerBehavior {
                    scale_down: Some(HPAScalingRules {
                        stabilization_window_seconds: Some(
                            i32::try_from(seconds).unwrap_or(i32::MAX),
                        ),
                        ..HPAScalingRules::default()
                    }),
                    ..HorizontalPodAutoscalerBehavior::default()
                }
            }),
        }),
        ..HorizontalPodAutoscaler::default()
    }
}

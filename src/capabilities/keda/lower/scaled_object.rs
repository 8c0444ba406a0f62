//! `ScaledObject` (`keda.sh/v1alpha1`): the workload's replica range and
//! its triggers. KEDA creates the HorizontalPodAutoscaler from it, named
//! after the workload as the one platformgen renders for CPU and memory
//! would be, so switching between the two keeps the name.

use k8s_openapi::apimachinery::pkg::apis::meta::v1::ObjectMeta;
use serde::Serialize;
use serde_json::{Map, Value, json};

use crate::model::{AutoscalingModel, PlatformModel, WorkloadModel, labels};

use super::super::model::{EventScalingModel, TriggerModel};
use super::trigger_authentication;

#[derive(Debug, Serialize)]
pub(super) struct ScaledObject {
    metadata: ObjectMeta,
    spec: Value,
}

crate::custom_resource!(
    ScaledObject,
    "keda.sh",
    "v1alpha1",
    "ScaledObject",
    Namespaced,
    "scaledobjects"
);

pub(super) fn scaled_object(
    platform: &PlatformModel,
    workload: &WorkloadModel,
    autoscaling: &AutoscalingModel,
    events: &EventScalingModel,
) -> ScaledObject {
    // Jobs and CronJobs are never scaled (see `lower::objects`); a
    // Deployment with `delivery` is scaled through its Rollout.
    let (api_version, kind) = workload.scale_target();
    let mut hpa = Map::new();
    hpa.insert("name".to_owned(), json!(workload.name));
    if let Some(seconds) = autoscaling.scale_down_stabilization_seconds {
        hpa.insert(
            "behavior".to_owned(),
            json!({ "scaleDown": { "stabilizationWindowSeconds": seconds } }),
        );
    }
    let triggers: Vec<Value> = events
        .triggers
        .iter()
        .map(|trigger| match trigger {
            TriggerModel::Rabbitmq {
                host,
                vhost,
                queue,
                messages_per_replica,
                ..
            } => json!({
                "type": "rabbitmq",
                "metadata": {
                    // The management API counts unacknowledged messages too
                    // (AMQP only sees ready ones): messages being worked on
                    // keep their replicas.
                    "protocol": "http",
                    "host": host,
                    "vhostName": vhost,
                    "queueName": queue,
                    "mode": "QueueLength",
                    "value": messages_per_replica.to_string(),
                },
                "authenticationRef": { "name": trigger_authentication::name(workload) },
            }),
            TriggerModel::Prometheus {
                server_address,
                query,
                threshold,
            } => json!({
                "type": "prometheus",
                "metadata": {
                    "serverAddress": server_address,
                    "query": query,
                    "threshold": threshold,
                },
            }),
            TriggerModel::Cron {
                timezone,
                start,
                end,
                replicas,
            } => json!({
                "type": "cron",
                "metadata": {
                    "timezone": timezone,
                    "start": start,
                    "end": end,
                    "desiredReplicas": replicas.to_string(),
                },
            }),
        })
        .collect();
    ScaledObject {
        metadata: ObjectMeta {
            name: Some(workload.name.clone()),
            namespace: Some(workload.namespace.clone()),
            labels: Some(labels::workload_labels(platform, workload)),
            ..ObjectMeta::default()
        },
        spec: json!({
            "scaleTargetRef": { "apiVersion": api_version, "kind": kind, "name": workload.name },
            // Never to zero: the disruption budget and the availability
            // rules are derived from `min`.
            "minReplicaCount": autoscaling.min,
            "maxReplicaCount": autoscaling.max,
            "advanced": { "horizontalPodAutoscalerConfig": hpa },
            "triggers": triggers,
        }),
    }
}

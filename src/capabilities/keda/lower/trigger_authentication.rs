//! `TriggerAuthentication` (`keda.sh/v1alpha1`): the username and password
//! of a RabbitMQ broker's default user, from the Secret its operator
//! generates (or the connection's copy of it in the workload's namespace).

use k8s_openapi::apimachinery::pkg::apis::meta::v1::ObjectMeta;
use serde::Serialize;
use serde_json::{Value, json};

use crate::model::{PlatformModel, WorkloadModel, labels};

use super::super::model::{EventScalingModel, TriggerModel};

#[derive(Debug, Serialize)]
pub(super) struct TriggerAuthentication {
    metadata: ObjectMeta,
    spec: Value,
}

crate::custom_resource!(
    TriggerAuthentication,
    "keda.sh",
    "v1alpha1",
    "TriggerAuthentication",
    Namespaced,
    "triggerauthentications"
);

/// The name both the object and the trigger referring to it use.
pub(super) fn name(workload: &WorkloadModel) -> String {
    format!("{}-rabbitmq", workload.name)
}

pub(super) fn trigger_authentication(
    platform: &PlatformModel,
    workload: &WorkloadModel,
    events: &EventScalingModel,
) -> Option<TriggerAuthentication> {
    let secret = events.triggers.iter().find_map(|trigger| match trigger {
        TriggerModel::Rabbitmq { secret, .. } => Some(secret),
        _ => None,
    })?;
    Some(TriggerAuthentication {
        metadata: ObjectMeta {
            name: Some(name(workload)),
            namespace: Some(workload.namespace.clone()),
            labels: Some(labels::workload_labels(platform, workload)),
            ..ObjectMeta::default()
        },
        spec: json!({
            "secretTargetRef": [
                { "parameter": "username", "name": secret, "key": "username" },
                { "parameter": "password", "name": secret, "key": "password" },
            ],
        }),
    })
}

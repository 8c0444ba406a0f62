//! Pieces every data service's custom resource is made of, shared by the
//! engines' lowering: the metadata that makes an operator's object read like
//! a workload's, resource amounts, and tolerations in the pod form operators
//! copy into their pods.

use std::collections::BTreeMap;

use k8s_openapi::api::core::v1::Toleration;
use k8s_openapi::apimachinery::pkg::apis::meta::v1::ObjectMeta;
use serde_json::{Value, json};

use crate::model::{PlatformModel, TolerationModel, labels};
use crate::spec::ResourceAmounts;

/// An operator object `name` of data service `service` (its component for
/// the recommended labels, its description as an annotation).
pub(crate) fn data_service_metadata(
    platform: &PlatformModel,
    service: &str,
    name: &str,
    namespace: &str,
    component: &str,
    description: Option<&str>,
) -> ObjectMeta {
    let mut labels = labels::platform_labels(platform);
    labels.insert(labels::NAME.to_owned(), service.to_owned());
    labels.insert(labels::COMPONENT.to_owned(), component.to_owned());
    ObjectMeta {
        name: Some(name.to_owned()),
        namespace: Some(namespace.to_owned()),
        labels: Some(labels),
        annotations: description
            .map(|d| BTreeMap::from([("description".to_owned(), d.to_owned())])),
        ..ObjectMeta::default()
    }
}

/// `{ cpu, memory }` as a requests or limits map.
pub(crate) fn resource_amounts(amounts: &ResourceAmounts) -> Value {
    json!({ "cpu": amounts.cpu.as_str(), "memory": amounts.memory.as_str() })
}

/// One node-pool taint's toleration: `Equal` to its value, or `Exists`.
pub(crate) fn toleration(toleration: &TolerationModel) -> Toleration {
    Toleration {
        key: Some(toleration.key.clone()),
        operator: Some(
            if toleration.value.is_some() {
                "Equal"
            } else {
                "Exists"
            }
            .to_owned(),
        ),
        value: toleration.value.clone(),
        effect: Some(toleration.effect.as_str().to_owned()),
        ..Toleration::default()
    }
}

/// Tolerations as the JSON list an operator's pod template takes.
pub(crate) fn tolerations(tolerations: &[TolerationModel]) -> Value {
    Value::Array(
        tolerations
            .iter()
            .map(|t| serde_json::to_value(toleration(t)).expect("tolerations serialize"))
            .collect(),
    )
}

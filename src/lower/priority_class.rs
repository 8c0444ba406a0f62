//! PriorityClasses (`scheduling.k8s.io/v1`, cluster-scoped), one per entry of
//! `priorityClasses`.

use k8s_openapi::api::scheduling::v1::PriorityClass;
use k8s_openapi::apimachinery::pkg::apis::meta::v1::ObjectMeta;

use super::Objects;
use super::push;
use crate::model::labels;
use crate::model::{PlatformModel, PriorityClassModel};

pub(super) fn objects(platform: &PlatformModel, manifests: &mut Objects) {
    for class in &platform.priority_classes {
        push(manifests, &priority_class(platform, class), class.origin);
    }
}

fn priority_class(platform: &PlatformModel, class: &PriorityClassModel) -> PriorityClass {
    PriorityClass {
        metadata: ObjectMeta {
            name: Some(class.name.clone()),
            labels: Some(labels::platform_labels(platform)),
            ..ObjectMeta::default()
        },
        value: class.value,
        description: class.description.clone(),
        global_default: Some(class.global_default),
        preemption_policy: Some(class.preemption_policy.as_str().to_owned()),
    }
}

#[cfg(test)]
mod tests {
    use serde_json::{Value, json};

    use super::*;
    use crate::testing;

    #[test]
    fn every_declared_class_is_rendered() {
        let platform = testing::platform(
            "\
priorityClasses:
  shop-data: { value: 100000, description: Stateful stores }
  shop-batch: { value: -10, preemptionPolicy: Never, globalDefault: true }
",
        );
        let mut manifests = Objects::new();
        objects(&platform, &mut manifests);
        let values: Vec<Value> = manifests
            .into_iter()
            .map(|m| crate::lower::sync_order::without_sync_annotations(m.value))
            .collect();
        let labels = json!({ "app.kubernetes.io/managed-by": "platformgen", "app.kubernetes.io/part-of": "shop" });
        assert_eq!(
            values,
            [
                json!({
                    "apiVersion": "scheduling.k8s.io/v1", "kind": "PriorityClass",
                    "metadata": { "name": "shop-data", "labels": labels },
                    "value": 100000, "description": "Stateful stores",
                    "globalDefault": false, "preemptionPolicy": "PreemptLowerPriority",
                }),
                json!({
                    "apiVersion": "scheduling.k8s.io/v1", "kind": "PriorityClass",
                    "metadata": { "name": "shop-batch", "labels": labels },
                    "value": -10, "globalDefault": true, "preemptionPolicy": "Never",
                }),
            ]
        );
    }
}

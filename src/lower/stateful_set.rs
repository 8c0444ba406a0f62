//! StatefulSet: a store with a stable identity and a volume per replica.

use std::collections::BTreeMap;

use k8s_openapi::api::apps::v1::{
    RollingUpdateStatefulSetStrategy, StatefulSet, StatefulSetSpec, StatefulSetUpdateStrategy,
};
use k8s_openapi::api::core::v1::{
    PersistentVolumeClaim, PersistentVolumeClaimSpec, VolumeResourceRequirements,
};
use k8s_openapi::apimachinery::pkg::api::resource::Quantity;
use k8s_openapi::apimachinery::pkg::apis::meta::v1::{LabelSelector, ObjectMeta};

use super::{pod_template, service};
use crate::model::labels;
use crate::model::{PlatformModel, RolloutModel, WorkloadModel};

pub(super) fn stateful_set(platform: &PlatformModel, workload: &WorkloadModel) -> StatefulSet {
    let claims = workload.storage.as_ref().map(|storage| {
        vec![PersistentVolumeClaim {
            metadata: ObjectMeta {
                name: Some(pod_template::DATA_VOLUME.to_owned()),
                labels: Some(labels::selector_labels(platform, workload)),
                ..ObjectMeta::default()
            },
            spec: Some(PersistentVolumeClaimSpec {
                access_modes: Some(vec!["ReadWriteOnce".to_owned()]),
                storage_class_name: storage.storage_class.clone(),
                resources: Some(VolumeResourceRequirements {
                    requests: Some(BTreeMap::from([(
                        "storage".to_owned(),
                        Quantity(storage.size.to_string()),
                    )])),
                    ..VolumeResourceRequirements::default()
                }),
                ..PersistentVolumeClaimSpec::default()
            }),
            ..PersistentVolumeClaim::default()
        }]
    });
    StatefulSet {
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
        spec: Some(StatefulSetSpec {
            replicas: workload
                .autoscaling
                .is_none()
                .then(|| i32::try_from(workload.replicas).unwrap_or(i32::MAX)),
            revision_history_limit: Some(5),
            service_name: Some(service::headless_name(workload)),
            selector: LabelSelector {
                match_labels: Some(labels::selector_labels(platform, workload)),
                ..LabelSelector::default()
            },
            template: pod_template::pod_template(platform, workload),
            volume_claim_templates: claims,
            // Only a partition is written: the rest is Kubernetes' default
            // (a rolling update, one pod at a time).
            update_strategy: match workload.rollout {
                RolloutModel::Partition(partition) if partition > 0 => {
                    Some(StatefulSetUpdateStrategy {
                        type_: Some("RollingUpdate".to_owned()),
                        rolling_update: Some(RollingUpdateStatefulSetStrategy {
                            partition: Some(i32::try_from(partition).unwrap_or(i32::MAX)),
                            ..RollingUpdateStatefulSetStrategy::default()
                        }),
                    })
                }
                _ => None,
            },
            ..StatefulSetSpec::default()
        }),
        ..StatefulSet::default()
    }
}

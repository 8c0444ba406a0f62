//! PodDisruptionBudget (policy/v1) of a clustered broker: node drains and
//! cluster upgrades evict one RabbitMQ node at a time, so the majority quorum
//! queues need stays up. The operator renders none itself; its
//! production-ready example (`docs/examples/production-ready`) adds this one.

use std::collections::BTreeMap;

use k8s_openapi::api::policy::v1::{PodDisruptionBudget, PodDisruptionBudgetSpec};
use k8s_openapi::apimachinery::pkg::apis::meta::v1::LabelSelector;
use k8s_openapi::apimachinery::pkg::util::intstr::IntOrString;

use crate::model::PlatformModel;

use super::super::model::{NAME_LABEL, RabbitmqModel};
use super::metadata::metadata;

pub(super) fn pod_disruption_budget(
    platform: &PlatformModel,
    broker: &RabbitmqModel,
) -> PodDisruptionBudget {
    let mut meta = metadata(platform, broker);
    meta.annotations = None;
    PodDisruptionBudget {
        metadata: meta,
        spec: Some(PodDisruptionBudgetSpec {
            max_unavailable: Some(IntOrString::Int(1)),
            selector: Some(LabelSelector {
                match_labels: Some(BTreeMap::from([(
                    NAME_LABEL.to_owned(),
                    broker.name.clone(),
                )])),
                ..LabelSelector::default()
            }),
            // A node that is not ready holds no quorum; letting it be
            // evicted keeps a crash-looping node from blocking drains.
            unhealthy_pod_eviction_policy: Some("AlwaysAllow".to_owned()),
            ..PodDisruptionBudgetSpec::default()
        }),
        ..PodDisruptionBudget::default()
    }
}

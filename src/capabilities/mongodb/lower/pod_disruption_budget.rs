//! PodDisruptionBudget (policy/v1) of a replica set of several members: node
//! drains evict one member at a time, so a majority stays up to keep (or
//! elect) a primary. The operator renders none itself.

use std::collections::BTreeMap;

use k8s_openapi::api::policy::v1::{PodDisruptionBudget, PodDisruptionBudgetSpec};
use k8s_openapi::apimachinery::pkg::apis::meta::v1::LabelSelector;
use k8s_openapi::apimachinery::pkg::util::intstr::IntOrString;

use crate::model::PlatformModel;

use super::super::model::{APP_LABEL, MongodbModel};
use super::metadata::metadata;

pub(super) fn pod_disruption_budget(
    platform: &PlatformModel,
    replica_set: &MongodbModel,
) -> PodDisruptionBudget {
    let mut meta = metadata(platform, replica_set);
    meta.annotations = None;
    PodDisruptionBudget {
        metadata: meta,
        spec: Some(PodDisruptionBudgetSpec {
            max_unavailable: Some(IntOrString::Int(1)),
            selector: Some(LabelSelector {
                match_labels: Some(BTreeMap::from([(
                    APP_LABEL.to_owned(),
                    replica_set.app_label(),
                )])),
                ..LabelSelector::default()
            }),
            // A member that is not ready counts for no majority; letting it
            // be evicted keeps a crash-looping member from blocking drains.
            unhealthy_pod_eviction_policy: Some("AlwaysAllow".to_owned()),
            ..PodDisruptionBudgetSpec::default()
        }),
        ..PodDisruptionBudget::default()
    }
}

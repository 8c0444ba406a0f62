//! ResourceQuota `default` of a namespace that sets `quota`.

use std::collections::BTreeMap;

use k8s_openapi::api::core::v1::{ResourceQuota, ResourceQuotaSpec};
use k8s_openapi::apimachinery::pkg::api::resource::Quantity;
use k8s_openapi::apimachinery::pkg::apis::meta::v1::ObjectMeta;

use super::push;
use crate::model::labels;
use crate::model::{NamespaceModel, PlatformModel, QuotaModel};
use crate::object::Manifest;
use crate::spec::ComputeAmounts;

/// Name of the namespace's quota and limit range: one of each per namespace.
pub(super) const NAME: &str = "default";

/// The ResourceQuota and LimitRange of every namespace that sets them.
pub(super) fn objects(platform: &PlatformModel, manifests: &mut Vec<Manifest>) {
    for namespace in &platform.namespaces {
        if let Some(quota) = &namespace.quota {
            push(
                manifests,
                &resource_quota(platform, namespace, quota),
                namespace.origin,
            );
        }
        if let Some(range) = &namespace.limit_range {
            push(
                manifests,
                &super::limit_range::limit_range(platform, namespace, range),
                namespace.origin,
            );
        }
    }
}

fn resource_quota(
    platform: &PlatformModel,
    namespace: &NamespaceModel,
    quota: &QuotaModel,
) -> ResourceQuota {
    let mut hard = BTreeMap::new();
    for (section, amounts) in [("requests", &quota.requests), ("limits", &quota.limits)] {
        for (resource, amount) in [("cpu", &amounts.cpu), ("memory", &amounts.memory)] {
            if let Some(amount) = amount {
                hard.insert(
                    format!("{section}.{resource}"),
                    Quantity(amount.as_str().to_owned()),
                );
            }
        }
    }
    if let Some(pods) = quota.pods {
        hard.insert("pods".to_owned(), Quantity(pods.to_string()));
    }
    ResourceQuota {
        metadata: ObjectMeta {
            name: Some(NAME.to_owned()),
            namespace: Some(namespace.name.clone()),
            labels: Some(labels::platform_labels(platform)),
            ..ObjectMeta::default()
        },
        spec: Some(ResourceQuotaSpec {
            hard: Some(hard),
            ..ResourceQuotaSpec::default()
        }),
        ..ResourceQuota::default()
    }
}

/// The set amounts as a resource list (`cpu`, `memory`), if any is set.
pub(super) fn resource_list(amounts: &ComputeAmounts) -> Option<BTreeMap<String, Quantity>> {
    let list: BTreeMap<String, Quantity> = [("cpu", &amounts.cpu), ("memory", &amounts.memory)]
        .into_iter()
        .filter_map(|(resource, amount)| {
            amount
                .as_ref()
                .map(|a| (resource.to_owned(), Quantity(a.as_str().to_owned())))
        })
        .collect();
    (!list.is_empty()).then_some(list)
}

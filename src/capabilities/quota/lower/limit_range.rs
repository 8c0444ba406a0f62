//! LimitRange `default` of a namespace that sets `limitRange`: container
//! defaults and bounds.

use std::collections::BTreeMap;

use k8s_openapi::api::core::v1::{LimitRange, LimitRangeItem, LimitRangeSpec};
use k8s_openapi::apimachinery::pkg::api::resource::Quantity;
use k8s_openapi::apimachinery::pkg::apis::meta::v1::ObjectMeta;

use super::object_name::NAME;
use crate::capabilities::quota::model::LimitRangeModel;
use crate::model::labels;
use crate::model::{NamespaceModel, PlatformModel};
use crate::spec::ComputeAmounts;

pub(super) fn limit_range(
    platform: &PlatformModel,
    namespace: &NamespaceModel,
    range: &LimitRangeModel,
) -> LimitRange {
    LimitRange {
        metadata: ObjectMeta {
            name: Some(NAME.to_owned()),
            namespace: Some(namespace.name.clone()),
            labels: Some(labels::platform_labels(platform)),
            ..ObjectMeta::default()
        },
        spec: Some(LimitRangeSpec {
            limits: vec![LimitRangeItem {
                type_: "Container".to_owned(),
                default: resource_list(&range.default),
                default_request: resource_list(&range.default_request),
                max: resource_list(&range.max),
                min: resource_list(&range.min),
                ..LimitRangeItem::default()
            }],
        }),
    }
}

/// The set amounts as a resource list (`cpu`, `memory`), if any is set.
fn resource_list(amounts: &ComputeAmounts) -> Option<BTreeMap<String, Quantity>> {
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

//! LimitRange `default` of a namespace that sets `limitRange`: container
//! defaults and bounds.

use k8s_openapi::api::core::v1::{LimitRange, LimitRangeItem, LimitRangeSpec};
use k8s_openapi::apimachinery::pkg::apis::meta::v1::ObjectMeta;

use super::resource_quota::{NAME, resource_list};
use crate::model::labels;
use crate::model::{LimitRangeModel, NamespaceModel, PlatformModel};

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

//! ResourceQuota `default` of a namespace that sets `quota`.

use std::collections::BTreeMap;

use k8s_openapi::api::core::v1::{ResourceQuota, ResourceQuotaSpec};
use k8s_openapi::apimachinery::pkg::api::resource::Quantity;
use k8s_openapi::apimachinery::pkg::apis::meta::v1::ObjectMeta;

use super::object_name::NAME;
use crate::capabilities::quota::model::QuotaModel;
use crate::model::labels;
use crate::model::{NamespaceModel, PlatformModel};

pub(super) fn resource_quota(
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

//! ConfigMap: a workload's config variables and files, and the checksum of that
//! content that goes on the pod template.

use std::collections::BTreeMap;

use k8s_openapi::api::core::v1::ConfigMap;
use k8s_openapi::apimachinery::pkg::apis::meta::v1::ObjectMeta;
use sha2::{Digest, Sha256};

use crate::model::labels;
use crate::model::{ConfigModel, PlatformModel, WorkloadModel};

pub(super) fn name(workload: &WorkloadModel) -> String {
    format!("{}-config", workload.name)
}

/// The ConfigMap's data: variables, files and the files of `mounts` in one
/// map (the analyzer rejects a key used twice).
pub(super) fn data(config: &ConfigModel) -> BTreeMap<String, String> {
    let mut data = config.env.clone();
    data.extend(config.files.iter().map(|(k, v)| (k.clone(), v.clone())));
    for (_, files) in &config.mounts {
        data.extend(files.iter().map(|(k, v)| (k.clone(), v.clone())));
    }
    data
}

/// SHA-256 over a workload's config data ([`data_checksum`]).
pub fn checksum(config: &ConfigModel) -> String {
    data_checksum(&data(config))
}

/// SHA-256 over a ConfigMap's data in a canonical form (sorted keys, each key
/// and value length-prefixed so no two different maps share an encoding):
/// the `checksum/config` annotation that rolls pods when the data changes.
pub fn data_checksum(data: &BTreeMap<String, String>) -> String {
    let mut hasher = Sha256::new();
    for (key, value) in data {
        hasher.update((key.len() as u64).to_le_bytes());
        hasher.update(key.as_bytes());
        hasher.update((value.len() as u64).to_le_bytes());
        hasher.update(value.as_bytes());
    }
    crate::object::hex::lower_hex(&hasher.finalize(), usize::MAX)
}

pub(super) fn config_map(
    platform: &PlatformModel,
    workload: &WorkloadModel,
    config: &ConfigModel,
) -> ConfigMap {
    ConfigMap {
        metadata: ObjectMeta {
            name: Some(name(workload)),
            namespace: Some(workload.namespace.clone()),
            labels: Some(labels::workload_labels(platform, workload)),
            ..ObjectMeta::default()
        },
        data: Some(data(config)),
        ..ConfigMap::default()
    }
}

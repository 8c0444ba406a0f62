//! StorageClasses (`storage.k8s.io/v1`, cluster-scoped): those `cloud`
//! generates and those `storageClasses` declares, as resolved by analysis.

use std::collections::BTreeMap;

use k8s_openapi::api::storage::v1::StorageClass;
use k8s_openapi::apimachinery::pkg::apis::meta::v1::ObjectMeta;

use super::model::StorageClassModel;
use crate::lower::Objects;
use crate::lower::push;
use crate::model::{PlatformModel, labels};

/// The annotation that makes a class the cluster's default.
const DEFAULT_CLASS: &str = "storageclass.kubernetes.io/is-default-class";

/// Every StorageClass the platform renders.
pub fn objects(platform: &PlatformModel, manifests: &mut Objects) {
    for class in crate::capabilities::storage_class::model::storage_classes(platform) {
        push(manifests, &storage_class(platform, class), class.origin);
    }
}

fn storage_class(platform: &PlatformModel, class: &StorageClassModel) -> StorageClass {
    StorageClass {
        metadata: ObjectMeta {
            name: Some(class.name.clone()),
            labels: Some(labels::platform_labels(platform)),
            annotations: class
                .default
                .then(|| BTreeMap::from([(DEFAULT_CLASS.to_owned(), "true".to_owned())])),
            ..ObjectMeta::default()
        },
        provisioner: class.provisioner.clone(),
        parameters: (!class.parameters.is_empty()).then(|| class.parameters.clone()),
        reclaim_policy: Some(class.reclaim_policy.as_str().to_owned()),
        volume_binding_mode: Some(class.volume_binding_mode.as_str().to_owned()),
        allow_volume_expansion: Some(class.allow_volume_expansion),
        ..StorageClass::default()
    }
}

#[cfg(test)]
mod tests {
    use serde_json::{Value, json};

    use super::*;
    use crate::testing;

    /// `(name, provisioner, parameters, allowVolumeExpansion)` of every class.
    #[track_caller]
    fn case(overlay: &str, expected: &[(&str, &str, Value, bool)]) {
        let platform = testing::platform(overlay);
        let mut manifests = Objects::new();
        objects(&platform, &mut manifests);
        let found: Vec<(String, String, Value, bool)> = manifests
            .iter()
            .map(|m| {
                assert_eq!(m.value["volumeBindingMode"], "WaitForFirstConsumer");
                (
                    m.key.name.clone(),
                    m.value["provisioner"]
                        .as_str()
                        .unwrap_or_default()
                        .to_owned(),
                    m.value["parameters"].clone(),
                    m.value["allowVolumeExpansion"] == true,
                )
            })
            .collect();
        let expected: Vec<(String, String, Value, bool)> = expected
            .iter()
            .map(|(n, p, v, e)| ((*n).to_owned(), (*p).to_owned(), v.clone(), *e))
            .collect();
        assert_eq!(found, expected, "{overlay}");
    }

    #[test]
    fn each_cloud_generates_fast_ssd_and_standard() {
        case(
            "cloud: aws",
            &[
                (
                    "fast-ssd",
                    "ebs.csi.aws.com",
                    json!({ "type": "gp3", "iops": "3000", "encrypted": "true" }),
                    true,
                ),
                (
                    "standard",
                    "ebs.csi.aws.com",
                    json!({ "type": "gp2", "encrypted": "true" }),
                    true,
                ),
            ],
        );
        case(
            "cloud: gcp",
            &[
                (
                    "fast-ssd",
                    "pd.csi.storage.gke.io",
                    json!({ "type": "pd-ssd" }),
                    true,
                ),
                (
                    "standard",
                    "pd.csi.storage.gke.io",
                    json!({ "type": "pd-standard" }),
                    true,
                ),
            ],
        );
        case(
            "cloud: azure",
            &[
                (
                    "fast-ssd",
                    "disk.csi.azure.com",
                    json!({ "skuName": "Premium_LRS" }),
                    true,
                ),
                (
                    "standard",
                    "disk.csi.azure.com",
                    json!({ "skuName": "StandardSSD_LRS" }),
                    true,
                ),
            ],
        );
        case(
            "cloud: digitalocean",
            &[
                ("fast-ssd", "dobs.csi.digitalocean.com", Value::Null, true),
                ("standard", "dobs.csi.digitalocean.com", Value::Null, true),
            ],
        );
        case(
            "cloud: linode",
            &[
                ("fast-ssd", "linodebs.csi.linode.com", Value::Null, true),
                ("standard", "linodebs.csi.linode.com", Value::Null, true),
            ],
        );
        case(
            "cloud: k3s",
            &[
                ("fast-ssd", "rancher.io/local-path", Value::Null, false),
                ("standard", "rancher.io/local-path", Value::Null, false),
            ],
        );
        case("{}", &[]);
    }

    #[test]
    fn declarations_adjust_replace_add_or_skip_classes() {
        case(
            "\
cloud: aws
storageClasses:
  fast-ssd: { parameters: { iops: \"6000\" } }
  standard: { existing: true }
  nfs: { provisioner: nfs.csi.k8s.io, parameters: { server: nfs.example.com }, allowVolumeExpansion: false }
",
            &[
                ("fast-ssd", "ebs.csi.aws.com", json!({ "type": "gp3", "iops": "6000", "encrypted": "true" }), true),
                ("nfs", "nfs.csi.k8s.io", json!({ "server": "nfs.example.com" }), false),
            ],
        );
        case(
            "\
cloud: gcp
storageClasses:
  fast-ssd: { provisioner: filestore.csi.storage.gke.io, parameters: { tier: standard } }
",
            &[
                (
                    "fast-ssd",
                    "filestore.csi.storage.gke.io",
                    json!({ "tier": "standard" }),
                    true,
                ),
                (
                    "standard",
                    "pd.csi.storage.gke.io",
                    json!({ "type": "pd-standard" }),
                    true,
                ),
            ],
        );
    }

    #[test]
    fn a_default_class_is_annotated() {
        let platform = testing::platform(
            "storageClasses: { local: { provisioner: rancher.io/local-path, default: true, reclaimPolicy: Retain } }",
        );
        let mut manifests = Objects::new();
        objects(&platform, &mut manifests);
        let value = &manifests[0].value;
        assert_eq!(value["metadata"]["annotations"][DEFAULT_CLASS], "true");
        assert_eq!(value["reclaimPolicy"], "Retain");
    }
}

//! Bitnami Sealed Secrets `SealedSecret` (`bitnami.com/v1alpha1`): kubeseal
//! ciphertext, which the controller decrypts into the Secret
//! `<workload>-<secret>` (labelled like the workload's other objects).

use std::collections::BTreeMap;

use k8s_openapi::apimachinery::pkg::apis::meta::v1::ObjectMeta;
use serde::Serialize;

use crate::capabilities::secrets::model::SecretModel;
use crate::capabilities::secrets::spec::SealingScope;
use crate::model::labels;
use crate::model::{PlatformModel, WorkloadModel};

#[derive(Debug, Serialize)]
#[serde(rename_all = "camelCase")]
pub(super) struct SealedSecret {
    metadata: ObjectMeta,
    spec: SealedSecretSpec,
}

crate::custom_resource!(
    SealedSecret,
    "bitnami.com",
    "v1alpha1",
    "SealedSecret",
    Namespaced,
    "sealedsecrets"
);

#[derive(Debug, Serialize)]
#[serde(rename_all = "camelCase")]
struct SealedSecretSpec {
    encrypted_data: BTreeMap<String, String>,
    template: Template,
}

#[derive(Debug, Serialize)]
struct Template {
    metadata: ObjectMeta,
    #[serde(rename = "type")]
    type_: &'static str,
}

pub(super) fn sealed_secret(
    platform: &PlatformModel,
    workload: &WorkloadModel,
    secret: &SecretModel,
    encrypted_data: &BTreeMap<String, String>,
    scope: SealingScope,
) -> SealedSecret {
    // The controller reads the scope from these annotations; strict is the
    // default and needs none.
    let annotation = match scope {
        SealingScope::Strict => None,
        SealingScope::NamespaceWide => Some("sealedsecrets.bitnami.com/namespace-wide"),
        SealingScope::ClusterWide => Some("sealedsecrets.bitnami.com/cluster-wide"),
    };
    let labels = labels::workload_labels(platform, workload);
    SealedSecret {
        metadata: ObjectMeta {
            name: Some(secret.object_name.clone()),
            namespace: Some(workload.namespace.clone()),
            labels: Some(labels.clone()),
            annotations: annotation
                .map(|key| BTreeMap::from([(key.to_owned(), "true".to_owned())])),
            ..ObjectMeta::default()
        },
        spec: SealedSecretSpec {
            encrypted_data: encrypted_data.clone(),
            template: Template {
                metadata: ObjectMeta {
                    name: Some(secret.object_name.clone()),
                    namespace: Some(workload.namespace.clone()),
                    labels: Some(labels),
                    ..ObjectMeta::default()
                },
                type_: secret.secret_type(),
            },
        },
    }
}

//! External Secrets Operator `ExternalSecret` (`external-secrets.io/v1`): the
//! operator reads each key from the named SecretStore or ClusterSecretStore
//! and writes the Secret `<workload>-<secret>`, which it owns (deleted with
//! the ExternalSecret).

use k8s_openapi::apimachinery::pkg::apis::meta::v1::ObjectMeta;
use serde::Serialize;

use crate::capabilities::secrets::model::{RemoteRefModel, SecretModel};
use crate::capabilities::secrets::spec::SecretStoreKind;
use crate::model::labels;
use crate::model::{PlatformModel, WorkloadModel};

#[derive(Debug, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct ExternalSecret {
    metadata: ObjectMeta,
    spec: ExternalSecretSpec,
}

crate::custom_resource!(
    ExternalSecret,
    "external-secrets.io",
    "v1",
    "ExternalSecret",
    Namespaced,
    "externalsecrets"
);

#[derive(Debug, Serialize)]
#[serde(rename_all = "camelCase")]
struct ExternalSecretSpec {
    refresh_interval: String,
    secret_store_ref: SecretStoreRef,
    target: Target,
    data: Vec<Data>,
}

#[derive(Debug, Serialize)]
struct SecretStoreRef {
    name: String,
    kind: &'static str,
}

#[derive(Debug, Serialize)]
#[serde(rename_all = "camelCase")]
struct Target {
    name: String,
    /// The operator owns the Secret: it goes when the ExternalSecret goes.
    creation_policy: &'static str,
    /// Only for registry credentials: the Secret's type, which the kubelet
    /// requires (the operator writes `Opaque` otherwise).
    #[serde(skip_serializing_if = "Option::is_none")]
    template: Option<TargetTemplate>,
}

#[derive(Debug, Serialize)]
struct TargetTemplate {
    #[serde(rename = "type")]
    type_: &'static str,
}

#[derive(Debug, Serialize)]
#[serde(rename_all = "camelCase")]
struct Data {
    secret_key: String,
    remote_ref: RemoteRef,
}

#[derive(Debug, Serialize)]
struct RemoteRef {
    key: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    property: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    version: Option<String>,
}

pub(super) fn external_secret(
    platform: &PlatformModel,
    workload: &WorkloadModel,
    secret: &SecretModel,
    store_name: &str,
    store_kind: SecretStoreKind,
    refresh_interval: &str,
    data: &[(String, RemoteRefModel)],
) -> ExternalSecret {
    let mut external = external_secret_named(
        ObjectMeta {
            name: Some(secret.object_name.clone()),
            namespace: Some(workload.namespace.clone()),
            labels: Some(labels::workload_labels(platform, workload)),
            ..ObjectMeta::default()
        },
        store_name,
        store_kind,
        refresh_interval,
        data,
    );
    external.spec.target.template = secret.image_pull.then(|| TargetTemplate {
        type_: secret.secret_type(),
    });
    external
}

/// An ExternalSecret writing the Secret named like itself (`metadata.name`),
/// for any owner: a workload's secret, or another capability's credentials.
pub fn external_secret_named(
    metadata: ObjectMeta,
    store_name: &str,
    store_kind: SecretStoreKind,
    refresh_interval: &str,
    data: &[(String, RemoteRefModel)],
) -> ExternalSecret {
    let target = metadata.name.clone().unwrap_or_default();
    ExternalSecret {
        metadata,
        spec: ExternalSecretSpec {
            refresh_interval: refresh_interval.to_owned(),
            secret_store_ref: SecretStoreRef {
                name: store_name.to_owned(),
                kind: store_kind.as_str(),
            },
            target: Target {
                name: target,
                creation_policy: "Owner",
                template: None,
            },
            data: data
                .iter()
                .map(|(key, remote)| Data {
                    secret_key: key.clone(),
                    remote_ref: RemoteRef {
                        key: remote.key.clone(),
                        property: remote.property.clone(),
                        version: remote.version.clone(),
                    },
                })
                .collect(),
        },
    }
}

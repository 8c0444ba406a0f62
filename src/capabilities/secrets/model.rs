//! `SecretModel`: one resolved secret of a workload: the Secret the pod reads,
//! where its values come from, and how the container sees them.

use std::collections::BTreeMap;

use super::spec::{SealingScope, SecretStoreKind, SecretText};

#[derive(Debug, Clone)]
pub struct SecretModel {
    /// The secret's name in the spec (`secrets.<name>`).
    pub name: String,
    /// Name of the Secret object in the cluster the pod reads: `<workload>-<name>`,
    /// or the existing Secret's name.
    pub object_name: String,
    pub source: SecretSource,
    /// Keys of the Secret, in spec order.
    pub keys: Vec<String>,
    /// Environment variables: variable name to key, in spec order.
    pub env: Vec<(String, String)>,
    /// Where every key is mounted as a file.
    pub mount_path: Option<String>,
    /// Registry credentials named in the workload's `imagePullSecrets`: the
    /// Secret platformgen renders is of type `kubernetes.io/dockerconfigjson`.
    pub image_pull: bool,
}

/// Type of a Secret holding registry credentials (`.dockerconfigjson`).
pub const DOCKER_CONFIG_JSON: &str = "kubernetes.io/dockerconfigjson";
/// Key of such a Secret.
pub const DOCKER_CONFIG_KEY: &str = ".dockerconfigjson";

impl SecretModel {
    /// The type of the Secret object: registry credentials, or opaque data.
    pub fn secret_type(&self) -> &'static str {
        if self.image_pull {
            DOCKER_CONFIG_JSON
        } else {
            "Opaque"
        }
    }
}

#[derive(Debug, Clone)]
pub enum SecretSource {
    /// An ExternalSecret of the External Secrets Operator.
    External {
        store_name: String,
        store_kind: SecretStoreKind,
        refresh_interval: String,
        /// Key of the Secret to where its value lives remotely, in spec order.
        data: Vec<(String, RemoteRefModel)>,
    },
    /// A SealedSecret with kubeseal ciphertext.
    Sealed {
        encrypted_data: BTreeMap<String, String>,
        scope: SealingScope,
    },
    /// A Secret that exists already: nothing is rendered.
    Existing,
    /// A Secret with the values in clear text (development tier only).
    Plain { data: BTreeMap<String, SecretText> },
}

#[derive(Debug, Clone)]
pub struct RemoteRefModel {
    pub key: String,
    pub property: Option<String>,
    pub version: Option<String>,
}

/// The secrets a workload's container reads (`WorkloadModel::parts`), in
/// spec order.
pub const SECRETS: crate::model::Part<Vec<SecretModel>> = crate::model::Part::new("secrets");

/// The secrets the workload's container reads, in spec order.
pub fn secrets(workload: &crate::model::WorkloadModel) -> &[SecretModel] {
    SECRETS.get(&workload.parts).map_or(&[], Vec::as_slice)
}

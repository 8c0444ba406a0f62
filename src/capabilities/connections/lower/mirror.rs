//! The objects of one copy of Secrets from namespace `from` to `to`: in `to`
//! a ServiceAccount, a `SecretStore` (External Secrets Operator, Kubernetes
//! provider) reading `from` as it, and an `ExternalSecret` per Secret; in
//! `from` a Role allowing it to read exactly those Secrets, and its binding.

use k8s_openapi::api::core::v1::ServiceAccount;
use k8s_openapi::api::rbac::v1::{PolicyRule, Role, RoleBinding, RoleRef, Subject};
use k8s_openapi::apimachinery::pkg::apis::meta::v1::ObjectMeta;
use serde::Serialize;
use serde_json::{Value, json};

use crate::model::{PlatformModel, labels};

/// The ServiceAccount and SecretStore in `to`.
fn reader(from: &str) -> String {
    format!("secrets-from-{from}")
}

/// The Role and RoleBinding in `from`.
fn grant(to: &str) -> String {
    format!("secrets-for-{to}")
}

fn metadata(platform: &PlatformModel, name: String, namespace: &str) -> ObjectMeta {
    let mut labels = labels::platform_labels(platform);
    labels.insert(labels::COMPONENT.to_owned(), "secret-copy".to_owned());
    ObjectMeta {
        name: Some(name),
        namespace: Some(namespace.to_owned()),
        labels: Some(labels),
        ..ObjectMeta::default()
    }
}

pub(super) fn service_account(platform: &PlatformModel, from: &str, to: &str) -> ServiceAccount {
    ServiceAccount {
        metadata: metadata(platform, reader(from), to),
        // The operator asks the API server for this account's tokens itself
        // (TokenRequest); no pod runs as it.
        automount_service_account_token: Some(false),
        ..ServiceAccount::default()
    }
}

pub(super) fn role(platform: &PlatformModel, from: &str, to: &str, secrets: &[&str]) -> Role {
    Role {
        metadata: metadata(platform, grant(to), from),
        rules: Some(vec![PolicyRule {
            api_groups: Some(vec![String::new()]),
            resources: Some(vec!["secrets".to_owned()]),
            resource_names: Some(secrets.iter().map(|s| (*s).to_owned()).collect()),
            verbs: ["get", "list", "watch"].map(str::to_owned).to_vec(),
            ..PolicyRule::default()
        }]),
    }
}

pub(super) fn role_binding(platform: &PlatformModel, from: &str, to: &str) -> RoleBinding {
    RoleBinding {
        metadata: metadata(platform, grant(to), from),
        role_ref: RoleRef {
            api_group: "rbac.authorization.k8s.io".to_owned(),
            kind: "Role".to_owned(),
            name: grant(to),
        },
        subjects: Some(vec![Subject {
            kind: "ServiceAccount".to_owned(),
            name: reader(from),
            namespace: Some(to.to_owned()),
            ..Subject::default()
        }]),
    }
}

#[derive(Debug, Serialize)]
pub(super) struct SecretStore {
    metadata: ObjectMeta,
    spec: Value,
}

crate::custom_resource!(
    SecretStore,
    "external-secrets.io",
    "v1",
    "SecretStore",
    Namespaced,
    "secretstores"
);

pub(super) fn secret_store(platform: &PlatformModel, from: &str, to: &str) -> SecretStore {
    SecretStore {
        metadata: metadata(platform, reader(from), to),
        spec: json!({
            "provider": {
                "kubernetes": {
                    "remoteNamespace": from,
                    // The in-cluster API server, verified with the CA every
                    // namespace holds.
                    "server": {
                        "caProvider": { "type": "ConfigMap", "name": "kube-root-ca.crt", "key": "ca.crt" },
                    },
                    "auth": { "serviceAccount": { "name": reader(from) } },
                },
            },
        }),
    }
}

#[derive(Debug, Serialize)]
pub(super) struct ExternalSecret {
    metadata: ObjectMeta,
    spec: Value,
}

crate::custom_resource!(
    ExternalSecret,
    "external-secrets.io",
    "v1",
    "ExternalSecret",
    Namespaced,
    "externalsecrets"
);

pub(super) fn external_secret(
    platform: &PlatformModel,
    from: &str,
    to: &str,
    secret: &str,
) -> ExternalSecret {
    ExternalSecret {
        metadata: metadata(platform, secret.to_owned(), to),
        spec: json!({
            // Credentials the operator rotates reach the copy within a minute.
            "refreshInterval": "1m",
            "secretStoreRef": { "kind": "SecretStore", "name": reader(from) },
            "target": { "name": secret, "creationPolicy": "Owner" },
            "dataFrom": [{ "extract": { "key": secret } }],
        }),
    }
}

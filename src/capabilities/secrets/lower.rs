//! The objects a workload's secrets render (the capability's workload hook):
//! a Secret for `plain` values, an ExternalSecret for `external`, a
//! SealedSecret for `sealed`; nothing for `existing`. All are named
//! `<workload>-<secret>`, in the workload's namespace. How the pod reads them
//! is resolved by the analysis (`SecretEnvModel`, `SecretFilesModel`) and
//! rendered by the core pod template.
//!
//! A plain Secret carries its values in `data` (base64), not `stringData`:
//! `data` is what the API server stores and returns, so a render compares
//! equal to the live object (with `stringData`, GitOps tools see a
//! difference on every sync), and the value's text never appears verbatim in
//! a render, a terminal or a grep of the rendered tree. Base64 is an
//! encoding, not protection: this is why `plain` is for development only.

use std::collections::BTreeMap;

use k8s_openapi::ByteString;
use k8s_openapi::api::core::v1::Secret;
use k8s_openapi::apimachinery::pkg::apis::meta::v1::ObjectMeta;

mod external_secret;
pub use external_secret::{ExternalSecret, external_secret_named};
mod sealed_secret;

use super::model::{SecretModel, SecretSource};
use super::spec::SecretText;
use crate::lower::Objects;
use crate::lower::push;
use crate::model::labels;
use crate::model::{PlatformModel, WorkloadModel};

/// Pushes the objects of every secret of `workload`.
pub fn objects(platform: &PlatformModel, workload: &WorkloadModel, manifests: &mut Objects) {
    for secret in crate::capabilities::secrets::model::secrets(workload) {
        match &secret.source {
            SecretSource::Plain { data } => push(
                manifests,
                &plain_secret(platform, workload, secret, data),
                workload.origin,
            ),
            SecretSource::External {
                store_name,
                store_kind,
                refresh_interval,
                data,
            } => push(
                manifests,
                &external_secret::external_secret(
                    platform,
                    workload,
                    secret,
                    store_name,
                    *store_kind,
                    refresh_interval,
                    data,
                ),
                workload.origin,
            ),
            SecretSource::Sealed {
                encrypted_data,
                scope,
            } => push(
                manifests,
                &sealed_secret::sealed_secret(platform, workload, secret, encrypted_data, *scope),
                workload.origin,
            ),
            SecretSource::Existing => {}
        }
    }
}

fn plain_secret(
    platform: &PlatformModel,
    workload: &WorkloadModel,
    secret: &SecretModel,
    data: &BTreeMap<String, SecretText>,
) -> Secret {
    Secret {
        metadata: ObjectMeta {
            name: Some(secret.object_name.clone()),
            namespace: Some(workload.namespace.clone()),
            labels: Some(labels::workload_labels(platform, workload)),
            ..ObjectMeta::default()
        },
        type_: Some(secret.secret_type().to_owned()),
        data: Some(
            data.iter()
                .map(|(key, value)| (key.clone(), ByteString(value.expose().as_bytes().to_vec())))
                .collect(),
        ),
        ..Secret::default()
    }
}

#[cfg(test)]
mod tests {
    use serde_json::{Value, json};

    use super::*;

    const BASE: &str = "\
platform: { name: shop, kubernetesVersion: \"1.33\" }
namespaces: { shop: {} }
workloads:
  api:
    namespace: shop
    image: ghcr.io/acme/api:1.2.3
    resources:
      requests: { cpu: 100m, memory: 128Mi }
      limits: { cpu: 500m, memory: 256Mi }
";

    /// The objects the secrets of `api` render, as JSON, for `base` with
    /// `overlay` merged over it.
    #[track_caller]
    fn rendered(secrets: &str, overlay: &str) -> Vec<Value> {
        let base = format!("{BASE}    secrets:\n{secrets}");
        let platform = crate::testing::model(&base, overlay);
        let mut manifests = Objects::new();
        objects(&platform, &platform.workloads[0], &mut manifests);
        manifests
            .into_iter()
            .map(|m| crate::lower::sync_order::without_sync_annotations(m.value))
            .collect()
    }

    #[track_caller]
    fn case(secrets: &str, overlay: &str, expected: Value) {
        let objects = rendered(secrets, overlay);
        assert_eq!(Value::Array(objects), expected);
    }

    fn labels() -> Value {
        json!({
            "app.kubernetes.io/instance": "shop",
            "app.kubernetes.io/managed-by": "platformgen",
            "app.kubernetes.io/name": "api",
            "app.kubernetes.io/part-of": "shop",
        })
    }

    #[test]
    fn each_backend_renders_its_object() {
        case(
            "      db: { plain: { password: hunter2 }, env: { PW: password } }\n",
            "tier: development\n",
            json!([{
                "apiVersion": "v1",
                "kind": "Secret",
                "metadata": { "name": "api-db", "namespace": "shop", "labels": labels() },
                "type": "Opaque",
                "data": { "password": "aHVudGVyMg==" },
            }]),
        );
        case(
            "      db:\n        external:\n          storeRef: { name: vault-backend, kind: ClusterSecretStore }\n          data: { password: { key: shop/postgres, property: password } }\n",
            "{}",
            json!([{
                "apiVersion": "external-secrets.io/v1",
                "kind": "ExternalSecret",
                "metadata": { "name": "api-db", "namespace": "shop", "labels": labels() },
                "spec": {
                    "refreshInterval": "1h",
                    "secretStoreRef": { "name": "vault-backend", "kind": "ClusterSecretStore" },
                    "target": { "name": "api-db", "creationPolicy": "Owner" },
                    "data": [{
                        "secretKey": "password",
                        "remoteRef": { "key": "shop/postgres", "property": "password" },
                    }],
                },
            }]),
        );
        let ciphertext = format!("AgB{}", "a".repeat(365));
        case(
            &format!(
                "      s3: {{ sealed: {{ encryptedData: {{ KEY: {ciphertext} }}, scope: namespaceWide }} }}\n"
            ),
            "{}",
            json!([{
                "apiVersion": "bitnami.com/v1alpha1",
                "kind": "SealedSecret",
                "metadata": {
                    "name": "api-s3",
                    "namespace": "shop",
                    "labels": labels(),
                    "annotations": { "sealedsecrets.bitnami.com/namespace-wide": "true" },
                },
                "spec": {
                    "encryptedData": { "KEY": ciphertext },
                    "template": {
                        "metadata": { "name": "api-s3", "namespace": "shop", "labels": labels() },
                        "type": "Opaque",
                    },
                },
            }]),
        );
        case(
            "      tls: { existing: { name: shop-tls, keys: [tls.crt] }, mountPath: /etc/tls }\n",
            "{}",
            json!([]),
        );
    }

    #[test]
    fn external_secrets_default_to_a_namespaced_store_and_keep_key_order() {
        let objects = rendered(
            "      db:\n        external:\n          storeRef: { name: store }\n          refreshInterval: 15m\n          data:\n            user: { key: db, property: user, version: \"2\" }\n            password: { key: db, property: password }\n",
            "{}",
        );
        let spec = &objects[0]["spec"];
        assert_eq!(spec["secretStoreRef"]["kind"], "SecretStore");
        assert_eq!(spec["refreshInterval"], "15m");
        assert_eq!(spec["data"][0]["secretKey"], "user");
        assert_eq!(spec["data"][0]["remoteRef"]["version"], "2");
        assert_eq!(spec["data"][1]["secretKey"], "password");
    }
}

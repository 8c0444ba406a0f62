//! How a container sees its secrets: environment variables by key
//! (`secretKeyRef`) and read-only volumes with one file per key, as the
//! secrets capability resolved them (`model/secret_ref_model.rs`). Values are
//! never copied into the pod spec; it only names the Secret and the key.

use k8s_openapi::api::core::v1::{
    EnvVar, EnvVarSource, KeyToPath, SecretKeySelector, SecretVolumeSource, Volume, VolumeMount,
};

use crate::model::WorkloadModel;

/// Files readable by their owner (root) and the pod's `fsGroup`, which the
/// non-root container runs with: 0440.
const FILE_MODE: i32 = 0o440;

/// The variables set from secrets, in spec order.
pub(super) fn env(workload: &WorkloadModel) -> Vec<EnvVar> {
    workload
        .secret_env
        .iter()
        .map(|reference| EnvVar {
            name: reference.variable.clone(),
            value_from: Some(EnvVarSource {
                secret_key_ref: Some(SecretKeySelector {
                    name: reference.secret.clone(),
                    key: reference.key.clone(),
                    optional: Some(false),
                }),
                ..EnvVarSource::default()
            }),
            ..EnvVar::default()
        })
        .collect()
}

/// A volume and its read-only mount for every secret mounted as files. Keys
/// are listed explicitly, so the files are exactly the keys the spec names
/// (an existing Secret may hold more).
pub(super) fn volumes(workload: &WorkloadModel) -> (Vec<Volume>, Vec<VolumeMount>) {
    workload
        .secret_files
        .iter()
        .map(|files| {
            let volume = Volume {
                name: files.volume.clone(),
                secret: Some(SecretVolumeSource {
                    secret_name: Some(files.secret.clone()),
                    default_mode: Some(FILE_MODE),
                    items: Some(
                        files
                            .keys
                            .iter()
                            .map(|key| KeyToPath {
                                key: key.clone(),
                                path: key.clone(),
                                ..KeyToPath::default()
                            })
                            .collect(),
                    ),
                    optional: Some(false),
                }),
                ..Volume::default()
            };
            let mount = VolumeMount {
                name: files.volume.clone(),
                mount_path: files.mount_path.clone(),
                read_only: Some(true),
                ..VolumeMount::default()
            };
            (volume, mount)
        })
        .unzip()
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;
    use crate::testing;

    #[test]
    fn variables_and_files_name_the_secret_and_key() {
        let platform = testing::platform(
            "\
workloads:
  web:
    secrets:
      db:
        external:
          storeRef: { name: vault }
          data: { password: { key: shop/db, property: password }, user: { key: shop/db, property: user } }
        env: { DB_PASSWORD: password, DB_USER: user }
        mountPath: /etc/db
      tls: { existing: { name: shop-tls, keys: [tls.crt, tls.key] }, mountPath: /etc/tls }
",
        );
        let workload = &platform.workloads[0];
        assert_eq!(
            serde_json::to_value(env(workload)).expect("JSON"),
            json!([
                { "name": "DB_PASSWORD", "valueFrom": { "secretKeyRef": { "name": "web-db", "key": "password", "optional": false } } },
                { "name": "DB_USER", "valueFrom": { "secretKeyRef": { "name": "web-db", "key": "user", "optional": false } } },
            ])
        );
        let (volumes, mounts) = volumes(workload);
        assert_eq!(
            serde_json::to_value(&volumes).expect("JSON"),
            json!([
                { "name": "secret-db", "secret": { "secretName": "web-db", "defaultMode": 288, "optional": false,
                  "items": [{ "key": "password", "path": "password" }, { "key": "user", "path": "user" }] } },
                { "name": "secret-tls", "secret": { "secretName": "shop-tls", "defaultMode": 288, "optional": false,
                  "items": [{ "key": "tls.crt", "path": "tls.crt" }, { "key": "tls.key", "path": "tls.key" }] } },
            ])
        );
        assert_eq!(
            serde_json::to_value(&mounts).expect("JSON"),
            json!([
                { "name": "secret-db", "mountPath": "/etc/db", "readOnly": true },
                { "name": "secret-tls", "mountPath": "/etc/tls", "readOnly": true },
            ])
        );
    }
}

//! The Job that sets a tenant's bucket replication: the Tenant resource has
//! no field for it, and MinIO keeps replication rules per bucket, set through
//! its API. The Job runs the MinIO Client (`mc`) as the tenant's root user:
//! it turns versioning on for each replicated bucket here and on the remote
//! (replication copies object versions and needs them on both sides), then
//! adds a rule to the remote bucket unless the bucket has one already, so a
//! run changes nothing when all is set. MinIO then replicates every write
//! itself, queueing and retrying while the remote is unreachable.
//!
//! Under ArgoCD the Job is a `PostSync` hook: it runs after every sync, once
//! the tenant is up, so a rule removed by hand comes back. With `kubectl
//! apply` it runs once per content (its name carries a hash of its spec).

use std::collections::BTreeMap;

use k8s_openapi::api::batch::v1::{Job, JobSpec};
use k8s_openapi::api::core::v1::{
    Capabilities, Container, EmptyDirVolumeSource, EnvVar, EnvVarSource, KeyToPath,
    PodSecurityContext, PodSpec, PodTemplateSpec, ResourceRequirements, SeccompProfile,
    SecretKeySelector, SecretVolumeSource, SecurityContext, Volume, VolumeMount,
};
use k8s_openapi::apimachinery::pkg::api::resource::Quantity;
use k8s_openapi::apimachinery::pkg::apis::meta::v1::ObjectMeta;

use crate::lower::sync_order::post_sync_hook_annotations;
use crate::model::{PlatformModel, TrustModel, labels};

use crate::capabilities::internal_ca::model::InternalCa;

use super::super::model::{MinioModel, ReplicationModel};

/// Retries, with the Job controller's exponential back-off (10 s, doubling,
/// at most 6 min): about half an hour in all, room for the tenant to come up
/// on a first install and for a remote that is briefly unreachable.
const BACKOFF_LIMIT: i32 = 8;
/// A run that has not finished in an hour is stuck (a remote that accepts
/// connections and never answers): fail the sync visibly.
const ACTIVE_DEADLINE_SECONDS: i64 = 3600;
/// The user and group the client runs as: the MinIO servers' own, as the
/// image's default user is root.
const USER: i64 = 1000;
/// Where `mc` keeps its aliases (`MC_CONFIG_DIR`), on the writable `/tmp`.
const CONFIG_DIR: &str = "/tmp/.mc";
/// Where the root credentials' `config.env` is mounted.
const ROOT_DIR: &str = "/etc/minio/root";

pub(super) fn job(
    platform: &PlatformModel,
    tenant: &MinioModel,
    replication: &ReplicationModel,
) -> Job {
    let spec = job_spec(platform, tenant, replication);
    let mut labels = labels::platform_labels(platform);
    labels.extend(tenant.replication_pod_labels());
    labels.insert(
        labels::COMPONENT.to_owned(),
        "object-storage-replication".to_owned(),
    );
    Job {
        metadata: ObjectMeta {
            name: Some(crate::lower::hashed_job_name(
                &tenant.replication_name(),
                &spec,
            )),
            namespace: Some(tenant.namespace.clone()),
            labels: Some(labels),
            annotations: Some(post_sync_hook_annotations()),
            ..ObjectMeta::default()
        },
        spec: Some(spec),
        ..Job::default()
    }
}

fn job_spec(
    platform: &PlatformModel,
    tenant: &MinioModel,
    replication: &ReplicationModel,
) -> JobSpec {
    let mut pod_labels = labels::platform_labels(platform);
    pod_labels.extend(tenant.replication_pod_labels());
    JobSpec {
        backoff_limit: Some(BACKOFF_LIMIT),
        active_deadline_seconds: Some(ACTIVE_DEADLINE_SECONDS),
        template: PodTemplateSpec {
            metadata: Some(ObjectMeta {
                labels: Some(pod_labels),
                ..ObjectMeta::default()
            }),
            spec: Some(PodSpec {
                restart_policy: Some("Never".to_owned()),
                // It calls MinIO's API only, never the Kubernetes API.
                automount_service_account_token: Some(false),
                security_context: Some(PodSecurityContext {
                    run_as_non_root: Some(true),
                    run_as_user: Some(USER),
                    run_as_group: Some(USER),
                    seccomp_profile: Some(SeccompProfile {
                        type_: "RuntimeDefault".to_owned(),
                        ..SeccompProfile::default()
                    }),
                    ..PodSecurityContext::default()
                }),
                containers: vec![container(tenant, replication)],
                volumes: Some(volumes(platform, tenant)),
                ..PodSpec::default()
            }),
        },
        ..JobSpec::default()
    }
}

/// The root credentials' `config.env`, a writable `/tmp`, and with `tls` the
/// platform's CA, which `mc` trusts from its `certs/CAs` directory.
fn volumes(platform: &PlatformModel, tenant: &MinioModel) -> Vec<Volume> {
    let mut volumes = vec![
        Volume {
            name: "root".to_owned(),
            secret: Some(SecretVolumeSource {
                secret_name: Some(tenant.root_secret.clone()),
                items: Some(vec![KeyToPath {
                    key: "config.env".to_owned(),
                    path: "config.env".to_owned(),
                    ..KeyToPath::default()
                }]),
                ..SecretVolumeSource::default()
            }),
            ..Volume::default()
        },
        Volume {
            name: "tmp".to_owned(),
            empty_dir: Some(EmptyDirVolumeSource {
                size_limit: Some(Quantity("64Mi".to_owned())),
                ..EmptyDirVolumeSource::default()
            }),
            ..Volume::default()
        },
    ];
    if tenant.cert_manager {
        volumes.push(Volume {
            name: TrustModel::VOLUME.to_owned(),
            secret: Some(SecretVolumeSource {
                secret_name: Some(InternalCa::trust_secret(&platform.name)),
                items: Some(vec![KeyToPath {
                    key: InternalCa::CA_KEY.to_owned(),
                    path: "platform-ca.crt".to_owned(),
                    ..KeyToPath::default()
                }]),
                ..SecretVolumeSource::default()
            }),
            ..Volume::default()
        });
    }
    volumes
}

fn container(tenant: &MinioModel, replication: &ReplicationModel) -> Container {
    let text = |name: &str, value: &str| EnvVar {
        name: name.to_owned(),
        value: Some(value.to_owned()),
        ..EnvVar::default()
    };
    let key = |name: &str, key: &str| EnvVar {
        name: name.to_owned(),
        value_from: Some(EnvVarSource {
            secret_key_ref: Some(SecretKeySelector {
                name: replication.secret.clone(),
                key: key.to_owned(),
                ..SecretKeySelector::default()
            }),
            ..EnvVarSource::default()
        }),
        ..EnvVar::default()
    };
    let quantities = |cpu: &str, memory: &str| {
        BTreeMap::from([
            ("cpu".to_owned(), Quantity(cpu.to_owned())),
            ("memory".to_owned(), Quantity(memory.to_owned())),
        ])
    };
    Container {
        name: "mc".to_owned(),
        image: Some(replication.client_image.clone()),
        command: Some(vec![
            "/bin/sh".to_owned(),
            "-ec".to_owned(),
            script(replication),
        ]),
        env: Some(vec![
            text("HOME", "/tmp"),
            text("MC_CONFIG_DIR", CONFIG_DIR),
            text("SOURCE_URL", &tenant.endpoint()),
            text("TARGET_URL", &replication.endpoint),
            key("TARGET_ACCESS_KEY", ReplicationModel::ACCESS_KEY),
            key("TARGET_SECRET_KEY", ReplicationModel::SECRET_KEY),
        ]),
        resources: Some(ResourceRequirements {
            requests: Some(quantities("50m", "64Mi")),
            limits: Some(quantities("250m", "256Mi")),
            ..ResourceRequirements::default()
        }),
        security_context: Some(SecurityContext {
            allow_privilege_escalation: Some(false),
            capabilities: Some(Capabilities {
                drop: Some(vec!["ALL".to_owned()]),
                ..Capabilities::default()
            }),
            read_only_root_filesystem: Some(true),
            run_as_non_root: Some(true),
            ..SecurityContext::default()
        }),
        volume_mounts: Some(volume_mounts(tenant)),
        ..Container::default()
    }
}

fn volume_mounts(tenant: &MinioModel) -> Vec<VolumeMount> {
    let mut mounts = vec![
        VolumeMount {
            name: "root".to_owned(),
            mount_path: ROOT_DIR.to_owned(),
            read_only: Some(true),
            ..VolumeMount::default()
        },
        VolumeMount {
            name: "tmp".to_owned(),
            mount_path: "/tmp".to_owned(),
            ..VolumeMount::default()
        },
    ];
    if tenant.cert_manager {
        mounts.push(VolumeMount {
            name: TrustModel::VOLUME.to_owned(),
            mount_path: format!("{CONFIG_DIR}/certs/CAs"),
            read_only: Some(true),
            ..VolumeMount::default()
        });
    }
    mounts
}

/// The shell script: aliases for the tenant and the remote, then each
/// bucket. Bucket names are checked (lowercase letters, digits, `-`, `.`),
/// so they need no quoting beyond the script's own. A rule exists for a
/// remote bucket when the bucket's replication configuration names the
/// remote bucket's ARN, `arn:minio:replication::<id>:<bucket>`.
fn script(replication: &ReplicationModel) -> String {
    let what = if replication.deletes {
        "delete,delete-marker,existing-objects"
    } else {
        "existing-objects"
    };
    let mut script = format!(
        "\
. {ROOT_DIR}/config.env
mc alias set local \"$SOURCE_URL\" \"$MINIO_ROOT_USER\" \"$MINIO_ROOT_PASSWORD\" >/dev/null
mc alias set remote \"$TARGET_URL\" \"$TARGET_ACCESS_KEY\" \"$TARGET_SECRET_KEY\" >/dev/null
replicate() {{
  mc version enable \"local/$1\"
  mc version enable \"remote/$2\"
  rules=$(mc replicate export \"local/$1\" 2>/dev/null || true)
  case \"$rules\" in
    *\":$2\\\"\"*) echo \"local/$1 already replicates to remote/$2\" ;;
    *) mc replicate add \"local/$1\" --remote-bucket \"remote/$2\" --replicate \"{what}\" ;;
  esac
}}
"
    );
    for (bucket, target) in &replication.buckets {
        script.push_str(&format!("replicate {bucket} {target}\n"));
    }
    script
}

//! The StatefulSet of the store's one node.
//!
//! What the image needs to start under the `restricted` Pod Security level,
//! with a read-only root file system:
//! - a writable configuration directory: Elasticsearch writes its keystore
//!   there at first start, and `elasticsearch-users` writes the users there.
//!   An init container copies the image's configuration into an `emptyDir`,
//!   adds the rendered `elasticsearch.yml` and `roles.yml`, and creates each
//!   user with the password of its Secret;
//! - writable `logs` (GC logs) and `/tmp` (the JVM's and JNA's temporary
//!   files);
//! - uid 1000, the image's own user, and `fsGroup` 1000 so it owns the data
//!   volume;
//! - the certificate inside the configuration directory, where
//!   Elasticsearch reads TLS files from.
//!
//! Probes are TCP connections to the HTTPS port: every HTTP request needs a
//! user, and the port opens once the node has started.

use std::collections::BTreeMap;

use k8s_openapi::api::apps::v1::{
    RollingUpdateStatefulSetStrategy, StatefulSet, StatefulSetSpec, StatefulSetUpdateStrategy,
};
use k8s_openapi::api::core::v1::{
    Capabilities, Container, ContainerPort, EmptyDirVolumeSource, EnvVar, EnvVarSource,
    PersistentVolumeClaim, PersistentVolumeClaimSpec, PodSecurityContext, PodSpec, PodTemplateSpec,
    Probe, ResourceRequirements, SeccompProfile, SecretKeySelector, SecretVolumeSource,
    SecurityContext, TCPSocketAction, Volume, VolumeMount, VolumeResourceRequirements,
};
use k8s_openapi::apimachinery::pkg::api::resource::Quantity;
use k8s_openapi::apimachinery::pkg::apis::meta::v1::{LabelSelector, ObjectMeta};
use k8s_openapi::apimachinery::pkg::util::intstr::IntOrString;

use crate::lower::operator_resource::{data_service_metadata, toleration};
use crate::model::{PlatformModel, labels};
use crate::spec::ResourceAmounts;

use super::super::model::{COMPONENT, ElasticsearchModel, HTTP_PORT};
use super::config_map::{CERTS_DIR, role_of};

/// The image's user and group.
const USER: i64 = 1000;
/// The image's home: its configuration, data and logs are below.
const HOME: &str = "/usr/share/elasticsearch";
/// Where the init container builds the configuration directory.
const CONFIG_STAGING: &str = "/mnt/config";
/// Where the rendered configuration is mounted in the init container.
const RENDERED: &str = "/mnt/rendered";
/// Time to flush and close the indices when the node stops.
const TERMINATION_GRACE_SECONDS: i64 = 120;
/// The data volume claim template.
const DATA_VOLUME: &str = "data";

pub(super) fn stateful_set(
    platform: &PlatformModel,
    store: &ElasticsearchModel,
    config_checksum: &str,
) -> StatefulSet {
    let mut pod_labels = labels::platform_labels(platform);
    pod_labels.extend(store.pod_labels());
    pod_labels.insert(labels::COMPONENT.to_owned(), COMPONENT.to_owned());
    StatefulSet {
        metadata: data_service_metadata(
            platform,
            &store.name,
            &store.name,
            &store.namespace,
            COMPONENT,
            store.description.as_deref(),
        ),
        spec: Some(StatefulSetSpec {
            // One node: a cluster of several needs its masters bootstrapped
            // once and its voting configuration kept as nodes come and go,
            // which only an operator can do safely.
            replicas: Some(1),
            service_name: Some(store.name.clone()),
            selector: LabelSelector {
                match_labels: Some(store.pod_labels()),
                ..LabelSelector::default()
            },
            update_strategy: Some(StatefulSetUpdateStrategy {
                type_: Some("RollingUpdate".to_owned()),
                rolling_update: Some(RollingUpdateStatefulSetStrategy::default()),
            }),
            template: PodTemplateSpec {
                metadata: Some(ObjectMeta {
                    labels: Some(pod_labels),
                    annotations: Some(BTreeMap::from([(
                        "checksum/config".to_owned(),
                        config_checksum.to_owned(),
                    )])),
                    ..ObjectMeta::default()
                }),
                spec: Some(pod_spec(store)),
            },
            volume_claim_templates: Some(vec![claim(platform, store)]),
            ..StatefulSetSpec::default()
        }),
        ..StatefulSet::default()
    }
}

fn claim(platform: &PlatformModel, store: &ElasticsearchModel) -> PersistentVolumeClaim {
    let mut claim_labels = labels::platform_labels(platform);
    claim_labels.extend(store.pod_labels());
    PersistentVolumeClaim {
        metadata: ObjectMeta {
            name: Some(DATA_VOLUME.to_owned()),
            labels: Some(claim_labels),
            ..ObjectMeta::default()
        },
        spec: Some(PersistentVolumeClaimSpec {
            access_modes: Some(vec!["ReadWriteOnce".to_owned()]),
            storage_class_name: store.storage_class.clone(),
            resources: Some(VolumeResourceRequirements {
                requests: Some(BTreeMap::from([(
                    "storage".to_owned(),
                    Quantity(store.storage_size.to_string()),
                )])),
                ..VolumeResourceRequirements::default()
            }),
            ..PersistentVolumeClaimSpec::default()
        }),
        ..PersistentVolumeClaim::default()
    }
}

fn pod_spec(store: &ElasticsearchModel) -> PodSpec {
    PodSpec {
        // It calls no Kubernetes API.
        automount_service_account_token: Some(false),
        security_context: Some(PodSecurityContext {
            run_as_non_root: Some(true),
            run_as_user: Some(USER),
            run_as_group: Some(USER),
            fs_group: Some(USER),
            fs_group_change_policy: Some("OnRootMismatch".to_owned()),
            seccomp_profile: Some(SeccompProfile {
                type_: "RuntimeDefault".to_owned(),
                ..SeccompProfile::default()
            }),
            ..PodSecurityContext::default()
        }),
        init_containers: Some(vec![configure(store)]),
        containers: vec![node(store)],
        volumes: Some(volumes(store)),
        node_selector: (!store.node_selector.is_empty()).then(|| store.node_selector.clone()),
        tolerations: (!store.tolerations.is_empty())
            .then(|| store.tolerations.iter().map(toleration).collect()),
        priority_class_name: store.priority_class.clone(),
        termination_grace_period_seconds: Some(TERMINATION_GRACE_SECONDS),
        ..PodSpec::default()
    }
}

fn volumes(store: &ElasticsearchModel) -> Vec<Volume> {
    let empty = |name: &str, limit: &str| Volume {
        name: name.to_owned(),
        empty_dir: Some(EmptyDirVolumeSource {
            size_limit: Some(Quantity(limit.to_owned())),
            ..EmptyDirVolumeSource::default()
        }),
        ..Volume::default()
    };
    vec![
        Volume {
            name: "certs".to_owned(),
            secret: Some(SecretVolumeSource {
                secret_name: Some(store.certificate_secret()),
                // Readable by the node's group only (`fsGroup`).
                default_mode: Some(0o440),
                ..SecretVolumeSource::default()
            }),
            ..Volume::default()
        },
        empty("config", "64Mi"),
        empty("logs", "512Mi"),
        Volume {
            name: "rendered".to_owned(),
            config_map: Some(k8s_openapi::api::core::v1::ConfigMapVolumeSource {
                name: store.config_map(),
                ..k8s_openapi::api::core::v1::ConfigMapVolumeSource::default()
            }),
            ..Volume::default()
        },
        empty("tmp", "1Gi"),
    ]
}

fn mount(name: &str, path: &str, read_only: bool) -> VolumeMount {
    VolumeMount {
        name: name.to_owned(),
        mount_path: path.to_owned(),
        read_only: read_only.then_some(true),
        ..VolumeMount::default()
    }
}

fn container_security() -> SecurityContext {
    SecurityContext {
        allow_privilege_escalation: Some(false),
        capabilities: Some(Capabilities {
            drop: Some(vec!["ALL".to_owned()]),
            ..Capabilities::default()
        }),
        read_only_root_filesystem: Some(true),
        run_as_non_root: Some(true),
        ..SecurityContext::default()
    }
}

fn amounts(amounts: &ResourceAmounts) -> BTreeMap<String, Quantity> {
    BTreeMap::from([
        ("cpu".to_owned(), Quantity(amounts.cpu.to_string())),
        ("memory".to_owned(), Quantity(amounts.memory.to_string())),
    ])
}

/// The variable holding the password of the store's `index`-th user.
fn password_variable(index: usize) -> String {
    format!("USER_{index}_PASSWORD")
}

/// Builds the configuration directory: the image's files, the rendered
/// ones, and a file-realm user per `users` entry. It runs at every start, so
/// a changed password or a removed user takes effect at the next rollout.
fn configure(store: &ElasticsearchModel) -> Container {
    // The directory outlives a restart of the init container within the
    // pod: the copy overwrites the image's files, and the users files start
    // empty, so `useradd` never meets a user it created before.
    let mut script = format!(
        "cp -R {HOME}/config/. {CONFIG_STAGING}/\n\
         cp {RENDERED}/elasticsearch.yml {RENDERED}/roles.yml {CONFIG_STAGING}/\n\
         : > {CONFIG_STAGING}/users\n\
         : > {CONFIG_STAGING}/users_roles\n"
    );
    let mut env = vec![EnvVar {
        name: "ES_PATH_CONF".to_owned(),
        value: Some(CONFIG_STAGING.to_owned()),
        ..EnvVar::default()
    }];
    for (index, user) in store.users.iter().enumerate() {
        let variable = password_variable(index);
        // User names are checked to be `[a-z][a-z0-9_-]*`: no quoting needed.
        script.push_str(&format!(
            "{HOME}/bin/elasticsearch-users useradd {} -p \"${variable}\" -r {}\n",
            user.name,
            role_of(&user.name),
        ));
        env.push(EnvVar {
            name: variable,
            value_from: Some(EnvVarSource {
                secret_key_ref: Some(SecretKeySelector {
                    name: user.secret.clone(),
                    key: user.key.clone(),
                    ..SecretKeySelector::default()
                }),
                ..EnvVarSource::default()
            }),
            ..EnvVar::default()
        });
    }
    Container {
        name: "configure".to_owned(),
        image: Some(store.image.clone()),
        command: Some(vec!["/bin/sh".to_owned(), "-ec".to_owned(), script]),
        env: Some(env),
        resources: Some(ResourceRequirements {
            requests: Some(BTreeMap::from([
                ("cpu".to_owned(), Quantity("100m".to_owned())),
                ("memory".to_owned(), Quantity("256Mi".to_owned())),
            ])),
            limits: Some(BTreeMap::from([
                ("cpu".to_owned(), Quantity("1".to_owned())),
                ("memory".to_owned(), Quantity("512Mi".to_owned())),
            ])),
            ..ResourceRequirements::default()
        }),
        security_context: Some(container_security()),
        volume_mounts: Some(vec![
            mount("config", CONFIG_STAGING, false),
            mount("certs", &format!("{CONFIG_STAGING}/{CERTS_DIR}"), true),
            mount("rendered", RENDERED, true),
            mount("tmp", "/tmp", false),
        ]),
        ..Container::default()
    }
}

fn node(store: &ElasticsearchModel) -> Container {
    let port = || IntOrString::String("https".to_owned());
    let probe = |period: i32, failures: i32| Probe {
        tcp_socket: Some(TCPSocketAction {
            port: port(),
            ..TCPSocketAction::default()
        }),
        period_seconds: Some(period),
        failure_threshold: Some(failures),
        ..Probe::default()
    };
    Container {
        name: "elasticsearch".to_owned(),
        image: Some(store.image.clone()),
        ports: Some(vec![ContainerPort {
            name: Some("https".to_owned()),
            container_port: i32::from(HTTP_PORT),
            protocol: Some("TCP".to_owned()),
            ..ContainerPort::default()
        }]),
        resources: Some(ResourceRequirements {
            requests: Some(amounts(&store.resources.requests)),
            limits: Some(amounts(&store.resources.limits)),
            ..ResourceRequirements::default()
        }),
        // Up to five minutes to start (a node recovering large indices),
        // then restarted after a minute without its port.
        startup_probe: Some(probe(10, 30)),
        readiness_probe: Some(probe(10, 3)),
        liveness_probe: Some(probe(20, 3)),
        security_context: Some(container_security()),
        volume_mounts: Some(vec![
            mount("config", &format!("{HOME}/config"), false),
            mount("certs", &format!("{HOME}/config/{CERTS_DIR}"), true),
            mount(DATA_VOLUME, &format!("{HOME}/data"), false),
            mount("logs", &format!("{HOME}/logs"), false),
            mount("tmp", "/tmp", false),
        ]),
        ..Container::default()
    }
}

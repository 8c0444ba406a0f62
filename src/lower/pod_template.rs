//! The pod template shared by Deployments, StatefulSets, Jobs and CronJobs: one hardened
//! container (restricted Pod Security Standard), its probes, volumes, config
//! wiring, scheduling and the config checksum that rolls pods on config change;
//! its sidecars and init containers, hardened the same way.

use std::collections::BTreeMap;

use k8s_openapi::api::core::v1::{
    Capabilities, ConfigMapKeySelector, ConfigMapVolumeSource, Container, ContainerPort,
    EmptyDirVolumeSource, EnvVar, EnvVarSource, ExecAction, HTTPGetAction, KeyToPath,
    LocalObjectReference, ObjectFieldSelector, PodSecurityContext, PodSpec, PodTemplateSpec, Probe,
    ResourceFieldSelector, ResourceRequirements, SeccompProfile, SecretKeySelector,
    SecurityContext, TCPSocketAction, TopologySpreadConstraint, Volume, VolumeMount,
};
use k8s_openapi::apimachinery::pkg::api::resource::Quantity;
use k8s_openapi::apimachinery::pkg::apis::meta::v1::{LabelSelector, ObjectMeta};
use k8s_openapi::apimachinery::pkg::util::intstr::IntOrString;

use super::config_map;
use super::gpu::GPU_RESOURCE;
use super::scanner_skips::{self, Target};
use super::secret_refs;
use crate::model::labels;
use crate::model::{
    ConnectionEnvModel, FieldValue, PlatformModel, PodField, PortModel, ProbeAction, ProbeModel,
    ResourcesModel, SideContainerModel, WorkloadModel, WritablePathModel,
};

/// Annotation holding the config checksum. Any change to the ConfigMap's data
/// changes the pod template, so the controller rolls the pods.
pub(super) const CONFIG_CHECKSUM: &str = "checksum/config";
/// Name of the StatefulSet volume claim template, mounted at `storage.mountPath`.
pub(crate) const DATA_VOLUME: &str = "data";
const CONFIG_VOLUME: &str = "config";

pub(super) fn pod_template(platform: &PlatformModel, workload: &WorkloadModel) -> PodTemplateSpec {
    let mut annotations = workload.pod_annotations.clone();
    if let Some(config) = &workload.config {
        annotations.insert(CONFIG_CHECKSUM.to_owned(), config_map::checksum(config));
    }
    // Checkov checks the template as a Pod of its own (see scanner_skips).
    annotations.extend(scanner_skips::annotations(workload, Target::Pods));
    let (volumes, mounts) = volumes(workload);
    let container = Container {
        name: workload.name.clone(),
        image: Some(workload.image.as_str().to_owned()),
        image_pull_policy: Some("IfNotPresent".to_owned()),
        command: workload.command.clone(),
        args: workload.args.clone(),
        ports: non_empty(workload.ports.iter().map(container_port).collect()),
        env: non_empty(env(workload)),
        resources: Some(resources(&workload.resources)),
        liveness_probe: workload.liveness.as_ref().map(probe),
        readiness_probe: workload.readiness.as_ref().map(probe),
        startup_probe: workload.startup.as_ref().map(probe),
        security_context: Some(security_context(workload)),
        volume_mounts: non_empty(mounts),
        ..Container::default()
    };
    let gpu = workload.resources.gpu.is_some_and(|count| count > 0);
    PodTemplateSpec {
        metadata: Some(ObjectMeta {
            labels: Some(labels::image_labels(platform, workload)),
            annotations: (!annotations.is_empty()).then_some(annotations),
            ..ObjectMeta::default()
        }),
        spec: Some(PodSpec {
            service_account_name: Some(workload.name.clone()),
            image_pull_secrets: non_empty(
                workload
                    .image_pull_secrets
                    .iter()
                    .map(|name| LocalObjectReference { name: name.clone() })
                    .collect(),
            ),
            automount_service_account_token: Some(workload.automount_token),
            security_context: Some(PodSecurityContext {
                run_as_non_root: Some(true),
                run_as_user: Some(i64::try_from(workload.security.run_as_user).unwrap_or(i64::MAX)),
                run_as_group: Some(
                    i64::try_from(workload.security.run_as_group).unwrap_or(i64::MAX),
                ),
                fs_group: Some(i64::try_from(workload.security.fs_group).unwrap_or(i64::MAX)),
                seccomp_profile: Some(SeccompProfile {
                    type_: "RuntimeDefault".to_owned(),
                    ..SeccompProfile::default()
                }),
                ..PodSecurityContext::default()
            }),
            init_containers: non_empty(init_containers(workload)),
            containers: vec![container],
            volumes: non_empty(volumes),
            node_selector: (!workload.node_selector.is_empty())
                .then(|| workload.node_selector.clone()),
            tolerations: non_empty(super::tolerations::tolerations(workload, gpu)),
            priority_class_name: workload.priority_class.clone(),
            topology_spread_constraints: workload.spread.then(|| spread(platform, workload)),
            // A Job's pod runs to completion: it must not be restarted once it
            // has succeeded (the API server rejects `Always` in a Job).
            restart_policy: workload
                .batch
                .as_ref()
                .map(|batch| batch.job.restart_policy.as_str().to_owned()),
            ..PodSpec::default()
        }),
    }
}

fn non_empty<T>(items: Vec<T>) -> Option<Vec<T>> {
    (!items.is_empty()).then_some(items)
}

/// Connection variables first (credentials, then the URIs that refer to them
/// with `$(NAME)`), then secret variables by key, then Downward API
/// variables (so plain ones can build on them:
/// `DATABASE_URL: postgres://app:$(DB_PASSWORD)@db/app`), then plain variables
/// in spec order (later ones may refer to earlier ones with `$(NAME)`), then
/// config variables by key from the ConfigMap. Explicit
/// `configMapKeyRef`s instead of `envFrom`, so file entries of the ConfigMap
/// never leak into the environment.
fn env(workload: &WorkloadModel) -> Vec<EnvVar> {
    let mut env: Vec<EnvVar> = workload
        .env
        .iter()
        .map(|(name, value)| EnvVar {
            name: name.clone(),
            value: Some(value.clone()),
            ..EnvVar::default()
        })
        .collect();
    env.splice(
        0..0,
        workload
            .field_env
            .iter()
            .map(|(name, field)| field_variable(workload, name, field)),
    );
    env.splice(0..0, secret_refs::env(workload));
    env.splice(
        0..0,
        workload.connection_env.iter().map(connection_variable),
    );
    if let Some(config) = &workload.config {
        env.extend(config.env.keys().map(|key| EnvVar {
            name: key.clone(),
            value_from: Some(EnvVarSource {
                config_map_key_ref: Some(ConfigMapKeySelector {
                    name: config_map::name(workload),
                    key: key.clone(),
                    optional: Some(false),
                }),
                ..EnvVarSource::default()
            }),
            ..EnvVar::default()
        }));
    }
    env
}

/// A Downward API variable: a field of the pod, or a request or limit of the
/// main container.
fn field_variable(workload: &WorkloadModel, name: &str, field: &PodField) -> EnvVar {
    let source = match field {
        PodField::Pod(path) => EnvVarSource {
            field_ref: Some(ObjectFieldSelector {
                field_path: path.clone(),
                ..ObjectFieldSelector::default()
            }),
            ..EnvVarSource::default()
        },
        PodField::Resource(resource) => EnvVarSource {
            resource_field_ref: Some(ResourceFieldSelector {
                container_name: Some(workload.name.clone()),
                resource: resource.clone(),
                ..ResourceFieldSelector::default()
            }),
            ..EnvVarSource::default()
        },
    };
    EnvVar {
        name: name.to_owned(),
        value_from: Some(source),
        ..EnvVar::default()
    }
}

/// One variable of a workload's `connections`: a value, or a key of the
/// Secret the data service's operator generates (which must exist before the
/// pod starts, so `optional: false`), or of its copy in the workload's
/// namespace when the service runs in another one.
fn connection_variable(variable: &ConnectionEnvModel) -> EnvVar {
    match &variable.value {
        FieldValue::Text(text) | FieldValue::Template(text) => EnvVar {
            name: variable.name.clone(),
            value: Some(text.clone()),
            ..EnvVar::default()
        },
        FieldValue::Secret { name, key, .. } => EnvVar {
            name: variable.name.clone(),
            value_from: Some(EnvVarSource {
                secret_key_ref: Some(SecretKeySelector {
                    name: name.clone(),
                    key: key.clone(),
                    optional: Some(false),
                }),
                ..EnvVarSource::default()
            }),
            ..EnvVar::default()
        },
    }
}

fn resources(r: &ResourcesModel) -> ResourceRequirements {
    let mut requests = BTreeMap::from([
        ("cpu".to_owned(), Quantity(r.cpu_request.to_string())),
        ("memory".to_owned(), Quantity(r.memory_request.to_string())),
    ]);
    let mut limits = BTreeMap::from([
        ("cpu".to_owned(), Quantity(r.cpu_limit.to_string())),
        ("memory".to_owned(), Quantity(r.memory_limit.to_string())),
    ]);
    if let Some(gpu) = r.gpu.filter(|&count| count > 0) {
        // Extended resources cannot be overcommitted: request must equal limit.
        requests.insert(GPU_RESOURCE.to_owned(), Quantity(gpu.to_string()));
        limits.insert(GPU_RESOURCE.to_owned(), Quantity(gpu.to_string()));
    }
    ResourceRequirements {
        requests: Some(requests),
        limits: Some(limits),
        ..ResourceRequirements::default()
    }
}

fn probe(model: &ProbeModel) -> Probe {
    let mut probe = Probe {
        initial_delay_seconds: model.initial_delay_seconds.map(clamp_i32),
        period_seconds: model.period_seconds.map(clamp_i32),
        timeout_seconds: model.timeout_seconds.map(clamp_i32),
        failure_threshold: model.failure_threshold.map(clamp_i32),
        ..Probe::default()
    };
    match &model.action {
        ProbeAction::Http { path, port } => {
            probe.http_get = Some(HTTPGetAction {
                path: Some(path.clone()),
                port: IntOrString::String(port.clone()),
                ..HTTPGetAction::default()
            });
        }
        ProbeAction::Tcp { port } => {
            probe.tcp_socket = Some(TCPSocketAction {
                port: IntOrString::String(port.clone()),
                ..TCPSocketAction::default()
            });
        }
        ProbeAction::Exec { command } => {
            probe.exec = Some(ExecAction {
                command: Some(command.clone()),
            });
        }
    }
    probe
}

fn clamp_i32(value: u32) -> i32 {
    i32::try_from(value).unwrap_or(i32::MAX)
}

/// Writable directories as `emptyDir`s (the root filesystem is read-only),
/// config files as read-only ConfigMap volumes (one per directory), and the
/// StatefulSet's data volume.
fn volumes(workload: &WorkloadModel) -> (Vec<Volume>, Vec<VolumeMount>) {
    let mut volumes = Vec::new();
    let mut mounts = Vec::new();
    writable_volumes("", &workload.writable_paths, &mut volumes, &mut mounts);
    for side in workload.sidecars.iter().chain(&workload.init_containers) {
        // A side container's own directories: mounted only in it.
        let prefix = format!("{}-", side.name);
        writable_volumes(&prefix, &side.writable_paths, &mut volumes, &mut Vec::new());
    }
    if let Some(config) = &workload.config {
        // `config` for `files`, `config-1`, `config-2`, ... for `mounts`.
        let main = (!config.files.is_empty())
            .then(|| (CONFIG_VOLUME.to_owned(), &config.mount_path, &config.files));
        let more = config
            .mounts
            .iter()
            .enumerate()
            .map(|(index, (path, files))| (format!("{CONFIG_VOLUME}-{}", index + 1), path, files));
        for (name, path, files) in main.into_iter().chain(more) {
            volumes.push(config_volume(workload, &name, files));
            mounts.push(VolumeMount {
                name,
                mount_path: path.clone(),
                read_only: Some(true),
                ..VolumeMount::default()
            });
        }
    }
    if let Some(storage) = &workload.storage {
        mounts.push(VolumeMount {
            name: DATA_VOLUME.to_owned(),
            mount_path: storage.mount_path.clone(),
            ..VolumeMount::default()
        });
    }
    let (secret_volumes, secret_mounts) = secret_refs::volumes(workload);
    volumes.extend(secret_volumes);
    mounts.extend(secret_mounts);
    (volumes, mounts)
}

/// A volume of the workload's ConfigMap holding exactly `files`.
fn config_volume(workload: &WorkloadModel, name: &str, files: &BTreeMap<String, String>) -> Volume {
    Volume {
        name: name.to_owned(),
        config_map: Some(ConfigMapVolumeSource {
            name: config_map::name(workload),
            items: Some(
                files
                    .keys()
                    .map(|key| KeyToPath {
                        key: key.clone(),
                        path: key.clone(),
                        ..KeyToPath::default()
                    })
                    .collect(),
            ),
            ..ConfigMapVolumeSource::default()
        }),
        ..Volume::default()
    }
}

/// `emptyDir` volumes `<prefix>writable-<n>` for `paths`, and their mounts.
fn writable_volumes(
    prefix: &str,
    paths: &[WritablePathModel],
    volumes: &mut Vec<Volume>,
    mounts: &mut Vec<VolumeMount>,
) {
    for (index, path) in paths.iter().enumerate() {
        let name = format!("{prefix}writable-{index}");
        volumes.push(Volume {
            name: name.clone(),
            empty_dir: Some(EmptyDirVolumeSource {
                medium: path.memory.then(|| "Memory".to_owned()),
                size_limit: path.size_limit.as_ref().map(|q| Quantity(q.to_string())),
            }),
            ..Volume::default()
        });
        mounts.push(VolumeMount {
            name,
            mount_path: path.path.clone(),
            ..VolumeMount::default()
        });
    }
}

/// The restricted Pod Security Standard's container settings, the same for
/// the main container, its sidecars and its init containers.
fn security_context(workload: &WorkloadModel) -> SecurityContext {
    SecurityContext {
        allow_privilege_escalation: Some(false),
        capabilities: Some(Capabilities {
            drop: Some(vec!["ALL".to_owned()]),
            ..Capabilities::default()
        }),
        privileged: Some(false),
        read_only_root_filesystem: Some(workload.security.read_only_root_filesystem),
        run_as_non_root: Some(true),
        ..SecurityContext::default()
    }
}

/// Sidecars first, as native sidecars (`restartPolicy: Always`: started in
/// order before the next init container, kept running, stopped after the
/// main container, and not waited for by a Job), then the init containers,
/// which can so use a sidecar (a database proxy) while they run.
fn init_containers(workload: &WorkloadModel) -> Vec<Container> {
    let sidecars = workload.sidecars.iter().map(|side| Container {
        restart_policy: Some("Always".to_owned()),
        ..side_container(workload, side)
    });
    let init = workload
        .init_containers
        .iter()
        .map(|side| side_container(workload, side));
    sidecars.chain(init).collect()
}

fn side_container(workload: &WorkloadModel, side: &SideContainerModel) -> Container {
    let prefix = format!("{}-", side.name);
    let mut mounts = Vec::new();
    writable_volumes(&prefix, &side.writable_paths, &mut Vec::new(), &mut mounts);
    Container {
        name: side.name.clone(),
        image: Some(side.image.as_str().to_owned()),
        image_pull_policy: Some("IfNotPresent".to_owned()),
        command: side.command.clone(),
        args: side.args.clone(),
        ports: non_empty(side.ports.iter().map(container_port).collect()),
        env: non_empty(
            side.env
                .iter()
                .map(|(name, value)| EnvVar {
                    name: name.clone(),
                    value: Some(value.clone()),
                    ..EnvVar::default()
                })
                .collect(),
        ),
        resources: Some(resources(&side.resources)),
        security_context: Some(security_context(workload)),
        volume_mounts: non_empty(mounts),
        ..Container::default()
    }
}

fn container_port(port: &PortModel) -> ContainerPort {
    ContainerPort {
        name: Some(port.name.clone()),
        container_port: i32::from(port.container_port),
        protocol: Some(port.protocol.as_str().to_owned()),
        ..ContainerPort::default()
    }
}

/// Replicas spread across nodes (hard: losing one node must not take out the
/// service) and across zones (soft: single-zone clusters must still schedule).
/// Only nodes the pod tolerates count (`nodeTaintsPolicy: Honor`): otherwise
/// the nodes of a tainted pool the pod may not use count as empty domains,
/// and the hard constraint allows at most one pod per usable node.
fn spread(platform: &PlatformModel, workload: &WorkloadModel) -> Vec<TopologySpreadConstraint> {
    let selector = LabelSelector {
        match_labels: Some(labels::selector_labels(platform, workload)),
        ..LabelSelector::default()
    };
    [
        ("kubernetes.io/hostname", "DoNotSchedule"),
        ("topology.kubernetes.io/zone", "ScheduleAnyway"),
    ]
    .into_iter()
    .map(|(key, when)| TopologySpreadConstraint {
        label_selector: Some(selector.clone()),
        max_skew: 1,
        topology_key: key.to_owned(),
        when_unsatisfiable: when.to_owned(),
        node_taints_policy: Some("Honor".to_owned()),
        ..TopologySpreadConstraint::default()
    })
    .collect()
}

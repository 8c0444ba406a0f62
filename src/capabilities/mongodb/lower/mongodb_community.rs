//! `MongoDBCommunity` (`mongodbcommunity.mongodb.com/v1`): the replica set,
//! its version, SCRAM users, data volume, resources and placement, and the
//! pod security settings the `restricted` Pod Security level asks for.

use crate::lower::operator_resource::{resource_amounts as amounts, tolerations};
use k8s_openapi::apimachinery::pkg::apis::meta::v1::ObjectMeta;
use serde::Serialize;
use serde_json::{Map, Value, json};

use crate::model::PlatformModel;
use crate::spec::Tier;

use super::super::model::{APP_LABEL, MongodbModel};
use super::metadata::metadata;

#[derive(Debug, Serialize)]
pub(super) struct MongoDbCommunity {
    metadata: ObjectMeta,
    spec: Value,
}

crate::custom_resource!(
    MongoDbCommunity,
    "mongodbcommunity.mongodb.com",
    "v1",
    "MongoDBCommunity",
    Namespaced,
    "mongodbcommunity"
);

/// The containers of the operator's pod template
/// (`controllers/construct/mongodbstatefulset.go`): the server and the
/// automation agent that configures and starts it.
const CONTAINERS: [&str; 2] = ["mongod", "mongodb-agent"];
/// Its init containers: the version upgrade hook and the readiness probe,
/// each copying a binary into a shared volume.
const INIT_CONTAINERS: [&str; 2] = ["mongod-posthook", "mongodb-agent-readinessprobe"];
/// The operator's name of the data volume claim (`DataVolumeName()`); its
/// StatefulSet override merges volume claim templates by name.
const DATA_VOLUME: &str = "data-volume";

pub(super) fn mongodb_community(
    platform: &PlatformModel,
    replica_set: &MongodbModel,
) -> MongoDbCommunity {
    let mut spec = Map::new();
    spec.insert("type".to_owned(), json!("ReplicaSet"));
    spec.insert("members".to_owned(), json!(replica_set.members));
    spec.insert("version".to_owned(), json!(replica_set.version));
    // SCRAM-SHA-256, the operator's default and only password mode here.
    spec.insert(
        "security".to_owned(),
        json!({ "authentication": { "modes": ["SCRAM"] } }),
    );
    spec.insert(
        "users".to_owned(),
        Value::Array(
            replica_set
                .users
                .iter()
                .map(|user| {
                    json!({
                        "name": user.name,
                        "db": user.database,
                        "passwordSecretRef": { "name": user.password_secret, "key": "password" },
                        "roles": user.roles.iter().map(|(name, db)| json!({ "name": name, "db": db })).collect::<Vec<_>>(),
                        "scramCredentialsSecretName": replica_set.scram_secret(user),
                        "connectionStringSecretName": replica_set.connection_secret(user),
                    })
                })
                .collect(),
        ),
    );
    spec.insert(
        "statefulSet".to_owned(),
        json!({ "spec": {
            "volumeClaimTemplates": [data_volume(replica_set)],
            "template": { "spec": pod_spec(platform, replica_set) },
        } }),
    );
    MongoDbCommunity {
        metadata: metadata(platform, replica_set),
        spec: Value::Object(spec),
    }
}

/// The data volume's claim: the spec's size and class. The operator's
/// second claim, `logs-volume` (2G, the default class), stays its own.
fn data_volume(replica_set: &MongodbModel) -> Value {
    let mut claim = json!({
        "metadata": { "name": DATA_VOLUME },
        "spec": {
            "accessModes": ["ReadWriteOnce"],
            "resources": { "requests": { "storage": replica_set.storage_size.as_str() } },
        },
    });
    if let Some(class) = &replica_set.storage_class {
        claim["spec"]["storageClassName"] = json!(class);
    }
    claim
}

/// What the operator's pod template gets on top of its own (merged,
/// containers by name): `mongod`'s resources, the placement, and the
/// settings of the `restricted` Pod Security level. The operator's own
/// (`podtemplatespec.DefaultPodSecurityContext`, `container.
/// DefaultSecurityContext`: user and group 2000, non-root, read-only root
/// filesystem, no privilege escalation) lack the seccomp profile and the
/// dropped capabilities; they are repeated here so the merge keeps them.
fn pod_spec(platform: &PlatformModel, replica_set: &MongodbModel) -> Value {
    let container_security = json!({
        "allowPrivilegeEscalation": false,
        "capabilities": { "drop": ["ALL"] },
        "readOnlyRootFilesystem": true,
        "runAsNonRoot": true,
        "seccompProfile": { "type": "RuntimeDefault" },
    });
    let container = |name: &str| json!({ "name": name, "securityContext": container_security });
    let mut mongod = container(CONTAINERS[0]);
    mongod["resources"] = json!({
        "requests": amounts(&replica_set.resources.requests),
        "limits": amounts(&replica_set.resources.limits),
    });
    // Members on different Kubernetes nodes: outside development a node loss
    // must take at most one member, so the majority survives.
    let term = json!({
        "labelSelector": { "matchLabels": { APP_LABEL: replica_set.app_label() } },
        "topologyKey": "kubernetes.io/hostname",
    });
    let anti_affinity = if platform.tier == Tier::Development {
        json!({ "preferredDuringSchedulingIgnoredDuringExecution": [{ "weight": 100, "podAffinityTerm": term }] })
    } else {
        json!({ "requiredDuringSchedulingIgnoredDuringExecution": [term] })
    };
    let mut pod = json!({
        "securityContext": {
            "fsGroup": 2000,
            "runAsNonRoot": true,
            "runAsUser": 2000,
            "seccompProfile": { "type": "RuntimeDefault" },
        },
        "containers": [mongod, container(CONTAINERS[1])],
        "initContainers": INIT_CONTAINERS.map(container),
        "affinity": { "podAntiAffinity": anti_affinity },
    });
    if !replica_set.node_selector.is_empty() {
        pod["nodeSelector"] = json!(replica_set.node_selector);
    }
    if !replica_set.tolerations.is_empty() {
        pod["tolerations"] = tolerations(&replica_set.tolerations);
    }
    if let Some(class) = &replica_set.priority_class {
        pod["priorityClassName"] = json!(class);
    }
    pod
}

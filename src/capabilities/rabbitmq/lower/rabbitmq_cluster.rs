//! `RabbitmqCluster` (`rabbitmq.com/v1beta1`): the nodes, their image,
//! storage, resources and placement, the default queue type, and the pod
//! security settings the `restricted` Pod Security level asks for.

use crate::lower::operator_resource::{resource_amounts as amounts, tolerations};
use k8s_openapi::apimachinery::pkg::apis::meta::v1::ObjectMeta;
use serde::Serialize;
use serde_json::{Map, Value, json};

use crate::model::PlatformModel;
use crate::spec::Tier;

use super::super::model::{NAME_LABEL, RabbitmqModel};
use super::metadata::metadata;

#[derive(Debug, Serialize)]
pub(super) struct RabbitmqCluster {
    metadata: ObjectMeta,
    spec: Value,
}

crate::custom_resource!(
    RabbitmqCluster,
    "rabbitmq.com",
    "v1beta1",
    "RabbitmqCluster",
    Namespaced,
    "rabbitmqclusters"
);

/// The containers of the operator's pod template (`statefulset.go`): the
/// node and the init container that installs the Erlang cookie and plugins.
const CONTAINERS: [&str; 2] = ["rabbitmq", "setup-container"];

pub(super) fn rabbitmq_cluster(
    platform: &PlatformModel,
    broker: &RabbitmqModel,
) -> RabbitmqCluster {
    let mut spec = Map::new();
    spec.insert("replicas".to_owned(), json!(broker.replicas));
    spec.insert("image".to_owned(), json!(broker.image));
    let mut persistence = json!({ "storage": broker.storage_size.as_str() });
    if let Some(class) = &broker.storage_class {
        persistence["storageClassName"] = json!(class);
    }
    spec.insert("persistence".to_owned(), persistence);
    spec.insert(
        "resources".to_owned(),
        json!({
            "requests": amounts(&broker.resources.requests),
            "limits": amounts(&broker.resources.limits),
        }),
    );
    // Appended to the operator's rabbitmq.conf. Queues declared without an
    // `x-queue-type` become this type; exclusive and non-durable ones,
    // which quorum queues cannot be, fall back to classic.
    spec.insert(
        "rabbitmq".to_owned(),
        json!({ "additionalConfig": format!("default_queue_type = {}\n", broker.default_queue_type) }),
    );
    // Nodes on different Kubernetes nodes: outside development a node loss
    // must take at most one RabbitMQ node, so the majority survives.
    let term = json!({
        "labelSelector": { "matchLabels": { NAME_LABEL: broker.name } },
        "topologyKey": "kubernetes.io/hostname",
    });
    let anti_affinity = if platform.tier == Tier::Development {
        json!({ "preferredDuringSchedulingIgnoredDuringExecution": [{ "weight": 100, "podAffinityTerm": term }] })
    } else {
        json!({ "requiredDuringSchedulingIgnoredDuringExecution": [term] })
    };
    spec.insert(
        "affinity".to_owned(),
        json!({ "podAntiAffinity": anti_affinity }),
    );
    if !broker.tolerations.is_empty() {
        spec.insert("tolerations".to_owned(), tolerations(&broker.tolerations));
    }
    spec.insert(
        "override".to_owned(),
        json!({ "statefulSet": { "spec": { "template": { "spec": pod_spec(broker) } } } }),
    );
    RabbitmqCluster {
        metadata: metadata(platform, broker),
        spec: Value::Object(spec),
    }
}

/// What the operator's pod template gets on top of its own (a strategic
/// merge, containers matched by name): the placement the CRD has no field
/// for, and the settings of the `restricted` Pod Security level. The
/// operator sets the latter itself since v2.17 (`statefulset.go`: non-root
/// user 999, RuntimeDefault seccomp, every capability dropped, no privilege
/// escalation); rendering them keeps the pods admitted in a `restricted`
/// namespace under older operators too.
fn pod_spec(broker: &RabbitmqModel) -> Value {
    let container_security = json!({
        "allowPrivilegeEscalation": false,
        "capabilities": { "drop": ["ALL"] },
        "runAsNonRoot": true,
        "seccompProfile": { "type": "RuntimeDefault" },
    });
    let container = |name: &str| json!({ "name": name, "securityContext": container_security });
    let mut pod = json!({
        "securityContext": {
            "runAsNonRoot": true,
            "seccompProfile": { "type": "RuntimeDefault" },
        },
        "containers": [container(CONTAINERS[0])],
        "initContainers": [container(CONTAINERS[1])],
    });
    if !broker.node_selector.is_empty() {
        pod["nodeSelector"] = json!(broker.node_selector);
    }
    if let Some(class) = &broker.priority_class {
        pod["priorityClassName"] = json!(class);
    }
    pod
}

//! The RabbitMQ capability's analysis: checks each broker of `rabbitmq` and
//! resolves it into a [`RabbitmqModel`], the data service workloads connect
//! to, and the pod group the network policies open.
//!
//! What the operator does, which this encodes, is from the RabbitMQ Cluster
//! Operator's source (github.com/rabbitmq/cluster-operator, v2.17+):
//! `internal/resource/` names the objects (`service.go`: the Service
//! `<name>` with amqp 5672, management 15672 and prometheus 15692;
//! `headless_service.go`: `<name>-nodes` with epmd 4369 and the Erlang
//! distribution port 25672; `default_user_secret.go`: the Secret
//! `<name>-default-user`), `internal/metadata/label.go` the pod labels
//! (`app.kubernetes.io/name: <name>`), `config/namespace` the operator's
//! namespace (`rabbitmq-system`), and `docs/examples/network-policies` the
//! operator's calls to the management API on 15672.

use std::collections::BTreeMap;

use crate::analyze::{
    Context, ServiceIdentity, Voters, check_identity, check_odd_voters, placement_of,
};
use crate::capabilities::storage_class::analyze::check_class;
use crate::diagnostic::{Code, Diagnostic};
use crate::model::{
    AccessPoint, DataServiceModel, FieldValue, MetricsEndpoint, PlatformModel, PodGroupModel,
    TolerationModel,
};
use crate::spec::{Protocol, Tier};

use super::model::{NAME_LABEL, RabbitmqModel};
use super::spec::{QueueType, RabbitmqSpec};

/// The official image; the operator needs the management plugin in it.
const IMAGE: &str = "rabbitmq";
/// The operator's default (`cmd/main.go`, `defaultRabbitmqImage`, v2.17).
const DEFAULT_VERSION: &str = "4.3.4";
/// AMQP 0-9-1 and 1.0, what clients connect to.
const AMQP_PORT: u16 = 5672;
/// The management HTTP API, which the operator calls.
const MANAGEMENT_PORT: u16 = 15672;
/// The Prometheus plugin's metrics endpoint.
const PROMETHEUS_PORT: u16 = 15692;
/// epmd, where nodes look up each other's distribution port.
const EPMD_PORT: u16 = 4369;
/// Erlang distribution: clustering, quorum queue replication (Raft), and
/// the CLI tools' calls to other nodes.
const DISTRIBUTION_PORT: u16 = 25672;
/// Where the operator runs (its release manifest's namespace).
const OPERATOR_NAMESPACE: &str = "rabbitmq-system";
/// Longest broker name: the operator's StatefulSet is `<name>-server`, and
/// its pods carry `controller-revision-hash: <name>-server-<10 characters>`,
/// a label value of at most 63 characters.
const MAX_NAME: usize = 45;

/// The capability's analysis hook.
pub fn analyze(ctx: &mut Context<'_>, model: &mut PlatformModel) {
    let spec = ctx.spec;
    for (name, broker) in crate::capabilities::rabbitmq::spec::declared(spec) {
        if broker.enabled == Some(false) {
            continue;
        }
        let Some(resolved) = resolve(ctx, model, name, broker) else {
            continue;
        };
        model.data_services.push(data_service(&resolved));
        model
            .pod_groups
            .push(pod_group(&resolved, version_of(broker)));
        crate::capabilities::rabbitmq::model::RABBITMQ
            .get_or_default(&mut model.parts)
            .push(resolved);
    }
}

fn version_of(spec: &RabbitmqSpec) -> &str {
    spec.version.as_deref().unwrap_or(DEFAULT_VERSION)
}

fn resolve(
    ctx: &mut Context<'_>,
    model: &PlatformModel,
    name: &str,
    spec: &RabbitmqSpec,
) -> Option<RabbitmqModel> {
    let span_of = |ctx: &Context<'_>, field: &str| ctx.value(&["rabbitmq", name, field]);
    let errors_before = ctx.diagnostics.error_count();
    check_identity(
        ctx,
        &ServiceIdentity {
            section: "rabbitmq",
            what: "RabbitMQ cluster",
            name,
            namespace: &spec.namespace,
            max_name: MAX_NAME,
        },
    );
    let version = version_of(spec);
    match parse_version(version) {
        None => {
            let span = span_of(ctx, "version");
            ctx.report(
                Diagnostic::error(
                    Code::InvalidValue,
                    format!("invalid RabbitMQ version `{version}`"),
                )
                .at(span, "expected a version such as `4.3.4` or `4.3`")
                .with_note("it is the tag of the `rabbitmq` image, before `-management`"),
            );
        }
        Some((major, minor)) if (major, minor) < (3, 13) => {
            let span = span_of(ctx, "version");
            ctx.report(
                Diagnostic::error(
                    Code::InvalidValue,
                    format!("RabbitMQ {version} is not supported"),
                )
                .at(span, "before 3.13")
                .with_note("the node-wide `default_queue_type` setting platformgen renders needs 3.13, and older series are out of support")
                .with_help(format!("use {DEFAULT_VERSION}, the operator's default")),
            );
        }
        Some(_) => {}
    }
    let tier = model.tier;
    let replicas = spec
        .replicas
        .unwrap_or(if tier == Tier::Development { 1 } else { 3 });
    if replicas == 0 {
        let span = span_of(ctx, "replicas");
        ctx.report(
            Diagnostic::error(
                Code::InvalidValue,
                "a RabbitMQ cluster needs at least one node",
            )
            .at(span, "0 replicas")
            .with_help("to leave the broker out of an environment, set `enabled: false`"),
        );
    } else {
        // Quorum queues commit to a majority of their replicas, and the
        // operator configures `cluster_partition_handling = pause_minority`:
        // a node that sees no majority pauses. The operator's CRD says it
        // tests 1, 3 and 5 nodes.
        let span = span_of(ctx, "replicas");
        check_odd_voters(
            ctx,
            span,
            replicas,
            &Voters {
                group: "a RabbitMQ cluster",
                voter: "node",
                two_voters: "with 2 nodes, losing either pauses the other (quorum queues and `pause_minority` need a majority): less available than 1 node",
                help_suffix: " (or 1 in development)",
            },
        );
    }
    let default_queue_type = match spec.default_queue_type.unwrap_or(QueueType::Quorum) {
        QueueType::Quorum => "quorum",
        QueueType::Classic => {
            if replicas >= 3 {
                let span = span_of(ctx, "defaultQueueType");
                ctx.report(
                    Diagnostic::warning(
                        Code::InvalidValue,
                        format!("`{name}` runs {replicas} nodes but puts new queues on one of them"),
                    )
                    .at(span, "classic queues are not replicated")
                    .with_note("a classic queue lives on one node: when that node is down, the queue and its messages are unavailable (RabbitMQ 4 removed classic queue mirroring)")
                    .with_help("remove `defaultQueueType` for quorum queues, replicated to a majority of nodes"),
                );
            }
            "classic"
        }
    };
    let (node_selector, tolerations) = node_pool(ctx, name, spec);
    let priority_class = spec
        .scheduling
        .as_ref()
        .and_then(|s| s.priority_class.clone());
    if let Some(class) = &spec.storage.storage_class {
        check_class(ctx, class, &["rabbitmq", name, "storage", "storageClass"]);
    }
    if ctx.diagnostics.error_count() > errors_before {
        return None;
    }
    Some(RabbitmqModel {
        name: name.to_owned(),
        namespace: spec.namespace.clone(),
        description: spec.description.clone(),
        image: format!("{IMAGE}:{version}-management"),
        replicas,
        storage_size: spec.storage.size.clone(),
        storage_class: spec.storage.storage_class.clone(),
        resources: spec.resources.clone(),
        node_selector,
        tolerations,
        priority_class,
        default_queue_type,
        origin: ctx.key(&["rabbitmq", name]),
    })
}

/// `MAJOR[.MINOR[.PATCH]]` as (major, minor); a missing minor is the
/// newest of its series.
fn parse_version(version: &str) -> Option<(u32, u32)> {
    let parts: Vec<&str> = version.split('.').collect();
    let numeric = |part: &&str| !part.is_empty() && part.bytes().all(|b| b.is_ascii_digit());
    if parts.len() > 3 || !parts.iter().all(numeric) {
        return None;
    }
    let major = parts[0].parse().ok()?;
    let minor = match parts.get(1) {
        Some(minor) => minor.parse().ok()?,
        None => u32::MAX,
    };
    Some((major, minor))
}

/// Whether the nodes call the Kubernetes API. Before RabbitMQ 4.1 the
/// Kubernetes peer discovery plugin listed the cluster's endpoints through
/// the API; from 4.1 on, nodes join the seed node by its StatefulSet host
/// name and never call the API (rabbitmq.com blog, "RabbitMQ 4.1: New
/// Kubernetes Peer Discovery Mechanism", 2025-04-04).
fn calls_api_server(version: &str) -> bool {
    parse_version(version).is_some_and(|version| version < (4, 1))
}

/// The node pool's labels and taints (and the priority class checked), as
/// for workloads.
fn node_pool(
    ctx: &mut Context<'_>,
    name: &str,
    spec: &RabbitmqSpec,
) -> (BTreeMap<String, String>, Vec<TolerationModel>) {
    let placement = placement_of(ctx, &["rabbitmq", name], spec.scheduling.as_ref());
    (placement.node_selector, placement.tolerations)
}

/// How workloads connect: AMQP through the operator's client Service, as
/// the default user, whose credentials the operator generates.
fn data_service(broker: &RabbitmqModel) -> DataServiceModel {
    let host = broker.service_host();
    let secret = |key: &str| FieldValue::Secret {
        name: broker.default_user_secret(),
        namespace: broker.namespace.clone(),
        key: key.to_owned(),
    };
    DataServiceModel {
        name: broker.name.clone(),
        namespace: broker.namespace.clone(),
        engine: "RabbitMQ",
        access: vec![AccessPoint {
            mode: "readWrite",
            group: broker.name.clone(),
            fields: vec![
                ("host", FieldValue::Text(host.clone())),
                ("port", FieldValue::Text(AMQP_PORT.to_string())),
                ("username", secret("username")),
                ("password", secret("password")),
                // `%2f` is the default virtual host `/`: by the AMQP URI
                // specification a bare trailing `/` names the empty virtual
                // host, which some clients (the Java client) then ask for.
                // The generated credentials are URL-safe base64, so they
                // need no escaping.
                (
                    "uri",
                    FieldValue::Template(format!(
                        "amqp://$(username):$(password)@{host}:{AMQP_PORT}/%2f"
                    )),
                ),
            ],
        }],
        storage_classes: broker.storage_class.iter().cloned().collect(),
        trust: None,
        origin: broker.origin,
    }
}

/// The Prometheus plugin's endpoint on every node: the operator names its
/// container port `prometheus` (`internal/resource/statefulset.go`).
fn metrics_endpoint(broker: &RabbitmqModel) -> MetricsEndpoint {
    MetricsEndpoint {
        selector: BTreeMap::from([(NAME_LABEL.to_owned(), broker.name.clone())]),
        port: "prometheus".to_owned(),
        path: "/metrics".to_owned(),
    }
}

/// The broker's nodes: clients on AMQP, each other on epmd and the Erlang
/// distribution port, the operator on the management API, the monitoring
/// system on the Prometheus endpoint.
fn pod_group(broker: &RabbitmqModel, version: &str) -> PodGroupModel {
    PodGroupModel {
        name: broker.name.clone(),
        namespace: broker.namespace.clone(),
        pod_labels: BTreeMap::from([(NAME_LABEL.to_owned(), broker.name.clone())]),
        ports: vec![(AMQP_PORT, Protocol::Tcp)],
        peer_ports: if broker.replicas >= 2 {
            vec![EPMD_PORT, DISTRIBUTION_PORT]
        } else {
            Vec::new()
        },
        api_server: calls_api_server(version),
        operator: Some((OPERATOR_NAMESPACE.to_owned(), vec![MANAGEMENT_PORT])),
        uses: Vec::new(),
        egress: Vec::new(),
        metrics_port: Some(PROMETHEUS_PORT),
        metrics_endpoint: Some(metrics_endpoint(broker)),
        origin: broker.origin,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn versions() {
        assert_eq!(parse_version("4.3.4"), Some((4, 3)));
        assert_eq!(parse_version("3.13"), Some((3, 13)));
        assert_eq!(parse_version("4"), Some((4, u32::MAX)));
        for invalid in ["", "4.3.4.1", "v4", "4.x", "4..3", "4.3-management"] {
            assert_eq!(parse_version(invalid), None, "{invalid}");
        }
    }

    #[test]
    fn only_nodes_before_4_1_call_the_api() {
        assert!(calls_api_server("3.13.7"));
        assert!(calls_api_server("4.0.9"));
        assert!(!calls_api_server("4.1"));
        assert!(!calls_api_server("4.3.4"));
        assert!(!calls_api_server("4"));
    }
}

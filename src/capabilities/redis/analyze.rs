//! The Redis capability's analysis: checks each Redis of `redis` and resolves
//! it into a [`RedisModel`], the data service workloads connect to, and the
//! pod groups the network policies open.
//!
//! The operator's behaviour encoded here is that of OT-Container-Kit
//! redis-operator v0.22 (the release whose CRDs `crd-schemas/` vendors):
//! `internal/k8sutils/redis-{standalone,replication,sentinel}.go`,
//! `internal/controller/common/{labels,constants}.go` and
//! `internal/controller/common/redis/heal.go` of its repository.

use std::collections::BTreeMap;

use crate::analyze::{Context, ServiceIdentity, check_identity, placement_of};
use crate::capabilities::storage_class::analyze::check_class;
use crate::diagnostic::{Code, Diagnostic};
use crate::model::{
    AccessPoint, ClientRedirect, DataServiceModel, FieldValue, PlatformModel, PodGroupModel,
    TolerationModel,
};
use crate::spec::{Protocol, Tier};

use super::model::{BUS_PORT, PORT, RedisClusterModel, RedisModel, SENTINEL_PORT};
use super::spec::RedisSpec;

/// The operator's images; the tag is `v` and the Redis version.
const IMAGE: &str = "quay.io/opstree/redis";
const SENTINEL_IMAGE: &str = "quay.io/opstree/redis-sentinel";
/// The version of the operator's Helm charts' default images.
const DEFAULT_VERSION: &str = "7.0.15";
/// Where the operator runs: the namespace its README installs the Helm chart
/// in (`helm upgrade redis-operator ot-helm/redis-operator --namespace
/// ot-operators`). Its controller connects to every server (6379: role
/// checks, `REPLICAOF`, labelling the primary `redis-role: master`) and every
/// sentinel (26379: `SENTINEL MONITOR`, `SET`, `RESET`).
const OPERATOR_NAMESPACE: &str = "ot-operators";

/// The capability's analysis hook.
pub fn analyze(ctx: &mut Context<'_>, model: &mut PlatformModel) {
    let spec = ctx.spec;
    for (name, redis) in crate::capabilities::redis::spec::declared(spec) {
        if redis.enabled == Some(false) {
            continue;
        }
        let Some(resolved) = resolve(ctx, model, name, redis) else {
            continue;
        };
        model.data_services.push(data_service(&resolved));
        model.pod_groups.extend(pod_groups(&resolved));
        if resolved.replicated() {
            // Sentinel clients ask the sentinels where the primary is, then
            // connect to the primary's pod.
            model.client_redirects.push(ClientRedirect {
                from: resolved.sentinel_name(),
                to: resolved.name.clone(),
            });
        }
        if resolved.cluster.is_some() {
            // Cluster clients ask any primary for the slot map, then connect
            // to the pod holding each key: a follower once it has taken over
            // a failed primary's slots (or for reads, with `READONLY`).
            model.client_redirects.push(ClientRedirect {
                from: resolved.cluster_member("leader"),
                to: resolved.cluster_member("follower"),
            });
        }
        crate::capabilities::redis::model::REDIS
            .get_or_default(&mut model.parts)
            .push(resolved);
    }
}

fn resolve(
    ctx: &mut Context<'_>,
    model: &PlatformModel,
    name: &str,
    spec: &RedisSpec,
) -> Option<RedisModel> {
    let errors_before = ctx.diagnostics.error_count();
    check_identity(
        ctx,
        &ServiceIdentity {
            section: "redis",
            what: "Redis",
            name,
            namespace: &spec.namespace,
            max_name: 43,
        },
    );
    let version = spec.version.as_deref().unwrap_or(DEFAULT_VERSION);
    let version_valid = version.split('.').count() == 3
        && version
            .split('.')
            .all(|part| !part.is_empty() && part.bytes().all(|b| b.is_ascii_digit()));
    if !version_valid {
        let span = ctx.value(&["redis", name, "version"]);
        ctx.report(
            Diagnostic::error(
                Code::InvalidValue,
                format!("invalid Redis version `{version}`"),
            )
            .at(span, "expected a version such as `7.0.15`")
            .with_note(format!(
                "the image is {IMAGE}:v<version>, tagged with the full version"
            )),
        );
    }
    let tier = model.tier;
    let replicas = spec
        .replicas
        .unwrap_or(if tier == Tier::Development { 1 } else { 3 });
    if replicas == 0 {
        let span = ctx.value(&["redis", name, "replicas"]);
        ctx.report(
            Diagnostic::error(Code::InvalidValue, "a Redis needs at least one server")
                .at(span, "0 replicas"),
        );
    }
    let cluster = spec
        .cluster
        .as_ref()
        .map(|cluster| resolve_cluster(ctx, name, spec, cluster, version, tier));
    let password = spec.password.as_ref().map(|password| {
        (
            password.secret.clone(),
            password
                .key
                .clone()
                .unwrap_or_else(|| "password".to_owned()),
        )
    });
    if password.is_none() && tier != Tier::Development {
        // Without a password the operator starts Redis with `protected-mode
        // no`: every pod the network policies admit could read and write it.
        let span = ctx.key(&["redis", name]);
        ctx.report(
            Diagnostic::error(
                Code::MissingField,
                format!("Redis `{name}` has no password in environment `{}`", ctx.environment),
            )
            .at(span, "`password` is required outside development")
            .with_help("name the Secret holding it: `password: { secret: <name>, key: password }`, created in the Redis's namespace by External Secrets, Sealed Secrets or by hand")
            .with_note("without one, every pod the network policies admit could read and write the data"),
        );
    }
    let (node_selector, tolerations) = node_pool(ctx, name, spec);
    if let Some(class) = &spec.storage.storage_class {
        check_class(ctx, class, &["redis", name, "storage", "storageClass"]);
    }
    if ctx.diagnostics.error_count() > errors_before {
        return None;
    }
    Some(RedisModel {
        name: name.to_owned(),
        namespace: spec.namespace.clone(),
        description: spec.description.clone(),
        image: format!("{IMAGE}:v{version}"),
        sentinel_image: format!("{SENTINEL_IMAGE}:v{version}"),
        replicas,
        cluster: cluster.flatten(),
        storage_size: spec.storage.size.clone(),
        storage_class: spec.storage.storage_class.clone(),
        resources: spec.resources.clone(),
        node_selector,
        tolerations,
        priority_class: spec
            .scheduling
            .as_ref()
            .and_then(|s| s.priority_class.clone()),
        password,
        origin: ctx.key(&["redis", name]),
    })
}

/// A Redis Cluster's shape, checked: at least three shards, replicas
/// outside development, not with `replicas`, and a server version the
/// operator's cluster mode knows (`clusterVersion` `v6` or `v7`).
fn resolve_cluster(
    ctx: &mut Context<'_>,
    name: &str,
    spec: &RedisSpec,
    cluster: &super::spec::RedisClusterSpec,
    version: &str,
    tier: Tier,
) -> Option<RedisClusterModel> {
    let errors_before = ctx.diagnostics.error_count();
    let shards = cluster.shards.unwrap_or(3);
    if shards < 3 {
        let span = ctx.value(&["redis", name, "cluster", "shards"]);
        ctx.report(
            Diagnostic::error(
                Code::InvalidValue,
                format!("Redis Cluster `{name}` has {shards} shard{}", if shards == 1 { "" } else { "s" }),
            )
            .at(span, "at least 3 shards")
            .with_note("a failed primary is replaced only when a majority of the primaries agree it is down, which takes three; `redis-cli --cluster create`, which the operator runs, refuses fewer")
            .with_help("use 3 shards or more, or drop `cluster` for one primary with replicas (`replicas`)"),
        );
    }
    let replicas_per_shard = cluster.replicas_per_shard.unwrap_or(1);
    if replicas_per_shard == 0 && tier != Tier::Development {
        let span = ctx.value(&["redis", name, "cluster", "replicasPerShard"]);
        ctx.report(
            Diagnostic::error(
                Code::InvalidValue,
                format!("Redis Cluster `{name}` has no replicas in environment `{}`", ctx.environment),
            )
            .at(span, "0 replicas per shard")
            .with_note("a primary without a replica takes its hash slots with it when it fails, and the cluster stops answering for every key until it is back")
            .with_help("keep at least 1 replica per shard outside development"),
        );
    }
    if spec.replicas.is_some() {
        let span = ctx.value(&["redis", name, "replicas"]);
        ctx.report(
            Diagnostic::error(
                Code::InvalidValue,
                format!("Redis `{name}` sets both `replicas` and `cluster`"),
            )
            .at(span, "a replicated Redis's servers")
            .with_help("a cluster's servers are `cluster.shards` primaries with `cluster.replicasPerShard` replicas each: remove `replicas`"),
        );
    }
    let cluster_version = match version.split('.').next() {
        Some("6") => Some("v6"),
        Some("7") => Some("v7"),
        _ => None,
    };
    if cluster_version.is_none() {
        let span = if spec.version.is_some() {
            ctx.value(&["redis", name, "version"])
        } else {
            ctx.key(&["redis", name])
        };
        ctx.report(
            Diagnostic::error(
                Code::InvalidValue,
                format!("the redis-operator runs Redis Cluster 6 or 7, not `{version}`"),
            )
            .at(span, "the operator's `clusterVersion` is `v6` or `v7`")
            .with_help("use a 6.x or 7.x version"),
        );
    }
    if ctx.diagnostics.error_count() > errors_before {
        return None;
    }
    Some(RedisClusterModel {
        shards,
        replicas_per_shard,
        version: cluster_version?,
    })
}

/// The node pool's labels and taints (and the priority class checked), as
/// for workloads.
fn node_pool(
    ctx: &mut Context<'_>,
    name: &str,
    spec: &RedisSpec,
) -> (BTreeMap<String, String>, Vec<TolerationModel>) {
    let placement = placement_of(ctx, &["redis", name], spec.scheduling.as_ref());
    (placement.node_selector, placement.tolerations)
}

/// How workloads connect: to the primary (the default), to the replicas, or
/// through the sentinels; the password always from the user's Secret.
fn data_service(redis: &RedisModel) -> DataServiceModel {
    let svc = |service: String| format!("{service}.{}.svc", redis.namespace);
    let password = redis.password.as_ref().map(|(secret, key)| {
        (
            "password",
            FieldValue::Secret {
                name: secret.clone(),
                namespace: redis.namespace.clone(),
                key: key.clone(),
            },
        )
    });
    let group = if redis.cluster.is_some() {
        redis.cluster_member("leader")
    } else {
        redis.name.clone()
    };
    let server_point = |mode: &'static str, service: String| {
        let host = svc(service);
        let credentials = if password.is_some() {
            ":$(password)@"
        } else {
            ""
        };
        let mut fields = vec![
            ("host", FieldValue::Text(host.clone())),
            ("port", FieldValue::Text(PORT.to_string())),
        ];
        fields.extend(password.clone());
        fields.push((
            "uri",
            FieldValue::Template(format!("redis://{credentials}{host}:{PORT}")),
        ));
        AccessPoint {
            mode,
            group: group.clone(),
            fields,
        }
    };
    let mut access = vec![server_point("readWrite", redis.primary_service())];
    if redis.replicated() {
        access.push(server_point("readOnly", redis.replica_service()));
        // Sentinel-aware clients ask the sentinels for the primary of
        // `masterName` and follow failovers at once; the sentinels require
        // the same password as the servers.
        let mut fields = vec![
            ("host", FieldValue::Text(svc(redis.sentinel_name()))),
            ("port", FieldValue::Text(SENTINEL_PORT.to_string())),
            (
                "masterName",
                FieldValue::Text(redis.master_name().to_owned()),
            ),
        ];
        fields.extend(password);
        access.push(AccessPoint {
            mode: "sentinel",
            group: redis.sentinel_name(),
            fields,
        });
    }
    DataServiceModel {
        name: redis.name.clone(),
        namespace: redis.namespace.clone(),
        engine: "Redis",
        access,
        storage_classes: redis.storage_class.iter().cloned().collect(),
        trust: None,
        origin: redis.origin,
    }
}

/// The servers (replicating from the primary, managed by the operator) and
/// the sentinels (talking to each other and watching the servers). Neither
/// calls the Kubernetes API: the operator configures them over the Redis
/// protocol (its `GenerateConfigInInitContainer` agent, which would, is off by
/// default).
fn pod_groups(redis: &RedisModel) -> Vec<PodGroupModel> {
    if redis.cluster.is_some() {
        return cluster_pod_groups(redis);
    }
    let mut groups = vec![PodGroupModel {
        name: redis.name.clone(),
        namespace: redis.namespace.clone(),
        pod_labels: redis.server_labels(),
        ports: vec![(PORT, Protocol::Tcp)],
        peer_ports: if redis.replicated() {
            vec![PORT]
        } else {
            Vec::new()
        },
        api_server: false,
        operator: Some((OPERATOR_NAMESPACE.to_owned(), vec![PORT])),
        uses: Vec::new(),
        egress: Vec::new(),
        metrics_port: None,
        metrics_endpoint: None,
        origin: redis.origin,
    }];
    if redis.replicated() {
        groups.push(PodGroupModel {
            name: redis.sentinel_name(),
            namespace: redis.namespace.clone(),
            pod_labels: redis.sentinel_labels(),
            ports: vec![(SENTINEL_PORT, Protocol::Tcp)],
            peer_ports: vec![SENTINEL_PORT],
            api_server: false,
            operator: Some((OPERATOR_NAMESPACE.to_owned(), vec![SENTINEL_PORT])),
            uses: vec![(redis.name.clone(), vec![PORT])],
            egress: Vec::new(),
            metrics_port: None,
            metrics_endpoint: None,
            origin: redis.origin,
        });
    }
    groups
}

/// A cluster's leaders and followers: clients reach both (through the
/// leaders' Service first, then the pod holding each key); every server
/// talks to every other on the client port (replication, the operator's
/// `CLUSTER MEET` addresses) and the cluster bus (gossip, failover votes);
/// the operator reaches each on the client port (`redis-cli --cluster
/// create`, `CLUSTER REPLICATE`, health checks).
fn cluster_pod_groups(redis: &RedisModel) -> Vec<PodGroupModel> {
    let group = |role: &str, other: &str| PodGroupModel {
        name: redis.cluster_member(role),
        namespace: redis.namespace.clone(),
        pod_labels: redis.cluster_labels(role),
        ports: vec![(PORT, Protocol::Tcp)],
        peer_ports: vec![PORT, BUS_PORT],
        api_server: false,
        operator: Some((OPERATOR_NAMESPACE.to_owned(), vec![PORT])),
        uses: vec![(redis.cluster_member(other), vec![PORT, BUS_PORT])],
        egress: Vec::new(),
        metrics_port: None,
        metrics_endpoint: None,
        origin: redis.origin,
    };
    vec![group("leader", "follower"), group("follower", "leader")]
}

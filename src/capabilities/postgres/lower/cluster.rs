//! CloudNativePG `Cluster` (`postgresql.cnpg.io/v1`): the instances, their
//! storage and placement, the bootstrap (a new database, recovery from an
//! object store up to a point in time, or a replica of another cluster's
//! archive), and backups with WAL archiving.

use k8s_openapi::apimachinery::pkg::apis::meta::v1::ObjectMeta;
use serde::Serialize;
use serde_json::{Map, Value, json};

use crate::model::PlatformModel;
use crate::spec::Tier;

use super::super::model::{ObjectStoreModel, PostgresModel};
use super::metadata::metadata;
use super::{amounts, tolerations};

#[derive(Debug, Serialize)]
pub(super) struct Cluster {
    metadata: ObjectMeta,
    spec: Value,
}

crate::custom_resource!(
    Cluster,
    "postgresql.cnpg.io",
    "v1",
    "Cluster",
    Namespaced,
    "clusters"
);

/// Client authentication when clients must use TLS. CloudNativePG puts
/// these after its own rules (local connections of the instance manager,
/// certificate authentication of replication and of its poolers, all over
/// TLS) and before its catch-all `host all all all scram-sha-256`: a
/// connection without TLS is refused, one with TLS authenticates by
/// password as before.
const TLS_ONLY_HBA: &[&str] = &[
    "hostnossl all all all reject",
    "hostssl all all all scram-sha-256",
];

/// The name of the recovery source in `externalClusters`.
const ORIGIN: &str = "origin";

pub(super) fn cluster(platform: &PlatformModel, cluster: &PostgresModel) -> Cluster {
    let mut spec = Map::new();
    spec.insert("instances".to_owned(), json!(cluster.instances));
    spec.insert("imageName".to_owned(), json!(cluster.image));
    // Rolling updates restart replicas first and then switch over to an
    // updated replica, so the primary is down for seconds, not minutes.
    spec.insert("primaryUpdateStrategy".to_owned(), json!("unsupervised"));
    spec.insert("primaryUpdateMethod".to_owned(), json!("switchover"));
    let mut storage = json!({ "size": cluster.storage_size.as_str() });
    if let Some(class) = &cluster.storage_class {
        storage["storageClass"] = json!(class);
    }
    spec.insert("storage".to_owned(), storage);
    spec.insert(
        "resources".to_owned(),
        json!({
            "requests": amounts(&cluster.resources.requests),
            "limits": amounts(&cluster.resources.limits),
        }),
    );
    let mut postgresql = Map::new();
    if !cluster.parameters.is_empty() {
        postgresql.insert("parameters".to_owned(), json!(cluster.parameters));
    }
    if cluster.tls_required {
        postgresql.insert("pg_hba".to_owned(), json!(TLS_ONLY_HBA));
    }
    if !postgresql.is_empty() {
        spec.insert("postgresql".to_owned(), Value::Object(postgresql));
    }
    // Instances on different nodes: outside development a node loss must
    // never take the primary and its replicas together, so the rule is hard.
    let mut affinity = json!({
        "enablePodAntiAffinity": true,
        "topologyKey": "kubernetes.io/hostname",
        "podAntiAffinityType": if platform.tier == Tier::Development { "preferred" } else { "required" },
    });
    if !cluster.node_selector.is_empty() {
        affinity["nodeSelector"] = json!(cluster.node_selector);
    }
    if !cluster.tolerations.is_empty() {
        affinity["tolerations"] = tolerations(&cluster.tolerations);
    }
    spec.insert("affinity".to_owned(), affinity);
    if let Some(class) = &cluster.priority_class {
        spec.insert("priorityClassName".to_owned(), json!(class));
    }
    if let Some(replica) = &cluster.replica_of {
        // A replica cluster: a copy of the primary's latest base backup,
        // then the WAL it archives, replayed as it arrives. Promoting it is
        // `replica.enabled: false`; the rest stays, so the bootstrap (read
        // only when the cluster is created) never changes.
        spec.insert(
            "bootstrap".to_owned(),
            json!({ "recovery": {
                "source": ORIGIN,
                "database": cluster.database,
                "owner": cluster.owner,
            }}),
        );
        spec.insert(
            "replica".to_owned(),
            json!({ "enabled": !replica.promoted, "source": ORIGIN }),
        );
        spec.insert(
            "externalClusters".to_owned(),
            json!([{ "name": ORIGIN, "barmanObjectStore": object_store(&replica.store) }]),
        );
    }
    match &cluster.recovery {
        None if cluster.replica_of.is_some() => {}
        None => {
            spec.insert(
                "bootstrap".to_owned(),
                json!({ "initdb": { "database": cluster.database, "owner": cluster.owner } }),
            );
        }
        Some(recovery) => {
            let mut bootstrap = json!({
                "source": ORIGIN,
                "database": cluster.database,
                "owner": cluster.owner,
            });
            if let Some(time) = &recovery.target_time {
                bootstrap["recoveryTarget"] = json!({ "targetTime": time });
            }
            spec.insert("bootstrap".to_owned(), json!({ "recovery": bootstrap }));
            spec.insert(
                "externalClusters".to_owned(),
                json!([{ "name": ORIGIN, "barmanObjectStore": object_store(&recovery.store) }]),
            );
        }
    }
    if let Some(backup) = &cluster.backup {
        spec.insert(
            "backup".to_owned(),
            json!({
                "retentionPolicy": backup.retention,
                "barmanObjectStore": object_store(&backup.store),
            }),
        );
    }
    Cluster {
        metadata: metadata(platform, cluster, cluster.name.clone()),
        spec: Value::Object(spec),
    }
}

/// Barman's view of an object store: where, how to reach it, as whom, and
/// compressed WAL and base backups.
fn object_store(store: &ObjectStoreModel) -> Value {
    let mut value = json!({
        "destinationPath": store.destination,
        "serverName": store.server_name,
        "s3Credentials": {
            "accessKeyId": { "name": store.secret, "key": store.access_key_id },
            "secretAccessKey": { "name": store.secret, "key": store.secret_access_key },
        },
        "wal": { "compression": "gzip" },
        "data": { "compression": "gzip" },
    });
    if let Some(url) = &store.endpoint_url {
        value["endpointURL"] = json!(url);
    }
    // Barman verifies the endpoint's certificate with this CA, read from
    // the cluster's namespace.
    if let Some((secret, key)) = &store.endpoint_ca {
        value["endpointCA"] = json!({ "name": secret, "key": key });
    }
    value
}

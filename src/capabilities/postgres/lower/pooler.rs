//! CloudNativePG `Pooler` (`postgresql.cnpg.io/v1`): PgBouncer in front of the
//! primary, with its own Service of the Pooler's name. Clients authenticate
//! with the application user's credentials; the operator wires PgBouncer's
//! auth query to the cluster.

use k8s_openapi::apimachinery::pkg::apis::meta::v1::ObjectMeta;
use serde::Serialize;
use serde_json::{Value, json};

use crate::model::PlatformModel;

use super::super::model::{PoolerModel, PostgresModel};
use super::metadata::metadata;

#[derive(Debug, Serialize)]
pub(super) struct Pooler {
    metadata: ObjectMeta,
    spec: Value,
}

crate::custom_resource!(
    Pooler,
    "postgresql.cnpg.io",
    "v1",
    "Pooler",
    Namespaced,
    "poolers"
);

pub(super) fn pooler(
    platform: &PlatformModel,
    cluster: &PostgresModel,
    pooler: &PoolerModel,
) -> Pooler {
    Pooler {
        metadata: metadata(platform, cluster, cluster.pooler_name()),
        spec: json!({
            "cluster": { "name": cluster.name },
            "instances": pooler.instances,
            "type": "rw",
            "pgbouncer": pgbouncer(cluster, pooler),
            // Requests and limits, so the pods fit namespaces with quotas;
            // PgBouncer is light and single-threaded.
            "template": {
                "metadata": { "labels": { "cnpg.io/poolerName": cluster.pooler_name() } },
                "spec": {
                    "containers": [{
                        "name": "pgbouncer",
                        "resources": {
                            "requests": { "cpu": "100m", "memory": "64Mi" },
                            "limits": { "cpu": "500m", "memory": "256Mi" },
                        },
                    }],
                },
            },
        }),
    }
}

/// PgBouncer's settings: the pool mode and, when the cluster requires TLS
/// of its clients, the same of PgBouncer's (its own connections to the
/// instances always use TLS, authenticated by certificate).
fn pgbouncer(cluster: &PostgresModel, pooler: &PoolerModel) -> Value {
    let mut settings = json!({ "poolMode": pooler.mode });
    if cluster.tls_required {
        settings["parameters"] = json!({ "client_tls_sslmode": "require" });
    }
    settings
}

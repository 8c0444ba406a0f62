//! `RedisSpec`: a Redis run by the OT-Container-Kit redis-operator: one
//! standalone server, a primary with replicas and three Sentinels that
//! fail over to a replica when the primary is lost, or a Redis Cluster whose
//! keys are sharded over several primaries, each with its replicas.

use schemars::JsonSchema;
use serde::Deserialize;

use crate::spec::{DataVolume, Resources, Scheduling};

/// The key paths of this section whose values name a platform namespace,
/// renamed with the others by `cluster.namespaceTemplate`
/// (`spec::namespace_names`).
pub const NAMESPACE_PATHS: &[&str] = &["redis.*.namespace"];

#[derive(Debug, Clone, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
pub struct RedisSpec {
    /// `false` leaves the Redis out of this environment.
    #[serde(default)]
    pub enabled: Option<bool>,
    /// Namespace of the Redis, declared under `namespaces`.
    pub namespace: String,
    /// What the Redis holds, for readers of the render.
    #[serde(default)]
    pub description: Option<String>,
    /// Redis version: the tag of the operator's images
    /// (`quay.io/opstree/redis:v<version>`, and `redis-sentinel` for the
    /// sentinels). Default `7.0.15`.
    #[serde(default)]
    pub version: Option<String>,
    /// Redis servers. 1 is a standalone server; 2 or more are a primary and
    /// replicas, watched by three Sentinels that promote a replica when the
    /// primary fails. Default 1 in development, 3 otherwise.
    #[serde(default)]
    pub replicas: Option<u32>,
    /// A sharded Redis Cluster instead (a `RedisCluster`): the key space is
    /// split over `shards` primaries, each with `replicasPerShard` replicas
    /// that take over when it fails. Clients must speak the cluster
    /// protocol (follow `MOVED` redirects to the pod holding a key). Not
    /// with `replicas`.
    #[serde(default)]
    pub cluster: Option<RedisClusterSpec>,
    /// Each server's data volume. The operator's image turns persistence on
    /// when a volume is attached: an append-only file (AOF) and RDB snapshots.
    pub storage: DataVolume,
    /// Requests and limits of each server.
    pub resources: Resources,
    /// Node pool and priority class of the servers and sentinels; servers are
    /// always spread across nodes.
    #[serde(default)]
    pub scheduling: Option<Scheduling>,
    /// The Secret holding the password clients and replicas authenticate
    /// with, in the Redis's namespace. It must exist in the cluster (created
    /// by External Secrets, Sealed Secrets or by hand): never written in the
    /// spec. Required outside development, where a Redis without a password
    /// would answer every pod the network policies let in.
    #[serde(default)]
    pub password: Option<RedisPassword>,
}

#[derive(Debug, Clone, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
pub struct RedisClusterSpec {
    /// Primaries the 16384 hash slots are split over: at least 3, so a
    /// majority of primaries can agree that one has failed and promote its
    /// replica. Default 3.
    #[serde(default)]
    pub shards: Option<u32>,
    /// Replicas of each primary. Default 1; 0 only in development, where
    /// the loss of one primary takes its slots (and, with full coverage
    /// required, the whole cluster) down.
    #[serde(default)]
    pub replicas_per_shard: Option<u32>,
}

#[derive(Debug, Clone, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
pub struct RedisPassword {
    /// Name of the Secret, in the Redis's namespace.
    pub secret: String,
    /// Key of the password in the Secret. Default `password`.
    #[serde(default)]
    pub key: Option<String>,
}

/// `redis`: the platform's redis services by name.
pub const REDIS: crate::spec::Section<indexmap::IndexMap<String, RedisSpec>> =
    crate::spec::Section::new(crate::spec::Scope::Platform, "redis");

pub const SECTIONS: &[crate::spec::SectionType] = &[crate::spec::SectionType::data_services(
    REDIS,
    "Redis servers by name, run by the OT-Container-Kit redis-operator. Workloads name one in `uses` and `connections`.",
)];

impl crate::spec::DataServiceSpec for RedisSpec {
    fn enabled(&self) -> bool {
        self.enabled != Some(false)
    }
}

/// The platform's `redis` section: its services by name.
pub fn declared(spec: &crate::spec::PlatformSpec) -> &indexmap::IndexMap<String, RedisSpec> {
    static NONE: std::sync::LazyLock<indexmap::IndexMap<String, RedisSpec>> =
        std::sync::LazyLock::new(indexmap::IndexMap::new);
    REDIS.get(&spec.sections).unwrap_or(&NONE)
}

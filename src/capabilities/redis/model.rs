//! `RedisModel`: one Redis to render, every default applied, with the names
//! the redis-operator gives the objects it creates.

use std::collections::BTreeMap;

use crate::model::TolerationModel;
use crate::source::Span;
use crate::spec::{Quantity, Resources};

/// `common.RedisPort` and `common.SentinelPort` of the operator: it
/// configures the servers and sentinels on these and creates its Services
/// with them.
pub const PORT: u16 = 6379;
pub const SENTINEL_PORT: u16 = 26379;
/// The Redis Cluster bus: each server talks to the others on its client
/// port plus 10000 (`cluster-port`, the operator's `*cr.Spec.Port + 10000`).
pub const BUS_PORT: u16 = PORT + 10000;
/// Sentinels watching a replicated Redis: three, so a majority (the quorum of
/// two) survives the loss of any one node.
pub const SENTINELS: u32 = 3;

#[derive(Debug, Clone)]
pub struct RedisModel {
    pub name: String,
    pub namespace: String,
    pub description: Option<String>,
    /// `quay.io/opstree/redis:v<version>`.
    pub image: String,
    /// `quay.io/opstree/redis-sentinel:v<version>`.
    pub sentinel_image: String,
    /// 1: a standalone `Redis`; more: a `RedisReplication` and a
    /// `RedisSentinel`. Unused for a cluster.
    pub replicas: u32,
    /// A sharded `RedisCluster` instead.
    pub cluster: Option<RedisClusterModel>,
    pub storage_size: Quantity,
    pub storage_class: Option<String>,
    pub resources: Resources,
    pub node_selector: BTreeMap<String, String>,
    pub tolerations: Vec<TolerationModel>,
    pub priority_class: Option<String>,
    /// The Secret and key of the password; `None` runs without one
    /// (development only).
    pub password: Option<(String, String)>,
    pub origin: Span,
}

/// The shape of a Redis Cluster.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct RedisClusterModel {
    /// Primaries (the operator's leaders): `clusterSize`.
    pub shards: u32,
    /// Replicas of each primary (followers: `shards × replicas_per_shard`,
    /// which the operator attaches to the leaders in turn).
    pub replicas_per_shard: u32,
    /// `clusterVersion`: `v6` or `v7`, the major version of the image.
    pub version: &'static str,
}

impl RedisModel {
    /// A primary with replicas and Sentinels, rather than one server.
    pub fn replicated(&self) -> bool {
        self.cluster.is_none() && self.replicas > 1
    }

    /// `redis_setup_type`, the label the operator puts on the servers' pods
    /// (and their `role`, but for a cluster, whose roles are `leader` and
    /// `follower`).
    pub fn setup_type(&self) -> &'static str {
        if self.cluster.is_some() {
            "cluster"
        } else if self.replicated() {
            "replication"
        } else {
            "standalone"
        }
    }

    /// A cluster's StatefulSet, Service and pod group of `role` (`leader`
    /// or `follower`): the operator appends the role to the object's name.
    pub fn cluster_member(&self, role: &str) -> String {
        format!("{}-{role}", self.name)
    }

    /// The pod labels of a cluster's `role` (`getRedisLabels` with the
    /// StatefulSet's name).
    pub fn cluster_labels(&self, role: &str) -> BTreeMap<String, String> {
        BTreeMap::from([
            ("app".to_owned(), self.cluster_member(role)),
            ("redis_setup_type".to_owned(), "cluster".to_owned()),
            ("role".to_owned(), role.to_owned()),
        ])
    }

    /// The Service in front of the primary: the operator labels the primary
    /// `redis-role: master` and selects it in `<name>-master` (replication);
    /// a standalone server is behind `<name>`, a cluster's primaries behind
    /// `<name>-leader` (any of them answers with the cluster's slot map).
    pub fn primary_service(&self) -> String {
        if self.cluster.is_some() {
            self.cluster_member("leader")
        } else if self.replicated() {
            format!("{}-master", self.name)
        } else {
            self.name.clone()
        }
    }

    /// The Service in front of the replicas (`redis-role: slave`).
    pub fn replica_service(&self) -> String {
        format!("{}-replica", self.name)
    }

    /// The sentinels' StatefulSet and Service: the operator appends
    /// `-sentinel` to the `RedisSentinel`'s name.
    pub fn sentinel_name(&self) -> String {
        format!("{}-sentinel", self.name)
    }

    /// The servers' pod labels, as the operator sets them
    /// (`common.GetRedisLabels`): `app` is the object's name,
    /// `redis_setup_type` and `role` its kind of setup.
    pub fn server_labels(&self) -> BTreeMap<String, String> {
        BTreeMap::from([
            ("app".to_owned(), self.name.clone()),
            ("redis_setup_type".to_owned(), self.setup_type().to_owned()),
            ("role".to_owned(), self.setup_type().to_owned()),
        ])
    }

    /// The sentinels' pod labels: the operator labels them with their
    /// StatefulSet's name, `<name>-sentinel`.
    pub fn sentinel_labels(&self) -> BTreeMap<String, String> {
        BTreeMap::from([
            ("app".to_owned(), self.sentinel_name()),
            ("redis_setup_type".to_owned(), "sentinel".to_owned()),
            ("role".to_owned(), "sentinel".to_owned()),
        ])
    }

    /// The name the sentinels monitor the primary under, which Sentinel
    /// clients ask for (`masterGroupName`).
    pub fn master_name(&self) -> &str {
        &self.name
    }
}

/// The platform's redis services to render (`PlatformModel::parts`), in
/// spec order.
pub const REDIS: crate::model::Part<Vec<RedisModel>> = crate::model::Part::new("redis");

/// The platform's redis services to render, in spec order.
pub fn rendered(platform: &crate::model::PlatformModel) -> &[RedisModel] {
    REDIS.get(&platform.parts).map_or(&[], Vec::as_slice)
}

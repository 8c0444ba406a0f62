//! `RabbitmqSpec`: a RabbitMQ broker run by the RabbitMQ Cluster Operator: one
//! node, or a cluster of an odd number of nodes whose quorum queues replicate
//! every message to a majority of them.

use schemars::JsonSchema;
use serde::Deserialize;

use crate::spec::{DataVolume, Resources, Scheduling};

/// The key paths of this section whose values name a platform namespace,
/// renamed with the others by `cluster.namespaceTemplate`
/// (`spec::namespace_names`).
pub const NAMESPACE_PATHS: &[&str] = &["rabbitmq.*.namespace"];

#[derive(Debug, Clone, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
pub struct RabbitmqSpec {
    /// `false` leaves the broker out of this environment.
    #[serde(default)]
    pub enabled: Option<bool>,
    /// Namespace of the broker, declared under `namespaces`.
    pub namespace: String,
    /// What the broker carries, for readers of the render.
    #[serde(default)]
    pub description: Option<String>,
    /// RabbitMQ version: the tag of the official image, with the management
    /// plugin (`rabbitmq:<version>-management`). 3.13 or later. Default
    /// `4.3.4`, the operator's own default.
    #[serde(default)]
    pub version: Option<String>,
    /// RabbitMQ nodes. An odd number: quorum queues and the operator's
    /// `pause_minority` partition handling need a majority of nodes up, so an
    /// even count tolerates no more failures than one node fewer. Default 1
    /// in development, 3 otherwise.
    #[serde(default)]
    pub replicas: Option<u32>,
    /// Each node's data volume (messages and metadata).
    pub storage: DataVolume,
    /// Requests and limits of each node.
    pub resources: Resources,
    /// Node pool and priority class of the nodes; nodes are always spread
    /// across Kubernetes nodes.
    #[serde(default)]
    pub scheduling: Option<Scheduling>,
    /// The type of queues clients declare without an `x-queue-type`
    /// argument: `quorum` (default: replicated to a majority of nodes, the
    /// same semantics in every environment) or `classic` (on one node only).
    #[serde(default)]
    pub default_queue_type: Option<QueueType>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, JsonSchema)]
#[serde(rename_all = "camelCase")]
pub enum QueueType {
    Quorum,
    Classic,
}

/// `rabbitmq`: the platform's rabbitmq services by name.
pub const RABBITMQ: crate::spec::Section<indexmap::IndexMap<String, RabbitmqSpec>> =
    crate::spec::Section::new(crate::spec::Scope::Platform, "rabbitmq");

pub const SECTIONS: &[crate::spec::SectionType] = &[crate::spec::SectionType::data_services(
    RABBITMQ,
    "RabbitMQ brokers by name, run by the RabbitMQ Cluster Operator. Workloads name one in `uses` and `connections`.",
)];

impl crate::spec::DataServiceSpec for RabbitmqSpec {
    fn enabled(&self) -> bool {
        self.enabled != Some(false)
    }
}

/// The platform's `rabbitmq` section: its services by name.
pub fn declared(spec: &crate::spec::PlatformSpec) -> &indexmap::IndexMap<String, RabbitmqSpec> {
    static NONE: std::sync::LazyLock<indexmap::IndexMap<String, RabbitmqSpec>> =
        std::sync::LazyLock::new(indexmap::IndexMap::new);
    RABBITMQ.get(&spec.sections).unwrap_or(&NONE)
}

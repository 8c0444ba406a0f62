//! `ElasticsearchSpec`: a single-node Elasticsearch, the store a set of
//! stateless replicas share (Jaeger's trace store, a log store): HTTPS only
//! with a certificate of the platform's internal CA, every client a user of
//! its own whose password comes from a Secret that exists in the cluster,
//! allowed exactly the indices it names.

use indexmap::IndexMap;
use schemars::JsonSchema;
use serde::Deserialize;

use crate::spec::{DataVolume, Resources, Scheduling};

/// The key paths of this section whose values name a platform namespace,
/// renamed with the others by `cluster.namespaceTemplate`
/// (`spec::namespace_names`).
pub const NAMESPACE_PATHS: &[&str] = &["elasticsearch.*.namespace"];

#[derive(Debug, Clone, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
pub struct ElasticsearchSpec {
    /// `false` leaves the store out of this environment.
    #[serde(default)]
    pub enabled: Option<bool>,
    /// Namespace of the store, declared under `namespaces`.
    pub namespace: String,
    /// What the store holds, for readers of the render.
    #[serde(default)]
    pub description: Option<String>,
    /// Elasticsearch version: the tag of
    /// `docker.elastic.co/elasticsearch/elasticsearch`, 8.x or 9.x. Default
    /// `8.19.0`.
    #[serde(default)]
    pub version: Option<String>,
    /// The node's data volume (indices and cluster state).
    pub storage: DataVolume,
    /// Requests and limits of the node. Elasticsearch sizes its heap to half
    /// the memory limit.
    pub resources: Resources,
    /// Node pool and priority class of the node.
    #[serde(default)]
    pub scheduling: Option<Scheduling>,
    /// The store's users by name (at least one): each client connects as a
    /// user of its own, allowed only its `indices`.
    pub users: IndexMap<String, ElasticsearchUserSpec>,
}

#[derive(Debug, Clone, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
pub struct ElasticsearchUserSpec {
    /// A Secret in the store's namespace holding the user's password
    /// (created by External Secrets, Sealed Secrets or by hand; a workload's
    /// `secrets` entry in that namespace creates one). At least 6 characters:
    /// Elasticsearch refuses shorter passwords.
    pub secret: String,
    /// The Secret's key holding the password. Default `password`.
    #[serde(default)]
    pub key: Option<String>,
    /// Index patterns the user may create, write, read and delete, with
    /// their templates and lifecycle policies, e.g. `[jaeger-*]`.
    pub indices: Vec<String>,
}

/// `elasticsearch`: the platform's Elasticsearch stores by name.
pub const ELASTICSEARCH: crate::spec::Section<IndexMap<String, ElasticsearchSpec>> =
    crate::spec::Section::new(crate::spec::Scope::Platform, "elasticsearch");

pub const SECTIONS: &[crate::spec::SectionType] = &[crate::spec::SectionType::data_services(
    ELASTICSEARCH,
    "Single-node Elasticsearch stores by name (a trace or log store that stateless replicas share), HTTPS only. Workloads name one in `uses` and `connections`.",
)];

impl crate::spec::DataServiceSpec for ElasticsearchSpec {
    fn enabled(&self) -> bool {
        self.enabled != Some(false)
    }
}

/// The platform's `elasticsearch` section: its stores by name.
pub fn declared(spec: &crate::spec::PlatformSpec) -> &IndexMap<String, ElasticsearchSpec> {
    static NONE: std::sync::LazyLock<IndexMap<String, ElasticsearchSpec>> =
        std::sync::LazyLock::new(IndexMap::new);
    ELASTICSEARCH.get(&spec.sections).unwrap_or(&NONE)
}

//! `PostgresSpec`: a PostgreSQL cluster run by the CloudNativePG operator: a
//! primary and streaming replicas with automated failover, optional PgBouncer
//! poolers, scheduled backups to an object store with continuous WAL
//! archiving, and point-in-time recovery.

use indexmap::IndexMap;
use schemars::JsonSchema;
use serde::Deserialize;

use crate::spec::{DataVolume, Resources, Scheduling};

/// The key paths of this section whose values name a platform namespace,
/// renamed with the others by `cluster.namespaceTemplate`
/// (`spec::namespace_names`).
pub const NAMESPACE_PATHS: &[&str] = &["postgres.*.namespace"];

#[derive(Debug, Clone, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
pub struct PostgresSpec {
    /// `false` leaves the cluster out of this environment.
    #[serde(default)]
    pub enabled: Option<bool>,
    /// Namespace of the cluster, declared under `namespaces`.
    pub namespace: String,
    /// What the cluster holds, for readers of the render.
    #[serde(default)]
    pub description: Option<String>,
    /// PostgreSQL version: the tag of CloudNativePG's operand image
    /// (`ghcr.io/cloudnative-pg/postgresql:<version>`). Default `16.6`.
    #[serde(default)]
    pub version: Option<String>,
    /// PostgreSQL servers: one primary, the rest streaming replicas that take
    /// over when the primary fails. Default 1 in development, 3 otherwise.
    #[serde(default)]
    pub instances: Option<u32>,
    /// Each instance's data volume.
    pub storage: DataVolume,
    /// Requests and limits of each instance.
    pub resources: Resources,
    /// Node pool and priority class of the instances; instances are always
    /// spread across nodes.
    #[serde(default)]
    pub scheduling: Option<Scheduling>,
    /// The application database created at bootstrap. Default `app`.
    #[serde(default)]
    pub database: Option<String>,
    /// The role owning `database`, whose credentials CloudNativePG generates
    /// into the Secret `<name>-app`. Default `app`.
    #[serde(default)]
    pub owner: Option<String>,
    /// PostgreSQL configuration parameters (`max_connections`, …).
    #[serde(default)]
    pub parameters: IndexMap<String, String>,
    /// PgBouncer in front of the cluster, for `pooled` connections.
    #[serde(default)]
    pub pooler: Option<PoolerSpec>,
    /// Scheduled base backups and continuous WAL archiving to an object
    /// store, which point-in-time recovery replays.
    #[serde(default)]
    pub backup: Option<BackupSpec>,
    /// Bootstrap this cluster from the backups of another (or a previous
    /// incarnation of this one), up to a point in time.
    #[serde(default)]
    pub recovery: Option<RecoverySpec>,
    /// Keep this cluster a replica of another, typically the same cluster
    /// of another environment in another region: bootstrapped from the
    /// primary's base backups in its object store and kept in continuous
    /// recovery from the WAL the primary archives there, read-only until
    /// promoted (CloudNativePG's replica cluster).
    #[serde(default)]
    pub replica_of: Option<ReplicaOfSpec>,
    /// TLS between clients and the cluster. CloudNativePG always serves
    /// TLS (with certificates of its own CA); `clients: required` refuses
    /// connections that do not use it.
    #[serde(default)]
    pub tls: Option<PostgresTlsSpec>,
}

#[derive(Debug, Clone, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
pub struct PostgresTlsSpec {
    /// `optional` (default: TLS offered, plain connections accepted) or
    /// `required`: the instances reject every connection without TLS
    /// (`hostnossl … reject` in `pg_hba`), PgBouncer too
    /// (`client_tls_sslmode: require`), and connections hand workloads
    /// `sslmode=require`.
    #[serde(default)]
    pub clients: Option<ClientTls>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, JsonSchema)]
#[serde(rename_all = "camelCase")]
pub enum ClientTls {
    Optional,
    Required,
}

#[derive(Debug, Clone, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
pub struct PoolerSpec {
    /// PgBouncer pods of each pooler. Default 2.
    #[serde(default)]
    pub instances: Option<u32>,
    /// `transaction` (default: a server connection per transaction, the most
    /// sharing) or `session` (one per client session, for clients that use
    /// session state such as prepared statements or advisory locks).
    #[serde(default)]
    pub mode: Option<PoolMode>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, JsonSchema)]
#[serde(rename_all = "camelCase")]
pub enum PoolMode {
    Session,
    Transaction,
}

#[derive(Debug, Clone, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
pub struct BackupSpec {
    /// When base backups run: a five-field cron expression in UTC, e.g.
    /// `0 2 * * *`. WAL is archived continuously in between.
    pub schedule: String,
    /// How long backups and WAL are kept, e.g. `30d`, `4w`. Default `30d`.
    #[serde(default)]
    pub retention: Option<String>,
    /// Where backups go: an S3-compatible object store.
    /// Bucket and path, e.g. `s3://health-backups/postgres`.
    pub destination: String,
    /// The store's endpoint: a data service or workload of the platform
    /// (`{ service: minio }`, reached in-cluster and opened in the network
    /// policies), or a URL (`{ url: https://s3.eu-west-1.amazonaws.com }`,
    /// opened as egress to the internet on its port). Default: AWS S3.
    #[serde(default)]
    pub endpoint: Option<Endpoint>,
    /// The Secret holding the access key pair, which must exist in the
    /// cluster (created by External Secrets, Sealed Secrets or by hand):
    /// never written in the spec.
    pub credentials: S3Credentials,
    /// The server name under `destination` (a folder per cluster). Default:
    /// the cluster's name.
    #[serde(default)]
    pub server_name: Option<String>,
}

/// An object store location: what backups and recovery both name.
#[derive(Debug, Clone, Copy)]
pub struct ObjectStore<'a> {
    pub destination: &'a str,
    pub endpoint: Option<&'a Endpoint>,
    pub credentials: &'a S3Credentials,
    pub server_name: Option<&'a str>,
}

impl BackupSpec {
    pub fn store(&self) -> ObjectStore<'_> {
        ObjectStore {
            destination: &self.destination,
            endpoint: self.endpoint.as_ref(),
            credentials: &self.credentials,
            server_name: self.server_name.as_deref(),
        }
    }
}

impl ReplicaOfSpec {
    pub fn store(&self) -> ObjectStore<'_> {
        ObjectStore {
            destination: &self.destination,
            endpoint: self.endpoint.as_ref(),
            credentials: &self.credentials,
            server_name: self.server_name.as_deref(),
        }
    }
}

impl RecoverySpec {
    pub fn store(&self) -> ObjectStore<'_> {
        ObjectStore {
            destination: &self.destination,
            endpoint: self.endpoint.as_ref(),
            credentials: &self.credentials,
            server_name: self.server_name.as_deref(),
        }
    }
}

#[derive(Debug, Clone, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
pub struct Endpoint {
    /// A data service or workload of the platform serving the S3 API.
    #[serde(default)]
    pub service: Option<String>,
    /// A URL outside the platform.
    #[serde(default)]
    pub url: Option<String>,
}

#[derive(Debug, Clone, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
pub struct S3Credentials {
    /// Name of the Secret, in the cluster's namespace.
    pub secret: String,
    /// Key of the access key id. Default `ACCESS_KEY_ID`.
    #[serde(default)]
    pub access_key_id: Option<String>,
    /// Key of the secret access key. Default `ACCESS_SECRET_KEY`.
    #[serde(default)]
    pub secret_access_key: Option<String>,
}

#[derive(Debug, Clone, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
pub struct RecoverySpec {
    /// The object store holding the backups and WAL to restore from, and the
    /// server name they were written under (the old cluster's name).
    /// Bucket and path, e.g. `s3://health-backups/postgres`.
    pub destination: String,
    /// The store's endpoint: a data service or workload of the platform
    /// (`{ service: minio }`, reached in-cluster and opened in the network
    /// policies), or a URL (`{ url: https://s3.eu-west-1.amazonaws.com }`,
    /// opened as egress to the internet on its port). Default: AWS S3.
    #[serde(default)]
    pub endpoint: Option<Endpoint>,
    /// The Secret holding the access key pair, which must exist in the
    /// cluster (created by External Secrets, Sealed Secrets or by hand):
    /// never written in the spec.
    pub credentials: S3Credentials,
    /// The server name under `destination` (a folder per cluster). Default:
    /// the cluster's name.
    #[serde(default)]
    pub server_name: Option<String>,
    /// Replay WAL up to this instant (RFC 3339, e.g.
    /// `2026-12-01T09:30:00Z`). Default: the end of the archive.
    #[serde(default)]
    pub target_time: Option<String>,
}

#[derive(Debug, Clone, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
pub struct ReplicaOfSpec {
    /// The primary's object store: its `backup.destination`, where its base
    /// backups and WAL archive are. Bucket and path, e.g.
    /// `s3://health-backups/postgres`.
    pub destination: String,
    /// The store's endpoint, as the primary's `backup.endpoint`. Default:
    /// AWS S3.
    #[serde(default)]
    pub endpoint: Option<Endpoint>,
    /// The Secret, in this cluster's namespace, holding an access key pair
    /// that may read the primary's store.
    pub credentials: S3Credentials,
    /// The primary's server name under `destination` (its
    /// `backup.serverName`, by default its cluster name). Default: this
    /// cluster's name.
    #[serde(default)]
    pub server_name: Option<String>,
    /// `true` promotes the replica: it stops following the primary and
    /// accepts writes (CloudNativePG's `replica.enabled: false`). Only once
    /// the primary is gone or demoted: two primaries would diverge.
    #[serde(default)]
    pub promote: Option<bool>,
}

/// `postgres`: the platform's postgres services by name.
pub const POSTGRES: crate::spec::Section<indexmap::IndexMap<String, PostgresSpec>> =
    crate::spec::Section::new(crate::spec::Scope::Platform, "postgres");

pub const SECTIONS: &[crate::spec::SectionType] = &[crate::spec::SectionType::data_services(
    POSTGRES,
    "PostgreSQL clusters by name, run by the CloudNativePG operator. Workloads name one in `uses` and `connections`.",
)];

impl crate::spec::DataServiceSpec for PostgresSpec {
    fn enabled(&self) -> bool {
        self.enabled != Some(false)
    }
}

/// The platform's `postgres` section: its services by name.
pub fn declared(spec: &crate::spec::PlatformSpec) -> &indexmap::IndexMap<String, PostgresSpec> {
    static NONE: std::sync::LazyLock<indexmap::IndexMap<String, PostgresSpec>> =
        std::sync::LazyLock::new(indexmap::IndexMap::new);
    POSTGRES.get(&spec.sections).unwrap_or(&NONE)
}

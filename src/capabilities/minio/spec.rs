//! `MinioSpec`: an S3-compatible object store run by the MinIO Operator as a
//! `Tenant`: server pools with erasure coding across their drives, buckets
//! created at start, users and root credentials from Secrets that exist in
//! the cluster (never written in the spec).

use indexmap::IndexMap;
use schemars::JsonSchema;
use serde::Deserialize;

use crate::spec::{DataVolume, Resources, Scheduling};

mod replication;

pub use replication::{ReplicationCredentials, ReplicationSpec};

/// The key paths of this section whose values name a platform namespace,
/// renamed with the others by `cluster.namespaceTemplate`
/// (`spec::namespace_names`).
pub const NAMESPACE_PATHS: &[&str] = &["minio.*.namespace"];

#[derive(Debug, Clone, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
pub struct MinioSpec {
    /// `false` leaves the object store out of this environment.
    #[serde(default)]
    pub enabled: Option<bool>,
    /// Namespace of the tenant, declared under `namespaces`. One tenant per
    /// namespace: the operator names its S3 Service `minio` in every tenant.
    pub namespace: String,
    /// What the store holds, for readers of the render.
    #[serde(default)]
    pub description: Option<String>,
    /// MinIO release: the tag of `quay.io/minio/minio`, e.g.
    /// `RELEASE.2025-04-08T15-41-24Z` (the default).
    #[serde(default)]
    pub version: Option<String>,
    /// Server pools by name (at least one). Each pool is a StatefulSet of
    /// `servers` pods with `volumesPerServer` volumes each, erasure-coded
    /// together. Grow a tenant by adding a pool: `servers` and
    /// `volumesPerServer` of an existing pool cannot change.
    pub pools: IndexMap<String, MinioPoolSpec>,
    /// Requests and limits of each MinIO server.
    pub resources: Resources,
    /// Node pool and priority class of the servers; servers of a pool are
    /// always spread across nodes.
    #[serde(default)]
    pub scheduling: Option<Scheduling>,
    /// Buckets the operator creates when the tenant starts (existing ones are
    /// left alone), e.g. `[backups, data-lake]`.
    #[serde(default)]
    pub buckets: Vec<String>,
    /// The root user: a Secret in the tenant's namespace whose `config.env`
    /// key holds `export MINIO_ROOT_USER=…` and `export
    /// MINIO_ROOT_PASSWORD=…`. Required: there is no default user.
    pub root_credentials: RootCredentials,
    /// Users the operator creates, each a Secret in the tenant's namespace
    /// with keys `CONSOLE_ACCESS_KEY` and `CONSOLE_SECRET_KEY`: one per
    /// consumer, so none of them gets the root credentials.
    #[serde(default)]
    pub users: Vec<String>,
    /// TLS on the S3 API with a certificate the operator requests from the
    /// cluster's CA (the `CertificateSigningRequest` API). Default `false`:
    /// plain HTTP inside the cluster, which every S3 client takes without
    /// extra configuration; the network policies admit only the declared
    /// clients.
    #[serde(default)]
    pub request_auto_cert: Option<bool>,
    /// HTTPS only on the S3 API, with a certificate cert-manager issues from
    /// the platform's internal CA (rendered with it) and renews; every client
    /// (the connected workloads, PostgreSQL backups, bucket replication)
    /// gets the CA mounted and an `https://` endpoint. Default `false`.
    /// Excludes `requestAutoCert`.
    #[serde(default)]
    pub tls: Option<bool>,
    /// Server-side replication of buckets to a MinIO deployment outside the
    /// platform: an off-site copy that follows every write. Versioning is
    /// turned on for each replicated bucket, here and on the remote.
    #[serde(default)]
    pub replication: Option<ReplicationSpec>,
}

#[derive(Debug, Clone, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
pub struct MinioPoolSpec {
    /// MinIO servers (pods) of the pool. Default 1 in development, 4
    /// otherwise.
    #[serde(default)]
    pub servers: Option<u32>,
    /// Volumes of each server. Default 1. Outside development a pool needs
    /// at least 4 volumes in all (servers × volumes per server) for erasure
    /// coding to survive the loss of a drive or a server.
    #[serde(default)]
    pub volumes_per_server: Option<u32>,
    /// Each volume.
    pub storage: DataVolume,
}

#[derive(Debug, Clone, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
pub struct RootCredentials {
    /// Name of the Secret, in the tenant's namespace (created by External
    /// Secrets, Sealed Secrets or by hand).
    pub secret: String,
}

/// `minio`: the platform's minio services by name.
pub const MINIO: crate::spec::Section<indexmap::IndexMap<String, MinioSpec>> =
    crate::spec::Section::new(crate::spec::Scope::Platform, "minio");

pub const SECTIONS: &[crate::spec::SectionType] = &[crate::spec::SectionType::data_services(
    MINIO,
    "MinIO object stores by name, run by the MinIO Operator as Tenants. Workloads name one in `uses` and `connections`; PostgreSQL backups in `endpoint.service`.",
)];

impl crate::spec::DataServiceSpec for MinioSpec {
    fn enabled(&self) -> bool {
        self.enabled != Some(false)
    }
}

/// The platform's `minio` section: its services by name.
pub fn declared(spec: &crate::spec::PlatformSpec) -> &indexmap::IndexMap<String, MinioSpec> {
    static NONE: std::sync::LazyLock<indexmap::IndexMap<String, MinioSpec>> =
        std::sync::LazyLock::new(indexmap::IndexMap::new);
    MINIO.get(&spec.sections).unwrap_or(&NONE)
}

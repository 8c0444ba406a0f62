//! `ReplicationSpec`: server-side bucket replication from a tenant to a MinIO
//! deployment outside the platform (an off-site copy of its buckets). The
//! Tenant resource has no field for it: MinIO keeps replication rules per
//! bucket, set through its API (`mc replicate add`), so the platform renders
//! a Job that sets them.

use indexmap::IndexMap;
use schemars::JsonSchema;
use serde::Deserialize;

use crate::capabilities::secrets::spec::{ExistingSecret, ExternalSecretSpec};

#[derive(Debug, Clone, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
pub struct ReplicationSpec {
    /// The remote MinIO deployment's S3 API, `https://host[:port]`. MinIO
    /// replicates between MinIO deployments only (of the same release), not
    /// to AWS S3 or other S3-compatible services.
    pub endpoint: String,
    /// Each bucket of the tenant to replicate (one of `buckets`), to the
    /// remote bucket it is copied to, e.g. `{ data-lake: data-lake-replica }`.
    pub buckets: IndexMap<String, String>,
    /// The remote's access key pair, in a Secret with keys `access-key` and
    /// `secret-key`: exactly one of `external` (an ExternalSecret
    /// `<tenant>-replication-target` in the tenant's namespace) and
    /// `existing`. The user needs the remote's replication permissions
    /// (`s3:ReplicateObject`, `s3:ReplicateDelete`, … on the remote buckets).
    pub credentials: ReplicationCredentials,
    /// Whether deletions are replicated too (delete markers and deletes of
    /// versions), as a mirror does. Default `true`. With `false` the remote
    /// keeps every object deleted here.
    #[serde(default)]
    pub deletes: Option<bool>,
    /// The MinIO Client release the Job runs: the tag of `quay.io/minio/mc`,
    /// e.g. `RELEASE.2025-04-16T18-13-26Z` (the default).
    #[serde(default)]
    pub client_version: Option<String>,
}

/// Where the remote's key pair comes from.
#[derive(Debug, Clone, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
pub struct ReplicationCredentials {
    /// Read by the External Secrets Operator into the Secret
    /// `<tenant>-replication-target`; `data` must have the keys
    /// `access-key` and `secret-key`.
    #[serde(default)]
    pub external: Option<ExternalSecretSpec>,
    /// A Secret that exists in the tenant's namespace; `keys` must list
    /// `access-key` and `secret-key`.
    #[serde(default)]
    pub existing: Option<ExistingSecret>,
}

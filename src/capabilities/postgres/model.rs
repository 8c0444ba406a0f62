//! `PostgresModel`: one CloudNativePG cluster to render, every default
//! applied.

use std::collections::BTreeMap;

use crate::model::TolerationModel;
use crate::source::Span;
use crate::spec::{Quantity, Resources};

#[derive(Debug, Clone)]
pub struct PostgresModel {
    pub name: String,
    pub namespace: String,
    pub description: Option<String>,
    /// The operand image, `ghcr.io/cloudnative-pg/postgresql:<version>`.
    pub image: String,
    pub instances: u32,
    pub storage_size: Quantity,
    pub storage_class: Option<String>,
    pub resources: Resources,
    pub node_selector: BTreeMap<String, String>,
    pub tolerations: Vec<TolerationModel>,
    pub priority_class: Option<String>,
    pub database: String,
    pub owner: String,
    pub parameters: BTreeMap<String, String>,
    pub pooler: Option<PoolerModel>,
    pub backup: Option<BackupModel>,
    pub recovery: Option<RecoveryModel>,
    pub replica_of: Option<ReplicaModel>,
    /// Whether clients must connect over TLS (`tls.clients: required`).
    pub tls_required: bool,
    pub origin: Span,
}

#[derive(Debug, Clone)]
pub struct PoolerModel {
    pub instances: u32,
    /// `session` or `transaction`.
    pub mode: &'static str,
}

#[derive(Debug, Clone)]
pub struct BackupModel {
    /// Six-field cron (seconds first), as CloudNativePG reads it.
    pub schedule: String,
    /// `30d`, `4w`, …
    pub retention: String,
    pub store: ObjectStoreModel,
}

#[derive(Debug, Clone)]
pub struct RecoveryModel {
    pub store: ObjectStoreModel,
    pub target_time: Option<String>,
}

/// A replica cluster: following the primary whose archive `store` is.
#[derive(Debug, Clone)]
pub struct ReplicaModel {
    pub store: ObjectStoreModel,
    /// Promoted: a primary of its own, no longer following.
    pub promoted: bool,
    /// `replicaOf.destination`, for diagnostics across environments.
    pub origin: Span,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ObjectStoreModel {
    pub destination: String,
    /// `None`: AWS S3.
    pub endpoint_url: Option<String>,
    /// The platform's workload or data service serving the endpoint, if any.
    pub service: Option<String>,
    /// The CA that signed the endpoint's certificate, when the service
    /// serves TLS with a certificate of the platform's CA: a Secret of the
    /// cluster's namespace and its key (Barman's `endpointCA`).
    pub endpoint_ca: Option<(String, String)>,
    pub secret: String,
    pub access_key_id: String,
    pub secret_access_key: String,
    pub server_name: String,
}

impl PostgresModel {
    /// The PostgreSQL major version, from the image tag (`16` of `16.6`).
    pub fn major_version(&self) -> &str {
        self.image
            .rsplit(':')
            .next()
            .and_then(|tag| tag.split('.').next())
            .unwrap_or_default()
    }

    /// The libpq `sslmode` clients connect with: `require` when the cluster
    /// refuses plain connections; `prefer` (libpq's default, which tries
    /// TLS first) otherwise.
    pub fn sslmode(&self) -> &'static str {
        if self.tls_required {
            "require"
        } else {
            "prefer"
        }
    }

    /// The Secret CloudNativePG generates with the owner's credentials.
    pub fn app_secret(&self) -> String {
        format!("{}-app", self.name)
    }

    /// The Service of the primary (reads and writes).
    pub fn rw_service(&self) -> String {
        format!("{}-rw", self.name)
    }

    /// The Service of the replicas (reads only).
    pub fn ro_service(&self) -> String {
        format!("{}-ro", self.name)
    }

    /// The PgBouncer pooler in front of the primary (also its Service name).
    pub fn pooler_name(&self) -> String {
        format!("{}-pooler-rw", self.name)
    }
}

/// The platform's postgres services to render (`PlatformModel::parts`), in
/// spec order.
pub const POSTGRES: crate::model::Part<Vec<PostgresModel>> = crate::model::Part::new("postgres");

/// The platform's postgres services to render, in spec order.
pub fn rendered(platform: &crate::model::PlatformModel) -> &[PostgresModel] {
    POSTGRES.get(&platform.parts).map_or(&[], Vec::as_slice)
}

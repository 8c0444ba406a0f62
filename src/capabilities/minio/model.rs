//! `MinioModel`: one MinIO tenant to render, every default applied, and the
//! names and ports the MinIO Operator gives its objects.

use std::collections::BTreeMap;

use crate::model::TolerationModel;
use crate::source::Span;
use crate::spec::{Quantity, Resources};

/// The port MinIO servers listen on for the S3 API, between themselves and
/// for the operator (operator `pkg/apis/minio.min.io/v2/constants.go`,
/// `MinIOPort`).
pub const SERVER_PORT: u16 = 9000;

#[derive(Debug, Clone)]
pub struct MinioModel {
    pub name: String,
    pub namespace: String,
    pub description: Option<String>,
    /// `quay.io/minio/minio:<version>`.
    pub image: String,
    pub pools: Vec<MinioPoolModel>,
    pub resources: Resources,
    pub node_selector: BTreeMap<String, String>,
    pub tolerations: Vec<TolerationModel>,
    pub priority_class: Option<String>,
    pub buckets: Vec<String>,
    /// The Secret holding `config.env` with the root credentials.
    pub root_secret: String,
    /// Secrets of the users the operator creates.
    pub users: Vec<String>,
    /// `requestAutoCert`: TLS on the S3 API.
    pub tls: bool,
    pub origin: Span,
}

#[derive(Debug, Clone)]
pub struct MinioPoolModel {
    pub name: String,
    pub servers: u32,
    pub volumes_per_server: u32,
    pub storage_size: Quantity,
    pub storage_class: Option<String>,
}

impl MinioModel {
    /// The S3 API's ClusterIP Service: the operator names it `minio` in every
    /// tenant (`MinIOCIServiceName`), hence one tenant per namespace.
    pub const SERVICE: &'static str = "minio";

    /// The Service's port: 80, or 443 with TLS (`MinIOPortLoadBalancerSVC`,
    /// `MinIOTLSPortLoadBalancerSVC`); it forwards to the servers' 9000.
    pub fn service_port(&self) -> u16 {
        if self.tls { 443 } else { 80 }
    }

    /// The in-cluster host of the S3 API.
    pub fn host(&self) -> String {
        format!("{}.{}.svc", Self::SERVICE, self.namespace)
    }

    /// The S3 endpoint URL clients are given.
    pub fn endpoint(&self) -> String {
        let scheme = if self.tls { "https" } else { "http" };
        format!("{scheme}://{}:{}", self.host(), self.service_port())
    }

    /// MinIO servers across every pool.
    pub fn servers(&self) -> u32 {
        self.pools.iter().map(|pool| pool.servers).sum()
    }
}

/// The platform's minio services to render (`PlatformModel::parts`), in
/// spec order.
pub const MINIO: crate::model::Part<Vec<MinioModel>> = crate::model::Part::new("minio");

/// The platform's minio services to render, in spec order.
pub fn rendered(platform: &crate::model::PlatformModel) -> &[MinioModel] {
    MINIO.get(&platform.parts).map_or(&[], Vec::as_slice)
}

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
    /// TLS on the S3 API (`requestAutoCert` or `tls`).
    pub tls: bool,
    /// `tls`: the certificate comes from cert-manager, signed by the
    /// platform's internal CA, which clients trust.
    pub cert_manager: bool,
    /// Buckets replicated to a MinIO deployment outside the platform.
    pub replication: Option<ReplicationModel>,
    pub origin: Span,
}

/// Server-side bucket replication, set by a Job through the S3 API.
#[derive(Debug, Clone)]
pub struct ReplicationModel {
    /// The remote deployment's S3 API, `http(s)://host[:port]`, without a
    /// trailing `/`.
    pub endpoint: String,
    /// The remote endpoint's port, opened as egress.
    pub port: u16,
    /// Each replicated bucket and its remote bucket, in spec order.
    pub buckets: Vec<(String, String)>,
    /// The Secret with the remote's `access-key` and `secret-key`.
    pub secret: String,
    /// Where that Secret comes from (an ExternalSecret to render, or one
    /// that exists).
    pub source: crate::capabilities::secrets::model::SecretSource,
    /// Deletions replicated too.
    pub deletes: bool,
    /// `quay.io/minio/mc:<version>`.
    pub client_image: String,
}

impl ReplicationModel {
    /// Key of the remote's access key in the credentials Secret.
    pub const ACCESS_KEY: &'static str = "access-key";
    /// Key of the remote's secret key in the credentials Secret.
    pub const SECRET_KEY: &'static str = "secret-key";
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

    /// The Job setting the replication rules, its pods and their network
    /// policy: `<tenant>-replication`.
    pub fn replication_name(&self) -> String {
        format!("{}-replication", self.name)
    }

    /// The labels of the replication Job's pods, which its network policy
    /// selects.
    pub fn replication_pod_labels(&self) -> BTreeMap<String, String> {
        BTreeMap::from([(
            crate::model::labels::NAME.to_owned(),
            self.replication_name(),
        )])
    }

    /// The Secret an `external` replication credential is read into.
    pub fn replication_target_secret(&self) -> String {
        format!("{}-replication-target", self.name)
    }

    /// Where the MinIO Operator runs: its Helm chart's namespace, and the
    /// operator's own fallback (`GetNSFromFile`). It calls each tenant's S3
    /// API (port 9000) to check health and create buckets and users, and
    /// trusts the CAs in Secrets named `operator-ca-tls*` of its namespace.
    pub const OPERATOR_NAMESPACE: &'static str = "minio-operator";

    /// The Certificate and Secret that hand the internal CA to the MinIO
    /// Operator.
    pub fn operator_ca_secret(platform: &str) -> String {
        format!("operator-ca-tls-{platform}")
    }

    /// The Secret cert-manager keeps the tenant's certificate in (`tls`).
    pub fn certificate_secret(&self) -> String {
        format!("{}-tls", self.name)
    }

    /// The names the tenant's certificate is valid for: the S3 Service,
    /// every server by its headless name (the servers call each other, and
    /// the operator each of them, at those), in the short and the
    /// cluster-domain forms clients use.
    pub fn certificate_dns_names(&self) -> Vec<String> {
        let namespace = &self.namespace;
        let service = Self::SERVICE;
        let tenant = &self.name;
        vec![
            format!("{service}.{namespace}"),
            format!("{service}.{namespace}.svc"),
            format!("{service}.{namespace}.svc.cluster.local"),
            format!("*.{tenant}-hl.{namespace}.svc"),
            format!("*.{tenant}-hl.{namespace}.svc.cluster.local"),
        ]
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

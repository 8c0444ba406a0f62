//! `InternalCa`: the names of the platform's internal certificate authority
//! and how clients mount it.

/// The platform's internal certificate authority, rendered once when a data
/// service serves TLS with a certificate of it (a MinIO tenant with `tls`,
/// every Elasticsearch cluster): a self-signed root (a `selfSigned`
/// ClusterIssuer and a CA Certificate in cert-manager's namespace) behind a
/// `ca` ClusterIssuer that signs the services' certificates. Every namespace
/// of the platform gets a Certificate from the same issuer whose Secret's
/// `ca.crt` is the CA: clients mount that to verify the services.
pub struct InternalCa;

impl InternalCa {
    /// Where cert-manager looks for a ClusterIssuer's CA Secret (its
    /// `--cluster-resource-namespace`, the chart's namespace by default).
    pub const CERT_MANAGER_NAMESPACE: &'static str = "cert-manager";
    /// The key of the CA certificate in a Secret cert-manager writes.
    pub const CA_KEY: &'static str = "ca.crt";
    /// Where clients mount the CA.
    pub const MOUNT_PATH: &'static str = "/etc/ssl/platform-ca";

    /// The self-signed ClusterIssuer that signs the CA itself.
    pub fn root_issuer(platform: &str) -> String {
        format!("{platform}-internal-ca-root")
    }

    /// The CA: its Certificate and Secret in cert-manager's namespace, and
    /// the ClusterIssuer that signs with it.
    pub fn issuer(platform: &str) -> String {
        format!("{platform}-internal-ca")
    }

    /// The Certificate and Secret holding the CA in each namespace.
    pub fn trust_secret(platform: &str) -> String {
        format!("{platform}-ca")
    }

    /// How clients mount the CA.
    pub fn trust(platform: &str) -> crate::model::TrustModel {
        crate::model::TrustModel {
            secret: Self::trust_secret(platform),
            key: Self::CA_KEY.to_owned(),
            mount_path: Self::MOUNT_PATH.to_owned(),
        }
    }
}

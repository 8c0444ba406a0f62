//! cert-manager objects of the internal CA: the CA and its issuers, the
//! serving certificates of the services that use it, and the Certificates
//! that hand the CA to a namespace.
//!
//! cert-manager's CA issuer writes the issuing CA into the `ca.crt` of every
//! Secret it signs, so a Certificate from the same ClusterIssuer in a
//! namespace is how the CA gets there with cert-manager alone: clients mount
//! that `ca.crt` (never the CA's key, which stays in cert-manager's
//! namespace). When the CA is renewed (every 10 years, with a new key) the
//! Secrets follow as their certificates are renewed.
//!
//! Waves: ArgoCD waits for each wave's Certificates to be Ready, so the
//! issuers and the CA come first (wave 0, before the namespaces'
//! Certificates of the configuration wave), not in the exposure wave of the
//! ingress' ACME issuers.

use std::collections::BTreeMap;

use k8s_openapi::apimachinery::pkg::apis::meta::v1::ObjectMeta;
use serde::Serialize;
use serde_json::{Value, json};

use crate::lower::SYNC_WAVE;
use crate::model::{PlatformModel, labels};

use super::super::model::InternalCa;

#[derive(Debug, Serialize)]
pub struct Certificate {
    metadata: ObjectMeta,
    spec: Value,
}

crate::custom_resource!(
    Certificate,
    "cert-manager.io",
    "v1",
    "Certificate",
    Namespaced,
    "certificates"
);

#[derive(Debug, Serialize)]
pub struct ClusterIssuer {
    metadata: ObjectMeta,
    spec: Value,
}

crate::custom_resource!(
    ClusterIssuer,
    "cert-manager.io",
    "v1",
    "ClusterIssuer",
    Cluster,
    "clusterissuers"
);

/// The CA's lifetime, renewed a year before it ends; the tenants' and the
/// trust Certificates keep cert-manager's defaults (90 days, renewed at
/// two thirds).
const CA_DURATION: &str = "87600h";
const CA_RENEW_BEFORE: &str = "8760h";

fn metadata(
    platform: &PlatformModel,
    name: &str,
    namespace: Option<&str>,
    wave: Option<i32>,
) -> ObjectMeta {
    let mut labels = labels::platform_labels(platform);
    labels.insert(labels::COMPONENT.to_owned(), "internal-ca".to_owned());
    ObjectMeta {
        name: Some(name.to_owned()),
        namespace: namespace.map(str::to_owned),
        labels: Some(labels),
        annotations: wave.map(|wave| BTreeMap::from([(SYNC_WAVE.to_owned(), wave.to_string())])),
        ..ObjectMeta::default()
    }
}

/// An ECDSA P-256 key (cheaper handshakes than RSA, as MinIO recommends;
/// Elasticsearch reads it as PEM too), new at each renewal.
fn private_key() -> Value {
    json!({ "algorithm": "ECDSA", "size": 256, "rotationPolicy": "Always" })
}

fn issuer_ref(name: &str) -> Value {
    json!({ "group": "cert-manager.io", "kind": "ClusterIssuer", "name": name })
}

/// The self-signed root issuer, the CA Certificate it signs, and the CA
/// issuer, in the first wave.
pub fn internal_ca(platform: &PlatformModel) -> (ClusterIssuer, Certificate, ClusterIssuer) {
    let root = InternalCa::root_issuer(&platform.name);
    let ca = InternalCa::issuer(&platform.name);
    (
        ClusterIssuer {
            metadata: metadata(platform, &root, None, Some(0)),
            spec: json!({ "selfSigned": {} }),
        },
        Certificate {
            metadata: metadata(
                platform,
                &ca,
                Some(InternalCa::CERT_MANAGER_NAMESPACE),
                Some(0),
            ),
            spec: json!({
                "isCA": true,
                "commonName": format!("{} internal CA", platform.name),
                "secretName": ca,
                "duration": CA_DURATION,
                "renewBefore": CA_RENEW_BEFORE,
                "privateKey": private_key(),
                "issuerRef": issuer_ref(&root),
            }),
        },
        ClusterIssuer {
            metadata: metadata(platform, &ca, None, Some(0)),
            spec: json!({ "ca": { "secretName": ca } }),
        },
    )
}

/// What a service's serving certificate is for: its Secret (and the
/// Certificate's name), where, the names it is valid for, and the labels
/// naming the service.
pub struct ServingCertificate<'a> {
    pub secret: &'a str,
    pub namespace: &'a str,
    pub dns_names: &'a [String],
    /// The service's name and component labels.
    pub name: &'a str,
    pub component: &'a str,
}

/// A service's serving certificate, in its namespace, also valid as a client
/// certificate (servers of a cluster present it to each other).
pub fn serving_certificate(platform: &PlatformModel, cert: &ServingCertificate<'_>) -> Certificate {
    let mut metadata = metadata(platform, cert.secret, Some(cert.namespace), None);
    if let Some(labels) = metadata.labels.as_mut() {
        labels.insert(labels::NAME.to_owned(), cert.name.to_owned());
        labels.insert(labels::COMPONENT.to_owned(), cert.component.to_owned());
    }
    Certificate {
        metadata,
        spec: json!({
            "secretName": cert.secret,
            "commonName": cert.dns_names[0],
            "dnsNames": cert.dns_names,
            "usages": ["server auth", "client auth"],
            "privateKey": private_key(),
            "issuerRef": issuer_ref(&InternalCa::issuer(&platform.name)),
        }),
    }
}

/// A Certificate in `namespace` whose Secret `secret` carries the CA as
/// `ca.crt`; its own key pair is used by nobody.
pub fn trust_certificate(platform: &PlatformModel, namespace: &str, secret: &str) -> Certificate {
    Certificate {
        metadata: metadata(platform, secret, Some(namespace), None),
        spec: json!({
            "secretName": secret,
            "commonName": format!("{secret}.{namespace}"),
            "usages": ["client auth"],
            "privateKey": private_key(),
            "issuerRef": issuer_ref(&InternalCa::issuer(&platform.name)),
        }),
    }
}

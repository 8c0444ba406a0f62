//! cert-manager objects of the tenants with `tls`: the platform's internal
//! CA, each tenant's certificate, and the CA handed to every namespace of
//! the platform and to the MinIO Operator.
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

use super::super::model::{InternalCa, MinioModel};

#[derive(Debug, Serialize)]
pub(super) struct Certificate {
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
pub(super) struct ClusterIssuer {
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

/// An ECDSA P-256 key, as MinIO recommends (cheaper handshakes than RSA),
/// new at each renewal.
fn private_key() -> Value {
    json!({ "algorithm": "ECDSA", "size": 256, "rotationPolicy": "Always" })
}

fn issuer_ref(name: &str) -> Value {
    json!({ "group": "cert-manager.io", "kind": "ClusterIssuer", "name": name })
}

/// The self-signed root issuer, the CA Certificate it signs, and the CA
/// issuer, in the first wave.
pub(super) fn internal_ca(platform: &PlatformModel) -> (ClusterIssuer, Certificate, ClusterIssuer) {
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

/// The tenant's serving certificate, in its namespace: the Secret the
/// Tenant's `externalCertSecret` names.
pub(super) fn tenant_certificate(platform: &PlatformModel, tenant: &MinioModel) -> Certificate {
    let names = tenant.certificate_dns_names();
    let mut metadata = metadata(
        platform,
        &tenant.certificate_secret(),
        Some(&tenant.namespace),
        None,
    );
    if let Some(labels) = metadata.labels.as_mut() {
        labels.insert(labels::NAME.to_owned(), tenant.name.clone());
        labels.insert(labels::COMPONENT.to_owned(), "object-storage".to_owned());
    }
    Certificate {
        metadata,
        spec: json!({
            "secretName": tenant.certificate_secret(),
            "commonName": names[0],
            "dnsNames": names,
            "usages": ["server auth", "client auth"],
            "privateKey": private_key(),
            "issuerRef": issuer_ref(&InternalCa::issuer(&platform.name)),
        }),
    }
}

/// A Certificate in `namespace` whose Secret `secret` carries the CA as
/// `ca.crt`; its own key pair is used by nobody.
pub(super) fn trust_certificate(
    platform: &PlatformModel,
    namespace: &str,
    secret: &str,
) -> Certificate {
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

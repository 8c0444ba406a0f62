//! Namespace with Pod Security Admission labels.

use k8s_openapi::api::core::v1::Namespace;
use k8s_openapi::apimachinery::pkg::apis::meta::v1::ObjectMeta;

use crate::model::labels;
use crate::model::{NamespaceModel, PlatformModel};

pub(super) fn namespace(platform: &PlatformModel, model: &NamespaceModel) -> Namespace {
    let mut labels = model.labels.clone();
    labels.extend(labels::platform_labels(platform));
    labels.insert("kubernetes.io/metadata.name".to_owned(), model.name.clone());
    let level = model.pod_security.as_str();
    // Enforce, audit and warn at the same level, pinned to the target version so
    // a cluster upgrade cannot tighten the standard under running pods.
    for mode in ["enforce", "audit", "warn"] {
        labels.insert(
            format!("pod-security.kubernetes.io/{mode}"),
            level.to_owned(),
        );
        labels.insert(
            format!("pod-security.kubernetes.io/{mode}-version"),
            format!("v{}", platform.kubernetes_version),
        );
    }
    Namespace {
        metadata: ObjectMeta {
            name: Some(model.name.clone()),
            labels: Some(labels),
            annotations: (!model.annotations.is_empty()).then(|| model.annotations.clone()),
            ..ObjectMeta::default()
        },
        ..Namespace::default()
    }
}

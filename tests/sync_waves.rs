//! ArgoCD sync waves (docs/gitops.md): the built-in example's render sorted
//! as ArgoCD sorts a sync (wave, then its kind order with unknown kinds last,
//! then name; gitops-engine `pkg/sync/sync_tasks.go`) applies every Secret
//! source before the pods that read it and every namespaced object after its
//! namespace; objects holding data are kept from pruning outside development.

use serde_json::Value;

use crate::support::cli::repository;
use crate::support::objects;

const SYNC_WAVE: &str = "argocd.argoproj.io/sync-wave";
const SYNC_OPTIONS: &str = "argocd.argoproj.io/sync-options";

/// ArgoCD's `kindOrder`; kinds not in it sort after every one of them.
const ARGOCD_KIND_ORDER: &[&str] = &[
    "Namespace",
    "NetworkPolicy",
    "ResourceQuota",
    "LimitRange",
    "PodSecurityPolicy",
    "PodDisruptionBudget",
    "ServiceAccount",
    "Secret",
    "SecretList",
    "ConfigMap",
    "StorageClass",
    "PersistentVolume",
    "PersistentVolumeClaim",
    "CustomResourceDefinition",
    "ClusterRole",
    "ClusterRoleList",
    "ClusterRoleBinding",
    "ClusterRoleBindingList",
    "Role",
    "RoleList",
    "RoleBinding",
    "RoleBindingList",
    "Service",
    "DaemonSet",
    "Pod",
    "ReplicationController",
    "ReplicaSet",
    "Deployment",
    "HorizontalPodAutoscaler",
    "StatefulSet",
    "Job",
    "CronJob",
    "IngressClass",
    "Ingress",
    "APIService",
];

fn wave(object: &Value) -> i64 {
    object["metadata"]["annotations"][SYNC_WAVE]
        .as_str()
        .and_then(|w| w.parse().ok())
        .unwrap_or(0)
}

fn argocd_order(objects: &mut [Value]) {
    objects.sort_by_key(|o| {
        let kind = o["kind"].as_str().unwrap_or("").to_owned();
        let rank = ARGOCD_KIND_ORDER
            .iter()
            .position(|k| *k == kind)
            .unwrap_or(ARGOCD_KIND_ORDER.len());
        let name = o["metadata"]["name"].as_str().unwrap_or("").to_owned();
        (wave(o), rank, name)
    });
}

fn identity(object: &Value) -> String {
    format!(
        "{} {}/{}",
        object["kind"].as_str().unwrap_or(""),
        object["metadata"]["namespace"].as_str().unwrap_or(""),
        object["metadata"]["name"].as_str().unwrap_or("")
    )
}

/// The Secret names an object's pods read through `secretKeyRef`,
/// `secretRef` or a secret volume.
fn secrets_read(value: &Value, out: &mut Vec<String>) {
    match value {
        Value::Object(map) => {
            for (key, child) in map {
                match key.as_str() {
                    "secretKeyRef" | "secretRef" => {
                        if let Some(name) = child["name"].as_str() {
                            out.push(name.to_owned());
                        }
                    }
                    "secret" => {
                        if let Some(name) = child["secretName"].as_str() {
                            out.push(name.to_owned());
                        }
                    }
                    _ => {}
                }
                secrets_read(child, out);
            }
        }
        Value::Array(items) => items.iter().for_each(|i| secrets_read(i, out)),
        _ => {}
    }
}

/// The name of the Secret a Secret source makes.
fn secret_made(object: &Value) -> Option<String> {
    match object["kind"].as_str()? {
        "ExternalSecret" => object["spec"]["target"]["name"]
            .as_str()
            .or(object["metadata"]["name"].as_str())
            .map(str::to_owned),
        "SealedSecret" | "Secret" => object["metadata"]["name"].as_str().map(str::to_owned),
        _ => None,
    }
}

const POD_KINDS: &[&str] = &["Deployment", "StatefulSet", "Job", "CronJob", "Rollout"];

#[test]
fn argocd_applies_secret_sources_before_the_pods_that_read_them() {
    for environment in ["dev", "staging", "prod"] {
        secret_sources_come_first(&repository(), environment);
    }
    for (_, dir, environments) in crate::support::examples::seed_examples() {
        for environment in environments {
            secret_sources_come_first(&dir, environment);
        }
    }
}

/// In ArgoCD's order of the render of `environment`, every Secret source
/// comes before the pods that read its Secret, and every namespaced object
/// after its namespace.
#[track_caller]
fn secret_sources_come_first(dir: &std::path::Path, environment: &str) {
    let mut objects = objects::render(dir, environment);
    argocd_order(&mut objects);
    let position = |pred: &dyn Fn(&Value) -> bool| objects.iter().position(pred);
    let mut sources = 0;
    for (index, object) in objects.iter().enumerate() {
        let kind = object["kind"].as_str().unwrap_or("");
        if !POD_KINDS.contains(&kind) {
            continue;
        }
        let namespace = &object["metadata"]["namespace"];
        let mut read = Vec::new();
        secrets_read(&object["spec"], &mut read);
        for secret in read {
            let source = position(&|o: &Value| {
                o["metadata"]["namespace"] == *namespace
                    && secret_made(o).as_deref() == Some(secret.as_str())
                    && o["kind"] != "Secret"
            });
            if let Some(source) = source {
                sources += 1;
                assert!(
                    source < index,
                    "{environment}: {} is applied after {} which reads its Secret",
                    identity(&objects[source]),
                    identity(object)
                );
            }
        }
    }
    assert!(
        sources > 0,
        "{environment}: the platform reads Secret sources"
    );
    // Every namespaced object comes after its namespace.
    for (index, object) in objects.iter().enumerate() {
        if let Some(namespace) = object["metadata"]["namespace"].as_str()
            && let Some(ns) = position(&|o: &Value| {
                o["kind"] == "Namespace" && o["metadata"]["name"] == namespace
            })
        {
            assert!(
                ns < index,
                "{environment}: {} before its namespace",
                identity(object)
            );
        }
    }
}

#[test]
fn every_object_has_a_wave_from_the_fixed_set() {
    let mut renders = vec![objects::render(&repository(), "prod")];
    for (_, dir, environments) in crate::support::examples::seed_examples() {
        for environment in environments {
            renders.push(objects::render(&dir, environment));
        }
    }
    for object in renders.into_iter().flatten() {
        let wave = object["metadata"]["annotations"][SYNC_WAVE].as_str();
        assert!(
            matches!(wave, Some("0" | "1" | "2" | "3" | "4" | "5")),
            "{}: {wave:?}",
            identity(&object)
        );
    }
}

#[test]
fn objects_holding_data_are_kept_from_pruning_outside_development() {
    let kept = |environment: &str| -> Vec<String> {
        objects::render(&repository(), environment)
            .iter()
            .filter(|o| o["metadata"]["annotations"][SYNC_OPTIONS] == "Prune=false,Delete=false")
            .map(identity)
            .collect()
    };
    assert!(kept("dev").is_empty(), "{:?}", kept("dev"));
    let prod = kept("prod");
    assert!(prod.iter().any(|o| o.starts_with("Namespace ")), "{prod:?}");
    assert!(prod.iter().any(|o| o.starts_with("Cluster ")), "{prod:?}");
    assert!(
        !prod.iter().any(|o| o.starts_with("Deployment ")),
        "{prod:?}"
    );
}

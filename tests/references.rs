//! Every Secret and ConfigMap a pod reads exists: in the render (a Secret, a
//! ConfigMap, the target of an ExternalSecret or a SealedSecret), created by
//! an operator object of the render in the same namespace (the kind
//! registry's `creates`), or declared in the spec as existing in the cluster.
//! A pod whose `secretKeyRef` names nothing never starts
//! (`CreateContainerConfigError`), and a Secret of another namespace cannot
//! be read at all.

use std::collections::BTreeSet;

use platformgen::object::kinds::lookup;
use serde_json::Value;

use crate::support::cli::{repository, run};
use crate::support::{platforms, python};

/// `(namespace, name)` of a Secret or ConfigMap.
type Key = (String, String);

/// The Secrets and ConfigMaps an environment's render provides.
fn provided(objects: &[Value]) -> (BTreeSet<Key>, BTreeSet<Key>) {
    let mut secrets = BTreeSet::new();
    let mut config_maps = BTreeSet::new();
    for object in objects {
        let namespace = object["metadata"]["namespace"].as_str().unwrap_or_default();
        let name = object["metadata"]["name"].as_str().unwrap_or_default();
        let key = |name: &str| (namespace.to_owned(), name.to_owned());
        match object["kind"].as_str().unwrap_or_default() {
            "Secret" | "SealedSecret" => {
                secrets.insert(key(name));
            }
            "ExternalSecret" => {
                let target = object["spec"]["target"]["name"].as_str().unwrap_or(name);
                secrets.insert(key(target));
            }
            // cert-manager keeps the certificate (and its CA) there.
            "Certificate" => {
                if let Some(secret) = object["spec"]["secretName"].as_str() {
                    secrets.insert(key(secret));
                }
            }
            "ConfigMap" => {
                config_maps.insert(key(name));
            }
            kind => {
                let group = object["apiVersion"]
                    .as_str()
                    .and_then(|v| v.rsplit_once('/'))
                    .map_or("", |(group, _)| group);
                for created in lookup(group, kind).map_or(&[][..], |k| k.creates) {
                    let created_name = created.name.replace("{name}", name);
                    match created.kind {
                        "Secret" => secrets.insert(key(&created_name)),
                        "ConfigMap" => config_maps.insert(key(&created_name)),
                        _ => false,
                    };
                }
            }
        }
    }
    (secrets, config_maps)
}

/// The Secrets and ConfigMaps the pods of the render read.
fn read(objects: &[Value]) -> (BTreeSet<Key>, BTreeSet<Key>) {
    let mut secrets = BTreeSet::new();
    let mut config_maps = BTreeSet::new();
    for object in objects {
        let namespace = object["metadata"]["namespace"].as_str().unwrap_or_default();
        let pod = &object["spec"]["template"]["spec"];
        if !matches!(
            object["kind"].as_str(),
            Some("Deployment" | "StatefulSet" | "Job" | "CronJob")
        ) {
            continue;
        }
        let containers = ["containers", "initContainers"]
            .iter()
            .flat_map(|field| pod[field].as_array().cloned().unwrap_or_default());
        for container in containers {
            for variable in container["env"].as_array().into_iter().flatten() {
                let from = &variable["valueFrom"];
                if let Some(name) = from["secretKeyRef"]["name"].as_str() {
                    secrets.insert((namespace.to_owned(), name.to_owned()));
                }
                if let Some(name) = from["configMapKeyRef"]["name"].as_str() {
                    config_maps.insert((namespace.to_owned(), name.to_owned()));
                }
            }
        }
        for volume in pod["volumes"].as_array().into_iter().flatten() {
            if let Some(name) = volume["secret"]["secretName"].as_str() {
                secrets.insert((namespace.to_owned(), name.to_owned()));
            }
            if let Some(name) = volume["configMap"]["name"].as_str() {
                config_maps.insert((namespace.to_owned(), name.to_owned()));
            }
        }
    }
    (secrets, config_maps)
}

#[track_caller]
fn check(dir: &std::path::Path, environment: &str, existing: &[(String, String)]) {
    let stream = run(dir, &["render", environment]).success().stdout;
    let objects = python::documents(&stream);
    let (mut secrets, config_maps) = provided(&objects);
    secrets.extend(existing.iter().cloned());
    let (read_secrets, read_config_maps) = read(&objects);
    let missing_secrets: Vec<_> = read_secrets.difference(&secrets).collect();
    let missing_config_maps: Vec<_> = read_config_maps.difference(&config_maps).collect();
    assert!(
        missing_secrets.is_empty() && missing_config_maps.is_empty(),
        "{} {environment}: pods read Secrets {missing_secrets:?} and ConfigMaps \
         {missing_config_maps:?} that nothing provides in their namespace",
        dir.display()
    );
    assert!(!read_secrets.is_empty(), "the render reads some Secret");
}

/// Secrets an example's spec declares as existing in the cluster (created
/// there by the External Secrets Operator from Vault, outside the platform):
/// the Redis passwords and MinIO's root credentials, by namespace as
/// `environment` names it.
fn existing_secrets(example: &str, environment: &str) -> Vec<(String, String)> {
    let existing: &[(&str, &str)] = match example {
        "." => &[
            ("health-platform-auth", "redis-auth"),
            ("health-platform-data", "redis-auth"),
            // The MinIO root user's `config.env`, which production's bucket
            // replication Job reads.
            ("health-platform-data", "minio-root"),
        ],
        // `cluster.namespaceTemplate: "{name}-${environment}"`.
        "examples/sorcha" => &[("sorcha-{environment}", "redis-auth")],
        _ => &[],
    };
    existing
        .iter()
        .map(|(namespace, name)| {
            (
                namespace.replace("{environment}", environment),
                (*name).to_owned(),
            )
        })
        .collect()
}

#[test]
fn every_secret_and_config_map_every_example_reads_exists() {
    for dir in platforms::examples() {
        for environment in platforms::environments(&dir) {
            let existing = existing_secrets(&platforms::display(&dir), &environment);
            check(&dir, &environment, &existing);
        }
    }
}

#[test]
fn every_secret_the_data_service_fixtures_read_exists() {
    for environment in ["dev", "prod", "restore"] {
        check(
            &repository().join("tests/fixtures/data-services"),
            environment,
            &[],
        );
    }
}

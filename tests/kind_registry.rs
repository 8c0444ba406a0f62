//! The kind registry (`platformgen::object::kinds::KINDS`) held against what
//! platformgen renders and against the vendored CRD schemas: every kind of
//! every rendered object is registered, and every registered custom kind has
//! its schema in `crd-schemas/`, so a custom kind cannot be emitted without
//! being validated (`tests/validation.rs` validates every render with those
//! schemas).

use std::collections::BTreeSet;

use platformgen::object::kinds::{KINDS, Origin, lookup};

use crate::support::cli::{repository, run};
use crate::support::python;

/// Every platform the test suite renders in full: the examples and the
/// fixture platforms.
fn platforms() -> Vec<std::path::PathBuf> {
    let mut platforms = crate::support::platforms::examples();
    platforms.extend([
        repository().join("tests/fixtures/ingress"),
        repository().join("tests/fixtures/exposures"),
        repository().join("tests/fixtures/data-services"),
        repository().join("tests/fixtures/data-services-minio"),
        repository().join("tests/fixtures/data-services-mongodb"),
        repository().join("tests/fixtures/data-services-rabbitmq"),
        repository().join("tests/fixtures/data-services-redis"),
    ]);
    platforms
}

#[test]
fn every_rendered_kind_is_registered_with_its_api_version() {
    let mut seen = BTreeSet::new();
    for dir in platforms() {
        let environments = std::fs::read_dir(dir.join("environments"))
            .expect("environments/")
            .map(|entry| entry.expect("an entry").path())
            .filter_map(|path| Some(path.file_stem()?.to_string_lossy().into_owned()))
            .collect::<BTreeSet<_>>();
        for environment in &environments {
            let stream = run(&dir, &["render", environment]).success().stdout;
            for object in python::documents(&stream) {
                let api_version = object["apiVersion"].as_str().expect("apiVersion");
                let kind = object["kind"].as_str().expect("kind");
                let (group, version) = api_version.rsplit_once('/').unwrap_or(("", api_version));
                let registered = lookup(group, kind).unwrap_or_else(|| {
                    panic!("{api_version} {kind} is rendered but not in the kind registry")
                });
                assert_eq!(
                    registered.version, version,
                    "{kind}: rendered as {api_version}, registered as version {}",
                    registered.version
                );
                seen.insert(format!("{group}/{kind}"));
            }
        }
    }
    // The renders cover every custom kind lowering can emit today.
    for expected in [
        "cert-manager.io/ClusterIssuer",
        "external-secrets.io/ExternalSecret",
        "gateway.networking.k8s.io/Gateway",
        "gateway.networking.k8s.io/HTTPRoute",
        "traefik.io/Middleware",
        "bitnami.com/SealedSecret",
        "postgresql.cnpg.io/Cluster",
        "postgresql.cnpg.io/Pooler",
        "postgresql.cnpg.io/ScheduledBackup",
    ] {
        assert!(
            seen.contains(expected),
            "no render holds a {expected}: {seen:?}"
        );
    }
}

#[test]
fn every_custom_kind_has_its_schema_vendored() {
    let root = repository().join("crd-schemas");
    let mut missing = Vec::new();
    for kind in KINDS.iter().filter(|k| k.origin == Origin::Custom) {
        let path = root.join(kind.schema_path().expect("custom kinds have a schema path"));
        match std::fs::read_to_string(&path) {
            Ok(text) => {
                let schema: serde_json::Value =
                    serde_json::from_str(&text).expect("the schema is JSON");
                assert!(
                    schema["properties"]["spec"].is_object(),
                    "{}: not a CRD schema with a `spec`",
                    path.display()
                );
            }
            Err(_) => missing.push(format!("{} ({})", kind.kind, path.display())),
        }
    }
    assert!(
        missing.is_empty(),
        "custom kinds registered without a schema in crd-schemas/: {missing:?}"
    );
}

#[test]
fn vendored_schemas_are_all_for_registered_kinds() {
    // A schema nobody uses is dead weight.
    let root = repository().join("crd-schemas");
    let mut unused = Vec::new();
    for group in std::fs::read_dir(&root).expect("crd-schemas/") {
        let group = group.expect("an entry").path();
        if !group.is_dir() {
            continue;
        }
        for file in std::fs::read_dir(&group).expect("a group directory") {
            let file = file.expect("an entry").path();
            let relative = file
                .strip_prefix(&root)
                .expect("under crd-schemas/")
                .to_string_lossy()
                .replace('\\', "/");
            let registered = KINDS
                .iter()
                .any(|k| k.schema_path().as_deref() == Some(relative.as_str()));
            if !registered {
                unused.push(relative);
            }
        }
    }
    assert!(
        unused.is_empty(),
        "schemas of no registered kind: {unused:?}"
    );
}

#[test]
fn every_storage_class_path_of_a_custom_kind_is_a_string_field_of_its_schema() {
    // A path that names no field would let a class nobody provides through
    // unchecked; the vendored schema says which fields exist.
    let root = repository().join("crd-schemas");
    let mut checked = 0;
    for kind in KINDS.iter().filter(|k| k.origin == Origin::Custom) {
        let path = root.join(kind.schema_path().expect("custom kinds have a schema path"));
        let schema: serde_json::Value =
            serde_json::from_str(&std::fs::read_to_string(&path).expect("vendored"))
                .expect("the schema is JSON");
        for fields in kind.storage_classes {
            // Below a field the schema leaves open (MongoDB's `statefulSet.
            // spec`, a StatefulSet spec the operator merges into its own),
            // the path is the built-in kind's.
            let mut field = &schema;
            for key in *fields {
                if field["x-kubernetes-preserve-unknown-fields"] == true {
                    break;
                }
                field = match *key {
                    "*" => &field["items"],
                    key => &field["properties"][key],
                };
            }
            let open = field["x-kubernetes-preserve-unknown-fields"] == true;
            assert!(
                open || field["type"] == "string",
                "{}: `{}` is no string field of {}",
                kind.kind,
                fields.join("."),
                path.display()
            );
            checked += 1;
        }
    }
    // CloudNativePG's two, the redis-operator's three kinds with storage
    // (a RedisCluster's nodes.conf volume besides its data), RabbitMQ's,
    // MongoDB's and MinIO's.
    assert_eq!(checked, 9);
}

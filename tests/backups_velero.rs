//! Velero backups (`backups.velero`, `tests/fixtures/operations`): a
//! `Schedule` per schedule in Velero's namespace, retention by tier,
//! volumes by snapshot or file-system copy, PostgreSQL's pods and volumes
//! left to CloudNativePG, and the mistakes caught at their spec line.

use serde_json::{Value, json};

use crate::support::cli::{Platform, repository};
use crate::support::objects::{self, has, object};
use crate::support::{external, rejection, snapshot_settings};

fn fixture() -> std::path::PathBuf {
    repository().join("tests/fixtures/operations")
}

fn render(environment: &str) -> Vec<Value> {
    objects::render(&fixture(), environment)
}

#[test]
fn a_schedule_backs_up_the_data_namespace_without_postgres_volumes() {
    let objects = render("prod");
    let schedule = object(&objects, "Schedule", "shop-data");
    assert_eq!(schedule["apiVersion"], "velero.io/v1");
    assert_eq!(schedule["metadata"]["namespace"], "velero");
    assert_eq!(
        schedule["metadata"]["labels"]["app.kubernetes.io/part-of"],
        "shop"
    );
    assert_eq!(schedule["spec"]["schedule"], "0 2 * * *");
    assert_eq!(
        schedule["spec"]["template"],
        json!({
            "includedNamespaces": ["data"],
            "ttl": "720h0m0s",
            "snapshotVolumes": true,
            "defaultVolumesToFsBackup": false,
            // CloudNativePG labels its pods and volumes with the cluster.
            "labelSelector": {
                "matchExpressions": [{ "key": "cnpg.io/cluster", "operator": "DoesNotExist" }],
            },
            "storageLocation": "offsite",
        })
    );
}

#[test]
fn retention_defaults_by_tier_and_a_schedule_may_set_its_own() {
    for (environment, ttl) in [
        ("dev", "72h0m0s"),
        ("staging", "168h0m0s"),
        ("prod", "720h0m0s"),
    ] {
        let objects = render(environment);
        assert_eq!(
            object(&objects, "Schedule", "shop-data")["spec"]["template"]["ttl"],
            ttl,
            "{environment}"
        );
        assert_eq!(
            object(&objects, "Schedule", "shop-web-files")["spec"]["template"]["ttl"],
            "336h0m0s",
            "{environment}"
        );
    }
}

#[test]
fn file_system_backups_of_selected_pods() {
    let objects = render("prod");
    let template = &object(&objects, "Schedule", "shop-web-files")["spec"]["template"];
    assert_eq!(template["includedNamespaces"], json!(["shop"]));
    assert_eq!(template["snapshotVolumes"], false);
    assert_eq!(template["defaultVolumesToFsBackup"], true);
    assert_eq!(template["storageLocation"], "local");
    // No PostgreSQL cluster in `shop`: nothing to leave out.
    assert_eq!(
        template["labelSelector"],
        json!({ "matchLabels": { "app.kubernetes.io/component": "frontend" } })
    );
    // The selector matches the pods the render runs.
    let pod_labels =
        &object(&objects, "Deployment", "web")["spec"]["template"]["metadata"]["labels"];
    assert_eq!(pod_labels["app.kubernetes.io/component"], "frontend");
}

#[test]
fn postgres_volumes_are_included_on_request() {
    let platform = Platform::with(
        BASE,
        &[(
            "prod",
            "backups:\n  velero:\n    schedules:\n      data: { includePostgresVolumes: true }\n",
        )],
    );
    let stream = platform.run(&["render", "prod"]).success().stdout;
    let objects = crate::support::python::documents(&stream);
    let template = &object(&objects, "Schedule", "shop-data")["spec"]["template"];
    assert_eq!(template.get("labelSelector"), None, "{template}");
}

#[test]
fn disabled_velero_renders_no_schedule() {
    let platform = Platform::with(
        BASE,
        &[("prod", "backups:\n  velero: { enabled: false }\n")],
    );
    let stream = platform.run(&["render", "prod"]).success().stdout;
    let objects = crate::support::python::documents(&stream);
    assert!(!has(&objects, "Schedule", "shop-data"));
    assert!(!stream.contains("velero.io"), "{stream}");
}

#[test]
fn the_example_backs_up_its_data_layer_nightly_for_30_days() {
    let objects = objects::render(&repository(), "prod");
    let schedule = object(&objects, "Schedule", "health-platform-data");
    assert_eq!(schedule["metadata"]["namespace"], "velero");
    assert_eq!(schedule["spec"]["schedule"], "0 2 * * *");
    assert_eq!(schedule["spec"]["template"]["ttl"], "720h0m0s");
    assert_eq!(
        schedule["spec"]["template"]["includedNamespaces"],
        json!(["health-platform-data"])
    );
    let dev = objects::render(&repository(), "dev");
    assert!(!dev.iter().any(|o| o["kind"] == "Schedule"));
}

#[test]
fn every_environment_is_strictly_valid() {
    external::assert_valid_and_clean(&fixture());
}

const BASE: &str = "\
platform: { name: shop, kubernetesVersion: \"1.33\" }
namespaces: { shop: {}, data: {} }
workloads:
  web:
    namespace: shop
    image: ghcr.io/acme/web:1.2.3
    replicas: 2
    ports: { http: { port: 8080 } }
    resources:
      requests: { cpu: 100m, memory: 128Mi }
      limits: { cpu: 500m, memory: 256Mi }
postgres:
  db:
    namespace: data
    storage: { size: 10Gi }
    resources:
      requests: { cpu: 500m, memory: 512Mi }
      limits: { cpu: \"1\", memory: 1Gi }
    database: shop
    owner: shop
backups:
  velero:
    schedules:
      data:
        schedule: \"0 2 * * *\"
        namespaces: [data]
";

#[test]
fn mistakes_are_reported_where_they_were_made() {
    let cases = [
        (
            "velero_bad_cron",
            "backups:\n  velero:\n    schedules:\n      data: { schedule: \"0 25 * * *\" }\n",
        ),
        (
            "velero_bad_retention",
            "backups:\n  velero:\n    schedules:\n      data: { retention: 30 days }\n",
        ),
        (
            "velero_unknown_namespace",
            "backups:\n  velero:\n    schedules:\n      data: { namespaces: [data, dta] }\n",
        ),
        (
            // The seed's selector: no pod of the platform carries `app`.
            "velero_selector_matches_nothing",
            "backups:\n  velero:\n    schedules:\n      data: { matchLabels: { app: postgresql } }\n",
        ),
        (
            "velero_in_a_platform_namespace",
            "backups:\n  velero: { namespace: data }\n",
        ),
        (
            "velero_schedule_name_too_long",
            "backups:\n  velero:\n    schedules:\n      a-schedule-name-that-is-far-too-long-to-be-a-label-value-once-prefixed:\n        schedule: \"0 2 * * *\"\n        namespaces: [data]\n",
        ),
    ];
    for (name, overlay) in cases {
        let report = rejection::rejected(&Platform::with(BASE, &[("prod", overlay)]), "prod");
        snapshot_settings().bind(|| insta::assert_snapshot!(name, report));
    }
}

//! A PostgreSQL replica cluster in a second region (`postgres.<name>.replicaOf`):
//! a CloudNativePG `Cluster` bootstrapped from the primary's archive and kept
//! in continuous recovery from it, promoted by one key; its instances reach
//! the store; `check --all` refuses a primary of another major version and
//! warns when no environment archives where the replica reads.

use serde_json::json;

use crate::support::cli::Platform;
use crate::support::objects::{object, render};
use crate::support::{external, rejection, snapshot_settings};

const BASE: &str = "\
platform: { name: shop, kubernetesVersion: \"1.33\" }
namespaces: { data: {} }
postgres:
  db:
    namespace: data
    version: \"16.6\"
    storage: { size: 10Gi }
    resources:
      requests: { cpu: 500m, memory: 512Mi }
      limits: { cpu: \"1\", memory: 1Gi }
    backup:
      schedule: \"0 2 * * *\"
      destination: s3://shop-backups/${environment}/db
      credentials: { secret: backup-s3 }
";

const REPLICA: &str = "\
tier: production
postgres:
  db:
    replicaOf:
      destination: s3://shop-backups/prod/db
      credentials: { secret: backup-s3 }
    backup:
      destination: s3://shop-backups-eu/db
";

fn platform(replica: &str) -> Platform {
    Platform::with(BASE, &[("prod", ""), ("prod-eu", replica)])
}

#[test]
fn the_replica_follows_the_primarys_archive_until_promoted() {
    let platform = platform(REPLICA);
    let objects = render(platform.path(), "prod-eu");
    let cluster = &object(&objects, "Cluster", "db")["spec"];
    assert_eq!(
        cluster["bootstrap"],
        json!({ "recovery": { "source": "origin", "database": "app", "owner": "app" } })
    );
    assert_eq!(
        cluster["replica"],
        json!({ "enabled": true, "source": "origin" })
    );
    let origin = &cluster["externalClusters"][0];
    assert_eq!(origin["name"], "origin");
    assert_eq!(
        origin["barmanObjectStore"]["destinationPath"],
        "s3://shop-backups/prod/db"
    );
    // The primary's server name: its cluster's name, the same as this one's.
    assert_eq!(origin["barmanObjectStore"]["serverName"], "db");
    assert_eq!(
        cluster["backup"]["barmanObjectStore"]["destinationPath"],
        "s3://shop-backups-eu/db"
    );
    // The instances reach S3 for the archive they replay.
    let policy = &object(&objects, "NetworkPolicy", "db")["spec"];
    assert!(
        policy["egress"]
            .as_array()
            .expect("egress")
            .iter()
            .any(|rule| rule["ports"] == json!([{ "port": 443, "protocol": "TCP" }])),
        "{policy:#}"
    );
    let promoted = self::platform(&REPLICA.replace(
        "      credentials: { secret: backup-s3 }\n    backup:",
        "      credentials: { secret: backup-s3 }\n      promote: true\n    backup:",
    ));
    let objects = render(promoted.path(), "prod-eu");
    let cluster = &object(&objects, "Cluster", "db")["spec"];
    assert_eq!(
        cluster["replica"],
        json!({ "enabled": false, "source": "origin" })
    );
    // The bootstrap, read only when the cluster is created, is unchanged.
    assert_eq!(cluster["bootstrap"]["recovery"]["source"], "origin");
    let out = tempfile::tempdir().expect("tempdir");
    platform
        .run(&[
            "render",
            "--all",
            "--out",
            out.path().to_str().expect("a UTF-8 path"),
        ])
        .success();
    external::validate_manifests(&[out.path()]);
}

#[test]
fn check_all_compares_the_replica_with_its_primary() {
    let platform = platform(REPLICA);
    let run = platform.run(&["check", "--all"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert!(!run.stderr.contains("PG3107"), "{}", run.stderr);

    let other_major = self::platform(&REPLICA.replace(
        "  db:\n    replicaOf:",
        "  db:\n    version: \"17.2\"\n    replicaOf:",
    ));
    let run = other_major.run(&["check", "--all"]);
    assert_ne!(run.code, 0);
    snapshot_settings().bind(|| {
        insta::assert_snapshot!("replica_of_another_major", run.report(other_major.path()))
    });

    let nowhere = self::platform(&REPLICA.replace(
        "s3://shop-backups/prod/db",
        "s3://shop-backups/production/db",
    ));
    let run = nowhere.run(&["check", "--all"]);
    assert!(
        run.stderr
            .contains("warning[PG3107]: no environment checked archives"),
        "{}",
        run.stderr
    );
}

#[test]
fn replica_mistakes_are_reported_where_they_were_made() {
    let cases = [
        (
            "replica_into_its_primarys_archive",
            REPLICA.replace("s3://shop-backups-eu/db", "s3://shop-backups/prod/db"),
        ),
        (
            "replica_and_recovery",
            format!(
                "{REPLICA}    recovery:\n      destination: s3://shop-backups/old/db\n      credentials: {{ secret: backup-s3 }}\n"
            ),
        ),
        (
            "replica_without_credentials",
            REPLICA.replace(
                "      credentials: { secret: backup-s3 }\n    backup:",
                "    backup:",
            ),
        ),
    ];
    for (name, overlay) in cases {
        let report = rejection::rejected(&platform(&overlay), "prod-eu");
        snapshot_settings().bind(|| insta::assert_snapshot!(name, report));
    }
}

//! Data services through their operators (`tests/fixtures/data-services`):
//! PostgreSQL as a CloudNativePG Cluster with a pooler, backups and
//! point-in-time recovery; workloads wired by `connections` with credentials
//! from the operator's Secret; network policies for the operator's pods; and
//! the mistakes `check` catches.

use serde_json::{Value, json};

use crate::support::cli::{Platform, repository, run};
use crate::support::objects::{self, env, has, object};
use crate::support::{external, python, rejection, snapshot_settings};

fn fixture() -> std::path::PathBuf {
    repository().join("tests/fixtures/data-services")
}

/// The objects of `environment`'s render, by `Kind/name`.
fn render(environment: &str) -> Vec<Value> {
    objects::render(&fixture(), environment)
}

#[test]
fn production_runs_a_replicated_cluster_behind_pgbouncer_with_backups() {
    let objects = render("prod");
    let cluster = &object(&objects, "Cluster", "shop-db")["spec"];
    assert_eq!(cluster["instances"], 3);
    assert_eq!(
        cluster["imageName"],
        "ghcr.io/cloudnative-pg/postgresql:16.6"
    );
    assert_eq!(
        cluster["bootstrap"],
        json!({ "initdb": { "database": "shop", "owner": "shop" } })
    );
    assert_eq!(cluster["affinity"]["podAntiAffinityType"], "required");
    assert_eq!(
        cluster["affinity"]["nodeSelector"],
        json!({ "pool": "critical" })
    );
    assert_eq!(cluster["affinity"]["tolerations"][0]["key"], "dedicated");
    assert_eq!(
        cluster["postgresql"]["parameters"]["max_connections"],
        "200"
    );
    let store = &cluster["backup"]["barmanObjectStore"];
    assert_eq!(store["destinationPath"], "s3://backups/shop-db");
    assert_eq!(store["endpointURL"], "http://objects.data.svc:9000");
    assert_eq!(
        store["s3Credentials"]["accessKeyId"]["name"],
        "shop-db-backup"
    );
    assert_eq!(cluster["backup"]["retentionPolicy"], "14d");

    let pooler = &object(&objects, "Pooler", "shop-db-pooler-rw")["spec"];
    assert_eq!(pooler["cluster"]["name"], "shop-db");
    assert_eq!(pooler["pgbouncer"]["poolMode"], "transaction");
    let backup = &object(&objects, "ScheduledBackup", "shop-db")["spec"];
    assert_eq!(backup["schedule"], "0 30 1 * * *");
    assert_eq!(backup["method"], "barmanObjectStore");
}

#[test]
fn connections_carry_host_port_and_the_operators_credentials() {
    let objects = render("prod");
    let web = env(&objects, "web");
    let names: Vec<&str> = web
        .iter()
        .map(|v| v["name"].as_str().unwrap_or(""))
        .collect();
    assert_eq!(
        names,
        [
            "PGHOST",
            "PGPORT",
            "PGDATABASE",
            "PGUSER",
            "PGPASSWORD",
            "DATABASE_URL"
        ],
        "credentials come before the URI that refers to them"
    );
    assert_eq!(web[0]["value"], "shop-db-pooler-rw.data.svc");
    assert_eq!(
        web[4]["valueFrom"]["secretKeyRef"],
        json!({ "name": "shop-db-app", "key": "password", "optional": false })
    );
    assert_eq!(
        web[5]["value"],
        "postgresql://$(PGUSER):$(PGPASSWORD)@shop-db-pooler-rw.data.svc:5432/shop"
    );
    let reports = env(&objects, "reports");
    assert_eq!(reports[0]["value"], "shop-db-ro.data.svc");
    // No password anywhere in the render.
    let stream = run(&fixture(), &["render", "prod"]).success().stdout;
    assert!(!stream.to_lowercase().contains("password: "), "{stream}");
}

#[test]
fn development_stays_small() {
    let objects = render("dev");
    let cluster = &object(&objects, "Cluster", "shop-db")["spec"];
    assert_eq!(cluster["instances"], 1);
    assert_eq!(cluster["affinity"]["podAntiAffinityType"], "preferred");
    assert!(cluster.get("backup").is_none());
    assert!(!has(&objects, "Pooler", "shop-db-pooler-rw"));
    assert!(!has(&objects, "ScheduledBackup", "shop-db"));
    assert_eq!(env(&objects, "web")[0]["value"], "shop-db-rw.data.svc");
}

#[test]
fn recovery_replays_the_old_archive_into_a_new_one() {
    let objects = render("restore");
    let cluster = &object(&objects, "Cluster", "shop-db")["spec"];
    assert_eq!(
        cluster["bootstrap"]["recovery"],
        json!({
            "source": "origin",
            "database": "shop",
            "owner": "shop",
            "recoveryTarget": { "targetTime": "2026-12-01T09:30:00Z" },
        })
    );
    let origin = &cluster["externalClusters"][0];
    assert_eq!(origin["name"], "origin");
    assert_eq!(origin["barmanObjectStore"]["serverName"], "shop-db");
    assert_eq!(
        cluster["backup"]["barmanObjectStore"]["serverName"],
        "shop-db-2"
    );
}

#[test]
fn operator_pods_get_exactly_the_flows_they_need() {
    let objects = render("prod");
    let cluster = &object(&objects, "NetworkPolicy", "shop-db")["spec"];
    assert_eq!(
        cluster["podSelector"],
        json!({ "matchLabels": { "cnpg.io/cluster": "shop-db" } })
    );
    let from_namespaces: Vec<&str> = cluster["ingress"]
        .as_array()
        .expect("ingress")
        .iter()
        .map(|rule| {
            rule["from"][0]["namespaceSelector"]["matchLabels"]["kubernetes.io/metadata.name"]
                .as_str()
                .unwrap_or("")
        })
        .collect();
    assert!(from_namespaces.contains(&"cnpg-system"), "{cluster}");
    assert!(from_namespaces.contains(&"monitoring"), "{cluster}");
    // Clients reach the pooler, not the instances directly.
    let text = cluster.to_string();
    assert!(!text.contains("\"web\""), "{text}");
    assert!(text.contains("shop-db-pooler-rw"), "{text}");
    assert!(
        text.contains("\"reports\""),
        "readOnly clients reach the replicas: {text}"
    );
    // The instances reach the object store for backups; the store admits them.
    let store = &object(&objects, "NetworkPolicy", "objects")["spec"];
    assert!(store["ingress"].to_string().contains("shop-db"), "{store}");
    let pooler = &object(&objects, "NetworkPolicy", "shop-db-pooler-rw")["spec"];
    assert!(
        pooler["ingress"].to_string().contains("\"web\""),
        "{pooler}"
    );
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
    ports: { http: { port: 8080 } }
    resources:
      requests: { cpu: 100m, memory: 128Mi }
      limits: { cpu: 500m, memory: 256Mi }
    connections:
      db: { env: { DB_HOST: host } }
postgres:
  db:
    namespace: data
    storage: { size: 10Gi }
    resources:
      requests: { cpu: 500m, memory: 512Mi }
      limits: { cpu: \"1\", memory: 1Gi }
";

#[test]
fn mistakes_are_reported_where_they_were_made() {
    let cases = [
        (
            "pooled_without_pooler",
            "workloads:\n  web:\n    connections:\n      db: { access: pooled }\n",
        ),
        (
            "uri_without_credentials",
            "workloads:\n  web:\n    connections:\n      db: { env: { DATABASE_URL: uri } }\n",
        ),
        (
            "unknown_connection_field",
            "workloads:\n  web:\n    connections:\n      db: { env: { DB_PASS: pasword } }\n",
        ),
        (
            "unknown_data_service",
            "workloads:\n  web:\n    connections:\n      dbb: { env: { DB_HOST: host } }\n",
        ),
        (
            "recovery_into_its_own_archive",
            "postgres:\n  db:\n    backup:\n      schedule: \"0 2 * * *\"\n      destination: s3://b/db\n      credentials: { secret: s3 }\n    recovery:\n      destination: s3://b/db\n      credentials: { secret: s3 }\n",
        ),
        (
            "backup_schedule_and_retention",
            "postgres:\n  db:\n    backup:\n      schedule: \"@daily\"\n      retention: 30 days\n      destination: backups/db\n      credentials: { secret: s3 }\n",
        ),
    ];
    for (name, overlay) in cases {
        let report = rejection::rejected(&Platform::with(BASE, &[("prod", overlay)]), "prod");
        snapshot_settings().bind(|| insta::assert_snapshot!(name, report));
    }
}

#[test]
fn a_database_without_backups_is_an_error_in_production_and_a_warning_in_staging() {
    let base = std::fs::read_to_string(fixture().join("platform.yaml")).expect("fixture");
    let no_backup = "postgres:\n  shop-db:\n    backup: null\n";
    let platform = Platform::with(&base, &[("prod", no_backup), ("staging", no_backup)]);
    let prod = platform.run(&["check", "prod"]);
    assert_eq!(prod.code, 1, "{}", prod.stderr);
    assert!(
        prod.stderr
            .contains("error[PG4016]: PostgreSQL `shop-db` has no backups"),
        "{}",
        prod.stderr
    );
    let staging = platform.run(&["check", "staging"]);
    assert_eq!(staging.code, 0, "{}", staging.stderr);
    assert!(
        staging.stderr.contains("warning[PG4016]"),
        "{}",
        staging.stderr
    );
    // The fixture's production, with backups, passes.
    run(&fixture(), &["check", "prod"]).success();
}

#[test]
fn credentials_are_copied_into_the_namespaces_that_connect_from_elsewhere() {
    // `web` and `reports` run in `shop`, the cluster in `data`: pods read
    // Secrets of their own namespace only, so the operator's Secret is
    // copied into `shop` by the External Secrets Operator, reading `data`
    // as a ServiceAccount allowed exactly that Secret.
    let objects = render("prod");
    let copy = object(&objects, "ExternalSecret", "shop-db-app");
    assert_eq!(copy["metadata"]["namespace"], "shop");
    assert_eq!(copy["spec"]["dataFrom"][0]["extract"]["key"], "shop-db-app");
    let store = object(&objects, "SecretStore", "secrets-from-data");
    assert_eq!(store["metadata"]["namespace"], "shop");
    assert_eq!(
        store["spec"]["provider"]["kubernetes"]["remoteNamespace"],
        "data"
    );
    let role = object(&objects, "Role", "secrets-for-shop");
    assert_eq!(role["metadata"]["namespace"], "data");
    assert_eq!(role["rules"][0]["resourceNames"], json!(["shop-db-app"]));
    let binding = object(&objects, "RoleBinding", "secrets-for-shop");
    assert_eq!(
        binding["subjects"][0],
        json!({ "kind": "ServiceAccount", "name": "secrets-from-data", "namespace": "shop" })
    );
    // A workload in the cluster's own namespace reads the Secret directly.
    let same = Platform::with(
        &std::fs::read_to_string(fixture().join("platform.yaml"))
            .expect("fixture")
            .replace(
                "    namespace: shop\n    image: ghcr.io/acme/web",
                "    namespace: data\n    image: ghcr.io/acme/web",
            )
            .replace(
                "    namespace: shop\n    image: ghcr.io/acme/reports",
                "    namespace: data\n    image: ghcr.io/acme/reports",
            ),
        &[("prod", "postgres:\n  shop-db:\n    instances: 3\n")],
    );
    let objects = python::documents(&same.run(&["render", "prod"]).success().stdout);
    assert!(!has(&objects, "ExternalSecret", "shop-db-app"));
}

/// The fixture with `tls: { clients: required }` on `shop-db` in every
/// environment, and `web` mapping the connection's `sslmode` to PGSSLMODE.
fn tls_required() -> Platform {
    let base = std::fs::read_to_string(fixture().join("platform.yaml"))
        .expect("fixture")
        .replace(
            "    owner: shop\n",
            "    owner: shop\n    tls: { clients: required }\n",
        )
        .replace(
            "          DATABASE_URL: uri\n",
            "          DATABASE_URL: uri\n          PGSSLMODE: sslmode\n",
        );
    let prod = std::fs::read_to_string(fixture().join("environments/prod.yaml")).expect("fixture");
    Platform::with(&base, &[("prod", &prod)])
}

#[test]
fn clients_over_tls_only_are_refused_without_it_by_postgres_and_pgbouncer() {
    let platform = tls_required();
    let stream = platform.run(&["render", "prod"]).success().stdout;
    let objects = python::documents(&stream);
    let cluster = &object(&objects, "Cluster", "shop-db")["spec"]["postgresql"];
    // Plain connections refused before CloudNativePG's catch-all rule; the
    // parameters stay.
    assert_eq!(
        cluster["pg_hba"],
        json!([
            "hostnossl all all all reject",
            "hostssl all all all scram-sha-256"
        ])
    );
    assert_eq!(cluster["parameters"]["max_connections"], "200");
    assert_eq!(
        object(&objects, "Pooler", "shop-db-pooler-rw")["spec"]["pgbouncer"],
        json!({ "poolMode": "transaction", "parameters": { "client_tls_sslmode": "require" } })
    );
    // The workload is told to require TLS, by the URI and by libpq's
    // variable.
    let web = env(&objects, "web");
    assert_eq!(web[5], json!({ "name": "PGSSLMODE", "value": "require" }));
    assert_eq!(
        web[6]["value"],
        "postgresql://$(PGUSER):$(PGPASSWORD)@shop-db-pooler-rw.data.svc:5432/shop?sslmode=require"
    );
    external::assert_valid_and_clean(platform.path());
    // Without `tls`, nothing of this: TLS is offered, not required.
    let objects = render("prod");
    let cluster = &object(&objects, "Cluster", "shop-db")["spec"];
    assert!(cluster["postgresql"].get("pg_hba").is_none(), "{cluster}");
    assert_eq!(
        object(&objects, "Pooler", "shop-db-pooler-rw")["spec"]["pgbouncer"],
        json!({ "poolMode": "transaction" })
    );
}

//! MongoDB through the MongoDB Community Operator
//! (`tests/fixtures/data-services-mongodb`): a `MongoDBCommunity` replica set
//! sized per environment, SCRAM users whose passwords come from existing
//! Secrets, pods that pass the `restricted` Pod Security level, the
//! ServiceAccount the pods run as; workloads wired by `connections` to the
//! application user's connection Secret (copied into other namespaces);
//! network policies for the members; and the mistakes `check` catches.

use serde_json::{Value, json};

use crate::support::cli::{Platform, repository, run};
use crate::support::objects::{self, env, object};
use crate::support::{external, rejection, snapshot_settings};

fn fixture() -> std::path::PathBuf {
    repository().join("tests/fixtures/data-services-mongodb")
}

fn render(environment: &str) -> Vec<Value> {
    objects::render(&fixture(), environment)
}

fn pod(objects: &[Value]) -> &Value {
    &object(objects, "MongoDBCommunity", "catalog")["spec"]["statefulSet"]["spec"]["template"]["spec"]
}

/// The sources a NetworkPolicy admits, as `namespace/name` (the pod's
/// `app.kubernetes.io/name`, or its `app` for the operator's pods), with
/// their ports.
fn ingress_sources(policy: &Value) -> Vec<(String, Vec<u64>)> {
    policy["spec"]["ingress"]
        .as_array()
        .expect("ingress")
        .iter()
        .map(|rule| {
            let from = &rule["from"][0];
            let namespace = from["namespaceSelector"]["matchLabels"]["kubernetes.io/metadata.name"]
                .as_str()
                .unwrap_or("");
            let labels = &from["podSelector"]["matchLabels"];
            let name = labels["app.kubernetes.io/name"]
                .as_str()
                .or_else(|| labels["app"].as_str())
                .unwrap_or("");
            let ports = rule["ports"]
                .as_array()
                .expect("ports")
                .iter()
                .map(|p| p["port"].as_u64().expect("port"))
                .collect();
            (format!("{namespace}/{name}"), ports)
        })
        .collect()
}

#[test]
fn staging_runs_three_members_with_users_on_the_critical_pool() {
    let objects = render("staging");
    let set = &object(&objects, "MongoDBCommunity", "catalog")["spec"];
    assert_eq!(set["type"], "ReplicaSet");
    assert_eq!(set["members"], 3);
    assert_eq!(set["version"], "7.0.15");
    assert_eq!(
        set["security"],
        json!({ "authentication": { "modes": ["SCRAM"] } })
    );
    assert_eq!(
        set["users"],
        json!([
            {
                "name": "reports",
                "db": "admin",
                "passwordSecretRef": { "name": "catalog-reports-password", "key": "password" },
                "roles": [{ "name": "read", "db": "catalog" }],
                "scramCredentialsSecretName": "catalog-admin-reports",
                "connectionStringSecretName": "catalog-admin-reports",
            },
            {
                "name": "app",
                "db": "catalog",
                "passwordSecretRef": { "name": "catalog-app-password", "key": "password" },
                "roles": [{ "name": "readWrite", "db": "catalog" }],
                "scramCredentialsSecretName": "catalog-catalog-app",
                "connectionStringSecretName": "catalog-catalog-app",
            },
        ])
    );
    assert_eq!(
        set["statefulSet"]["spec"]["volumeClaimTemplates"],
        json!([{
            "metadata": { "name": "data-volume" },
            "spec": {
                "accessModes": ["ReadWriteOnce"],
                "resources": { "requests": { "storage": "20Gi" } },
                "storageClassName": "fast",
            },
        }])
    );
    let pod = pod(&objects);
    assert_eq!(pod["containers"][0]["name"], "mongod");
    assert_eq!(
        pod["containers"][0]["resources"]["requests"]["memory"],
        "1Gi"
    );
    assert_eq!(
        pod["affinity"]["podAntiAffinity"]["requiredDuringSchedulingIgnoredDuringExecution"][0],
        json!({
            "labelSelector": { "matchLabels": { "app": "catalog-svc" } },
            "topologyKey": "kubernetes.io/hostname",
        })
    );
    assert_eq!(pod["nodeSelector"], json!({ "pool": "critical" }));
    assert_eq!(pod["tolerations"][0]["key"], "dedicated");
    assert_eq!(pod["priorityClassName"], "data");
    // Drains evict one member at a time: the majority stays up.
    let budget = &object(&objects, "PodDisruptionBudget", "catalog")["spec"];
    assert_eq!(budget["maxUnavailable"], 1);
    assert_eq!(
        budget["selector"],
        json!({ "matchLabels": { "app": "catalog-svc" } })
    );
    // The ServiceAccount the operator's pod template names, with its Role.
    let role = object(&objects, "Role", "mongodb-database");
    assert_eq!(role["metadata"]["namespace"], "data");
    assert_eq!(
        role["rules"],
        json!([
            { "apiGroups": [""], "resources": ["secrets"], "verbs": ["get"] },
            { "apiGroups": [""], "resources": ["pods"], "verbs": ["patch", "delete", "get"] },
        ])
    );
    let binding = object(&objects, "RoleBinding", "mongodb-database");
    assert_eq!(binding["subjects"][0]["name"], "mongodb-database");
    object(&objects, "ServiceAccount", "mongodb-database");
}

#[test]
fn production_runs_five_members_and_development_one() {
    let prod = render("prod");
    let set = &object(&prod, "MongoDBCommunity", "catalog")["spec"];
    assert_eq!(set["members"], 5);
    assert_eq!(set["version"], "8.0.4");

    let dev = render("dev");
    let set = &object(&dev, "MongoDBCommunity", "catalog")["spec"];
    assert_eq!(set["members"], 1);
    let pod = pod(&dev);
    assert!(
        pod["affinity"]["podAntiAffinity"]["preferredDuringSchedulingIgnoredDuringExecution"]
            .is_array(),
        "{pod}"
    );
    assert!(pod.get("nodeSelector").is_none(), "{pod}");
    assert!(pod.get("tolerations").is_none(), "{pod}");
    assert!(
        !dev.iter()
            .any(|o| o["kind"] == "PodDisruptionBudget" && o["metadata"]["name"] == "catalog"),
        "one member needs no disruption budget"
    );
}

#[test]
fn member_pods_meet_the_restricted_pod_security_level() {
    let objects = render("prod");
    let pod = pod(&objects);
    assert_eq!(
        pod["securityContext"],
        json!({
            "fsGroup": 2000,
            "runAsNonRoot": true,
            "runAsUser": 2000,
            "seccompProfile": { "type": "RuntimeDefault" },
        })
    );
    let restricted = json!({
        "allowPrivilegeEscalation": false,
        "capabilities": { "drop": ["ALL"] },
        "readOnlyRootFilesystem": true,
        "runAsNonRoot": true,
        "seccompProfile": { "type": "RuntimeDefault" },
    });
    let names = |list: &str| -> Vec<String> {
        pod[list]
            .as_array()
            .expect(list)
            .iter()
            .map(|c| {
                assert_eq!(c["securityContext"], restricted, "{c}");
                c["name"].as_str().expect("name").to_owned()
            })
            .collect()
    };
    assert_eq!(names("containers"), ["mongod", "mongodb-agent"]);
    assert_eq!(
        names("initContainers"),
        ["mongod-posthook", "mongodb-agent-readinessprobe"]
    );
}

#[test]
fn connections_carry_the_application_users_connection_secret() {
    let objects = render("prod");
    let api = env(&objects, "catalog-api");
    let secret =
        |key: &str| json!({ "name": "catalog-catalog-app", "key": key, "optional": false });
    let names: Vec<&str> = api
        .iter()
        .map(|v| v["name"].as_str().unwrap_or(""))
        .collect();
    assert_eq!(names, ["MONGODB_USER", "MONGODB_PASSWORD", "MONGODB_URI"]);
    assert_eq!(api[0]["valueFrom"]["secretKeyRef"], secret("username"));
    assert_eq!(api[1]["valueFrom"]["secretKeyRef"], secret("password"));
    assert_eq!(
        api[2]["valueFrom"]["secretKeyRef"],
        secret("connectionString.standard")
    );
    // `catalog-api` runs in `shop`: it reads a copy of the operator's Secret.
    let copy = object(&objects, "ExternalSecret", "catalog-catalog-app");
    assert_eq!(copy["metadata"]["namespace"], "shop");
    assert_eq!(
        copy["spec"]["dataFrom"][0]["extract"]["key"],
        "catalog-catalog-app"
    );
    // The indexer runs beside the replica set: no copy needed.
    let indexer = env(&objects, "indexer");
    assert_eq!(indexer.len(), 1);
    assert_eq!(
        indexer[0]["valueFrom"]["secretKeyRef"],
        secret("connectionString.standard")
    );
    let stream = run(&fixture(), &["render", "prod"]).success().stdout;
    assert!(!stream.to_lowercase().contains("password: "), "{stream}");
}

#[test]
fn member_pods_get_exactly_the_flows_they_need() {
    let objects = render("prod");
    let policy = object(&objects, "NetworkPolicy", "catalog");
    assert_eq!(
        policy["spec"]["podSelector"],
        json!({ "matchLabels": { "app": "catalog-svc" } })
    );
    assert_eq!(
        ingress_sources(policy),
        [
            ("shop/catalog-api".to_owned(), vec![27017]),
            ("data/indexer".to_owned(), vec![27017]),
            ("data/catalog-svc".to_owned(), vec![27017]),
        ]
    );
    // The agent's readiness probe and upgrade hook call the API.
    let egress = policy["spec"]["egress"].to_string();
    assert!(egress.contains("10.0.0.1/32"), "{egress}");
    let api = object(&objects, "NetworkPolicy", "catalog-api")["spec"]["egress"][0].clone();
    assert_eq!(api["ports"], json!([{ "port": 27017, "protocol": "TCP" }]));

    // A single member has no peers.
    let dev = render("dev");
    let sources: Vec<String> = ingress_sources(object(&dev, "NetworkPolicy", "catalog"))
        .into_iter()
        .map(|(source, _)| source)
        .collect();
    assert!(
        !sources.contains(&"data/catalog-svc".to_owned()),
        "{sources:?}"
    );
}

#[test]
fn every_environment_is_strictly_valid() {
    external::assert_valid_and_clean(&fixture());
}

const BASE: &str = "\
platform: { name: shop, kubernetesVersion: \"1.33\" }
network: { apiServer: { cidrs: [10.0.0.1/32], ports: [443] } }
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
    connections:
      db: { env: { MONGODB_URI: uri } }
mongodb:
  db:
    namespace: data
    storage: { size: 10Gi }
    resources:
      requests: { cpu: 500m, memory: 1Gi }
      limits: { cpu: \"1\", memory: 1Gi }
    users:
      - { name: app, roles: [{ name: readWrite, db: app }], passwordSecret: db-app }
policy:
  waivers:
    - { rule: image-without-digest, reason: pinned at admission }
";

#[test]
fn mistakes_are_reported_where_they_were_made() {
    let user =
        "      - { name: app, roles: [{ name: readWrite, db: app }], passwordSecret: db-app }\n";
    let two_app_users = "mongodb:\n  db:\n    users:\n      - { name: app, roles: [{ name: readWrite, db: app }], passwordSecret: db-app, app: true }\n      - { name: other, roles: [{ name: read, db: app }], passwordSecret: db-other, app: true }\n".to_owned();
    let cases = [
        ("two_members", "mongodb:\n  db: { members: 2 }\n".to_owned()),
        ("four_members", "mongodb:\n  db: { members: 4 }\n".to_owned()),
        ("zero_members", "mongodb:\n  db: { members: 0 }\n".to_owned()),
        (
            "version_before_6_0",
            "mongodb:\n  db: { version: \"5.0.29\" }\n".to_owned(),
        ),
        (
            "version_not_full",
            "mongodb:\n  db: { version: \"7.0\" }\n".to_owned(),
        ),
        (
            "replica_set_unknown_namespace_and_pool",
            "mongodb:\n  db: { namespace: dta, scheduling: { nodePool: critical } }\n".to_owned(),
        ),
        (
            "replica_set_named_like_a_workload",
            format!("mongodb:\n  web:\n    namespace: data\n    storage: {{ size: 1Gi }}\n    resources:\n      requests: {{ cpu: 100m, memory: 256Mi }}\n      limits: {{ cpu: 100m, memory: 256Mi }}\n    users:\n{user}"),
        ),
        (
            "invalid_replica_set_name",
            format!("mongodb:\n  Db_Main:\n    namespace: data\n    storage: {{ size: 1Gi }}\n    resources:\n      requests: {{ cpu: 100m, memory: 256Mi }}\n      limits: {{ cpu: 100m, memory: 256Mi }}\n    users:\n{user}"),
        ),
        (
            "user_without_password_secret",
            "mongodb:\n  db:\n    users:\n      - { name: app, roles: [{ name: readWrite, db: app }] }\n".to_owned(),
        ),
        (
            "user_without_roles_and_invalid_name",
            "mongodb:\n  db:\n    users:\n      - { name: App_User, passwordSecret: db-app }\n".to_owned(),
        ),
        ("no_users", "mongodb:\n  db:\n    users: []\n".to_owned()),
        ("two_application_users", two_app_users),
        (
            "mongodb_has_no_read_only_access",
            "workloads:\n  web:\n    connections:\n      db: { access: readOnly }\n".to_owned(),
        ),
        (
            "mongodb_has_no_host_field",
            "workloads:\n  web:\n    connections:\n      db: { env: { MONGODB_HOST: host } }\n".to_owned(),
        ),
        (
            "uses_a_disabled_replica_set",
            "mongodb:\n  db: { enabled: false }\nworkloads:\n  web:\n    connections: null\n    uses: [db]\n".to_owned(),
        ),
    ];
    for (name, overlay) in cases {
        let report = rejection::rejected(&Platform::with(BASE, &[("prod", &overlay)]), "prod");
        snapshot_settings().bind(|| insta::assert_snapshot!(name, report));
    }
}

#[test]
fn an_even_number_of_members_is_allowed_in_development() {
    let platform = Platform::with(BASE, &[("dev", "mongodb:\n  db: { members: 2 }\n")]);
    let check = platform.run(&["check", "dev"]);
    assert_eq!(check.code, 0, "{}", check.report(platform.path()));
}

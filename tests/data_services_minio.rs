//! MinIO through the MinIO Operator (`tests/fixtures/data-services-minio`): a
//! `Tenant` with erasure-coded pools spread across nodes, buckets, users and
//! root credentials from Secrets; workloads wired by `connections` to the S3
//! endpoint; PostgreSQL backups reaching the tenant; network policies for
//! the tenant's pods; and the mistakes `check` catches.

use serde_json::{Value, json};

use crate::support::cli::{Platform, repository, run};
use crate::support::objects::{self, env, object};
use crate::support::{external, rejection, snapshot_settings};

fn fixture() -> std::path::PathBuf {
    repository().join("tests/fixtures/data-services-minio")
}

fn render(environment: &str) -> Vec<Value> {
    objects::render(&fixture(), environment)
}

/// The ports of the ingress rules of a NetworkPolicy whose peer selects pods
/// labelled `label`.
fn ingress_from(policy: &Value, label: (&str, &str)) -> Vec<u64> {
    policy["spec"]["ingress"]
        .as_array()
        .into_iter()
        .flatten()
        .filter(|rule| rule["from"][0]["podSelector"]["matchLabels"][label.0] == label.1)
        .flat_map(|rule| rule["ports"].as_array().cloned().unwrap_or_default())
        .filter_map(|port| port["port"].as_u64())
        .collect()
}

#[test]
fn production_runs_erasure_coded_pools_spread_across_nodes() {
    let objects = render("prod");
    let tenant = object(&objects, "Tenant", "objects");
    assert_eq!(tenant["apiVersion"], "minio.min.io/v2");
    let spec = &tenant["spec"];
    assert_eq!(
        spec["image"],
        "quay.io/minio/minio:RELEASE.2025-04-08T15-41-24Z"
    );
    assert_eq!(spec["configuration"], json!({ "name": "objects-root" }));
    assert_eq!(spec["requestAutoCert"], false);
    assert_eq!(spec["priorityClassName"], "data");
    assert_eq!(
        spec["buckets"],
        json!([{ "name": "images" }, { "name": "exports" }, { "name": "backups" }])
    );
    assert_eq!(
        spec["users"],
        json!([{ "name": "objects-web" }, { "name": "objects-reports" }, { "name": "objects-backup" }])
    );
    let pools = spec["pools"].as_array().expect("pools");
    assert_eq!(
        pools.len(),
        2,
        "the pool the tenant started with and the one that grew it"
    );
    let pool = &pools[0];
    assert_eq!(pool["name"], "pool-0");
    assert_eq!(pool["servers"], 4, "four servers outside development");
    assert_eq!(pool["volumesPerServer"], 2);
    assert_eq!(
        pool["volumeClaimTemplate"],
        json!({
            "metadata": { "name": "data" },
            "spec": {
                "accessModes": ["ReadWriteOnce"],
                "resources": { "requests": { "storage": "100Gi" } },
                "storageClassName": "standard",
            },
        })
    );
    assert_eq!(pools[1]["servers"], 4);
    assert_eq!(
        pools[1]["volumeClaimTemplate"]["spec"]["resources"]["requests"]["storage"],
        "200Gi"
    );
    assert_eq!(
        pool["resources"]["limits"],
        json!({ "cpu": "1", "memory": "2Gi" })
    );
    assert_eq!(pool["nodeSelector"], json!({ "pool": "critical" }));
    assert_eq!(pool["tolerations"][0]["key"], "dedicated");
    assert_eq!(
        pool["affinity"]["podAntiAffinity"]["requiredDuringSchedulingIgnoredDuringExecution"][0],
        json!({
            "labelSelector": { "matchLabels": {
                "v1.min.io/tenant": "objects",
                "v1.min.io/pool": "pool-0",
            } },
            "topologyKey": "kubernetes.io/hostname",
        })
    );
    // The restricted Pod Security level, for MinIO, the sidecar and the init
    // container alike.
    let container = &pool["containerSecurityContext"];
    assert_eq!(container["allowPrivilegeEscalation"], false);
    assert_eq!(container["capabilities"], json!({ "drop": ["ALL"] }));
    assert_eq!(container["runAsNonRoot"], true);
    assert_eq!(container["seccompProfile"]["type"], "RuntimeDefault");
    assert_eq!(
        pool["securityContext"]["seccompProfile"]["type"],
        "RuntimeDefault"
    );
    assert_eq!(pool["securityContext"]["fsGroup"], 1000);
    // The operator's sidecar fits namespaces with quotas.
    assert!(spec["sideCars"]["resources"]["limits"]["memory"].is_string());
}

#[test]
fn development_runs_one_server_with_one_volume() {
    let objects = render("dev");
    let pool = &object(&objects, "Tenant", "objects")["spec"]["pools"][0];
    assert_eq!(pool["servers"], 1);
    assert_eq!(pool["volumesPerServer"], 1);
    assert_eq!(
        pool["volumeClaimTemplate"]["spec"]["resources"]["requests"]["storage"],
        "10Gi"
    );
    assert!(
        pool["affinity"]["podAntiAffinity"]["preferredDuringSchedulingIgnoredDuringExecution"]
            .is_array()
    );
    // A single server has no peers to talk to.
    let policy = object(&objects, "NetworkPolicy", "objects");
    assert!(
        ingress_from(policy, ("v1.min.io/tenant", "objects")).is_empty(),
        "{policy}"
    );
}

#[test]
fn connections_carry_the_s3_endpoint_and_never_the_root_credentials() {
    let objects = render("prod");
    let web = env(&objects, "web");
    let value = |name: &str| {
        web.iter()
            .find(|v| v["name"] == name)
            .unwrap_or_else(|| panic!("no {name}"))["value"]
            .clone()
    };
    assert_eq!(value("S3_ENDPOINT_URL"), "http://minio.data.svc:80");
    assert_eq!(value("S3_HOST"), "minio.data.svc");
    assert_eq!(value("S3_PORT"), "80");
    assert_eq!(
        env(&objects, "reports")[0],
        json!({ "name": "S3_ENDPOINT_URL", "value": "http://minio.data.svc:80" })
    );
    let stream = run(&fixture(), &["render", "prod"]).success().stdout;
    assert!(!stream.contains("minioadmin"), "no default credentials");
    let deployments: Vec<&Value> = objects
        .iter()
        .filter(|o| o["kind"] == "Deployment")
        .collect();
    assert!(
        !serde_json::to_string(&deployments)
            .expect("json")
            .contains("objects-root"),
        "consumers never see the root credentials' Secret"
    );
}

#[test]
fn tls_serves_the_s3_api_on_443() {
    let objects = render("tls");
    assert_eq!(
        object(&objects, "Tenant", "objects")["spec"]["requestAutoCert"],
        true
    );
    assert_eq!(
        env(&objects, "web")[0]["value"],
        "https://minio.data.svc:443"
    );
    // The pods still listen on 9000: that is what the policies open.
    let policy = object(&objects, "NetworkPolicy", "objects");
    assert_eq!(
        ingress_from(policy, ("app.kubernetes.io/name", "web")),
        [9000]
    );
}

#[test]
fn postgres_backups_reach_the_tenant() {
    let objects = render("prod");
    let store = &object(&objects, "Cluster", "shop-db")["spec"]["backup"]["barmanObjectStore"];
    assert_eq!(store["endpointURL"], "http://minio.data.svc:80");
    assert_eq!(store["destinationPath"], "s3://backups/shop-db");
    let tenant = object(&objects, "NetworkPolicy", "objects");
    assert_eq!(ingress_from(tenant, ("cnpg.io/cluster", "shop-db")), [9000]);
    let cluster = object(&objects, "NetworkPolicy", "shop-db");
    assert!(
        cluster["spec"]["egress"]
            .as_array()
            .expect("egress")
            .iter()
            .any(|rule| {
                rule["to"][0]["podSelector"]["matchLabels"]["v1.min.io/tenant"] == "objects"
                    && rule["ports"] == json!([{ "port": 9000, "protocol": "TCP" }])
            }),
        "{cluster}"
    );
}

#[test]
fn tenant_pods_get_exactly_the_flows_they_need() {
    let objects = render("prod");
    let policy = object(&objects, "NetworkPolicy", "objects");
    assert_eq!(
        policy["spec"]["podSelector"],
        json!({ "matchLabels": { "v1.min.io/tenant": "objects" } })
    );
    let from_namespaces: Vec<&str> = policy["spec"]["ingress"]
        .as_array()
        .expect("ingress")
        .iter()
        .filter(|rule| rule["from"][0].get("podSelector").is_none())
        .filter_map(|rule| {
            rule["from"][0]["namespaceSelector"]["matchLabels"]["kubernetes.io/metadata.name"]
                .as_str()
        })
        .collect();
    assert_eq!(from_namespaces, ["minio-operator"], "{policy}");
    assert_eq!(
        ingress_from(policy, ("app.kubernetes.io/name", "prometheus")),
        [9000]
    );
    assert_eq!(
        ingress_from(policy, ("v1.min.io/tenant", "objects")),
        [9000],
        "peers"
    );
    let egress = policy["spec"]["egress"].to_string();
    assert!(
        egress.contains("10.0.0.1/32"),
        "the sidecar calls the API server: {egress}"
    );
    assert!(egress.contains("kube-dns"), "{egress}");
}

/// The replication Job of tenant `objects`: its name carries a hash of its
/// spec.
fn replication_job(objects: &[Value]) -> &Value {
    let jobs: Vec<&Value> = objects
        .iter()
        .filter(|o| o["kind"] == "Job")
        .filter(|o| {
            o["metadata"]["name"]
                .as_str()
                .is_some_and(|name| name.starts_with("objects-replication-"))
        })
        .collect();
    assert_eq!(jobs.len(), 1, "one replication Job");
    jobs[0]
}

#[test]
fn replication_is_set_by_a_post_sync_job_reaching_only_the_tenant_and_the_remote() {
    let objects = render("replication");
    let job = replication_job(&objects);
    assert_eq!(
        job["metadata"]["annotations"]["argocd.argoproj.io/hook"],
        "PostSync"
    );
    assert_eq!(
        job["metadata"]["annotations"]["argocd.argoproj.io/hook-delete-policy"],
        "BeforeHookCreation"
    );
    assert_eq!(job["spec"]["backoffLimit"], 8);
    let pod = &job["spec"]["template"];
    assert_eq!(
        pod["metadata"]["labels"]["app.kubernetes.io/name"],
        "objects-replication"
    );
    assert_eq!(pod["spec"]["automountServiceAccountToken"], false);
    assert_eq!(pod["spec"]["securityContext"]["runAsNonRoot"], true);
    let container = &pod["spec"]["containers"][0];
    assert_eq!(
        container["image"],
        "quay.io/minio/mc:RELEASE.2025-04-16T18-13-26Z"
    );
    assert_eq!(container["securityContext"]["readOnlyRootFilesystem"], true);
    assert_eq!(
        container["securityContext"]["capabilities"],
        json!({ "drop": ["ALL"] })
    );
    let script = container["command"][2].as_str().expect("script");
    assert!(
        script.contains("replicate images images-offsite\n"),
        "{script}"
    );
    assert!(
        script.contains("replicate backups backups-offsite\n"),
        "{script}"
    );
    assert!(!script.contains("replicate exports"), "{script}");
    // `deletes: false`: the remote keeps what is deleted here.
    assert!(
        script.contains("--replicate \"existing-objects\""),
        "{script}"
    );
    assert!(!script.contains("delete-marker"), "{script}");
    let env = container["env"].as_array().expect("env");
    let variable = |name: &str| {
        env.iter()
            .find(|v| v["name"] == name)
            .unwrap_or_else(|| panic!("no {name}: {env:?}"))
            .clone()
    };
    assert_eq!(variable("SOURCE_URL")["value"], "http://minio.data.svc:80");
    assert_eq!(
        variable("TARGET_URL")["value"],
        "https://offsite.example.net:9443"
    );
    assert_eq!(
        variable("TARGET_SECRET_KEY")["valueFrom"]["secretKeyRef"],
        json!({ "name": "offsite-keys", "key": "secret-key" })
    );
    // The root user's `config.env`, mounted read-only, and nothing else of it.
    assert_eq!(
        pod["spec"]["volumes"][0]["secret"],
        json!({ "secretName": "objects-root", "items": [{ "key": "config.env", "path": "config.env" }] })
    );
    // An existing Secret: no ExternalSecret rendered.
    assert!(!objects.iter().any(|o| o["kind"] == "ExternalSecret"));

    let policy = object(&objects, "NetworkPolicy", "objects-replication");
    assert_eq!(
        policy["spec"]["podSelector"],
        json!({ "matchLabels": { "app.kubernetes.io/name": "objects-replication" } })
    );
    assert!(
        policy["spec"].get("ingress").is_none(),
        "nothing connects to the Job: {policy}"
    );
    let egress = policy["spec"]["egress"].as_array().expect("egress");
    assert!(
        egress.iter().any(|rule| {
            rule["to"][0]["podSelector"]["matchLabels"]["v1.min.io/tenant"] == "objects"
                && rule["ports"] == json!([{ "port": 9000, "protocol": "TCP" }])
        }),
        "{policy}"
    );
    assert!(
        egress.iter().any(|rule| {
            rule["to"][0]["ipBlock"]["cidr"] == "0.0.0.0/0"
                && rule["ports"] == json!([{ "port": 9443, "protocol": "TCP" }])
        }),
        "the remote's port, outside the cluster: {policy}"
    );
    let tenant = object(&objects, "NetworkPolicy", "objects");
    assert_eq!(
        ingress_from(tenant, ("app.kubernetes.io/name", "objects-replication")),
        [9000]
    );
    // Without `replication`, none of it.
    let plain = render("prod");
    assert!(!plain.iter().any(|o| o["kind"] == "Job"));
    assert!(!objects::has(
        &plain,
        "NetworkPolicy",
        "objects-replication"
    ));
}

/// The Job's script against a stand-in `mc` that logs its calls and answers
/// `replicate export` with a rule to `images-offsite`, as MinIO does once the
/// rule exists: versioning goes on for every bucket on both sides, a rule is
/// added only where none exists, so a second run adds nothing.
#[test]
fn replication_script_adds_only_missing_rules() {
    let objects = render("replication");
    let container = &replication_job(&objects)["spec"]["template"]["spec"]["containers"][0];
    let script = container["command"][2].as_str().expect("script");
    let dir = tempfile::tempdir().expect("tempdir");
    let root = dir.path().join("root");
    std::fs::create_dir(&root).expect("root dir");
    std::fs::write(
        root.join("config.env"),
        "export MINIO_ROOT_USER=root-user\nexport MINIO_ROOT_PASSWORD=root-password\n",
    )
    .expect("config.env");
    let bin = dir.path().join("bin");
    std::fs::create_dir(&bin).expect("bin dir");
    let log = dir.path().join("calls");
    std::fs::write(
        bin.join("mc"),
        format!(
            "#!/bin/sh\necho \"$*\" >> {log}\nif [ \"$1 $2\" = \"replicate export\" ] && [ \"$3\" = local/images ]; then\n  echo '{{\"Rules\":[{{\"Destination\":{{\"Bucket\":\"arn:minio:replication::6f2a:images-offsite\"}}}}]}}'\nfi\n",
            log = log.display()
        ),
    )
    .expect("mc");
    std::process::Command::new("chmod")
        .args(["+x", bin.join("mc").to_str().expect("path")])
        .status()
        .expect("chmod");
    let script = script.replace("/etc/minio/root", root.to_str().expect("path"));
    let output = std::process::Command::new("/bin/sh")
        .args(["-ec", &script])
        .env("PATH", format!("{}:/usr/bin:/bin", bin.display()))
        .env("SOURCE_URL", "http://minio.data.svc:80")
        .env("TARGET_URL", "https://offsite.example.net:9443")
        .env("TARGET_ACCESS_KEY", "remote-user")
        .env("TARGET_SECRET_KEY", "remote-password")
        .output()
        .expect("sh");
    assert!(output.status.success(), "{output:?}");
    let calls = std::fs::read_to_string(&log).expect("calls");
    assert_eq!(
        calls,
        "\
alias set local http://minio.data.svc:80 root-user root-password
alias set remote https://offsite.example.net:9443 remote-user remote-password
version enable local/images
version enable remote/images-offsite
replicate export local/images
version enable local/backups
version enable remote/backups-offsite
replicate export local/backups
replicate add local/backups --remote-bucket remote/backups-offsite --replicate existing-objects
"
    );
    assert!(
        String::from_utf8_lossy(&output.stdout)
            .contains("local/images already replicates to remote/images-offsite"),
        "{output:?}"
    );
}

/// The objects of `kind` named `name` in `namespace`.
fn find<'a>(objects: &'a [Value], kind: &str, namespace: Option<&str>, name: &str) -> &'a Value {
    objects
        .iter()
        .find(|o| {
            o["kind"] == kind
                && o["metadata"]["name"] == name
                && o["metadata"]["namespace"].as_str() == namespace
        })
        .unwrap_or_else(|| panic!("no {kind} {namespace:?}/{name}"))
}

#[test]
fn tls_certificate_of_the_internal_ca_that_every_client_trusts() {
    let objects = render("certificate");
    let tenant = &object(&objects, "Tenant", "objects")["spec"];
    assert_eq!(tenant["requestAutoCert"], false);
    assert_eq!(
        tenant["externalCertSecret"],
        json!([{ "name": "objects-tls", "type": "cert-manager.io/v1" }])
    );
    // The tenant's certificate: the S3 Service and every server by its
    // headless name, from the CA issuer.
    let certificate = &find(&objects, "Certificate", Some("data"), "objects-tls")["spec"];
    assert_eq!(certificate["secretName"], "objects-tls");
    let names = certificate["dnsNames"].as_array().expect("dnsNames");
    for name in [
        "minio.data.svc",
        "minio.data.svc.cluster.local",
        "*.objects-hl.data.svc.cluster.local",
    ] {
        assert!(names.iter().any(|n| n == name), "{name}: {names:?}");
    }
    assert_eq!(
        certificate["issuerRef"],
        json!({ "group": "cert-manager.io", "kind": "ClusterIssuer", "name": "shop-internal-ca" })
    );
    // The CA: self-signed, in cert-manager's namespace, behind a CA issuer,
    // all in the first wave so the certificates of the next can be issued.
    let root = find(&objects, "ClusterIssuer", None, "shop-internal-ca-root");
    assert_eq!(root["spec"], json!({ "selfSigned": {} }));
    let ca = find(
        &objects,
        "Certificate",
        Some("cert-manager"),
        "shop-internal-ca",
    );
    assert_eq!(ca["spec"]["isCA"], true);
    assert_eq!(ca["spec"]["issuerRef"]["name"], "shop-internal-ca-root");
    let issuer = find(&objects, "ClusterIssuer", None, "shop-internal-ca");
    assert_eq!(
        issuer["spec"],
        json!({ "ca": { "secretName": "shop-internal-ca" } })
    );
    for object in [root, ca, issuer] {
        assert_eq!(
            object["metadata"]["annotations"]["argocd.argoproj.io/sync-wave"],
            "0"
        );
    }
    // The CA in every namespace, and for the operator, which calls the
    // tenant: Secrets whose `ca.crt` is the CA.
    for namespace in ["shop", "data"] {
        let trust = find(&objects, "Certificate", Some(namespace), "shop-ca");
        assert_eq!(trust["spec"]["secretName"], "shop-ca");
        assert_eq!(trust["spec"]["issuerRef"]["name"], "shop-internal-ca");
    }
    let operator = find(
        &objects,
        "Certificate",
        Some("minio-operator"),
        "operator-ca-tls-shop",
    );
    assert_eq!(operator["spec"]["secretName"], "operator-ca-tls-shop");

    // Workloads: the https endpoint and the CA mounted, whether or not they
    // name its path.
    let web = env(&objects, "web");
    let value = |name: &str| {
        web.iter()
            .find(|v| v["name"] == name)
            .unwrap_or_else(|| panic!("no {name}"))["value"]
            .clone()
    };
    assert_eq!(value("S3_ENDPOINT_URL"), "https://minio.data.svc:443");
    assert_eq!(value("AWS_CA_BUNDLE"), "/etc/ssl/platform-ca/ca.crt");
    for name in ["web", "reports"] {
        let pod = &object(&objects, "Deployment", name)["spec"]["template"]["spec"];
        let volume = pod["volumes"]
            .as_array()
            .expect("volumes")
            .iter()
            .find(|v| v["name"] == "platform-ca")
            .unwrap_or_else(|| panic!("{name}: no CA volume"));
        assert_eq!(volume["secret"]["secretName"], "shop-ca");
        assert_eq!(
            volume["secret"]["items"],
            json!([{ "key": "ca.crt", "path": "ca.crt" }])
        );
        assert!(
            pod["containers"][0]["volumeMounts"]
                .as_array()
                .expect("mounts")
                .iter()
                .any(|m| m["name"] == "platform-ca" && m["mountPath"] == "/etc/ssl/platform-ca"),
            "{name}: {pod}"
        );
    }
    // Barman verifies the tenant with the CA of the cluster's namespace.
    let store = &object(&objects, "Cluster", "shop-db")["spec"]["backup"]["barmanObjectStore"];
    assert_eq!(store["endpointURL"], "https://minio.data.svc:443");
    assert_eq!(
        store["endpointCA"],
        json!({ "name": "shop-ca", "key": "ca.crt" })
    );
    // The replication Job reaches the tenant over HTTPS, `mc` trusting the
    // CA from its `certs/CAs`.
    let job = &replication_job(&objects)["spec"]["template"]["spec"];
    let container = &job["containers"][0];
    assert!(
        container["env"]
            .as_array()
            .expect("env")
            .iter()
            .any(|v| v["name"] == "SOURCE_URL" && v["value"] == "https://minio.data.svc:443")
    );
    assert!(
        container["volumeMounts"]
            .as_array()
            .expect("mounts")
            .iter()
            .any(|m| m["name"] == "platform-ca" && m["mountPath"] == "/tmp/.mc/certs/CAs"),
        "{container}"
    );
    // Without `tls`, none of it.
    let plain = render("prod");
    assert!(!plain.iter().any(|o| o["kind"] == "Certificate"));
    assert!(
        object(&plain, "Cluster", "shop-db")["spec"]["backup"]["barmanObjectStore"]
            .get("endpointCA")
            .is_none()
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
      objects: { env: { S3_ENDPOINT_URL: endpoint } }
minio:
  objects:
    namespace: data
    pools:
      pool-0: { storage: { size: 10Gi } }
    resources:
      requests: { cpu: 500m, memory: 512Mi }
      limits: { cpu: \"1\", memory: 1Gi }
    rootCredentials: { secret: objects-root }
";

#[test]
fn mistakes_are_reported_where_they_were_made() {
    let cases = [
        (
            "too_few_volumes_outside_development",
            "minio:\n  objects:\n    pools:\n      pool-0: { servers: 1 }\n",
        ),
        (
            "two_servers_one_volume",
            "minio:\n  objects:\n    pools:\n      pool-0: { servers: 2, volumesPerServer: 1 }\n",
        ),
        (
            "two_tenants_in_one_namespace",
            "minio:\n  archive:\n    namespace: data\n    pools: { pool-0: { storage: { size: 10Gi } } }\n    resources: { requests: { cpu: 100m, memory: 128Mi }, limits: { cpu: 100m, memory: 128Mi } }\n    rootCredentials: { secret: archive-root }\n",
        ),
        (
            "service_collides_with_a_workload",
            "workloads:\n  minio:\n    namespace: data\n    image: ghcr.io/acme/minio:1.0.0\n    resources: { requests: { cpu: 100m, memory: 128Mi }, limits: { cpu: 100m, memory: 128Mi } }\n",
        ),
        (
            "buckets",
            "minio:\n  objects:\n    buckets: [images, Images, images, x]\n",
        ),
        (
            "users",
            "minio:\n  objects:\n    users: [objects-web, objects-web, objects-root]\n",
        ),
        ("release", "minio:\n  objects:\n    version: latest\n"),
        (
            "tls_and_request_auto_cert",
            "minio:\n  objects:\n    tls: true\n    requestAutoCert: true\n",
        ),
        (
            "tls_tenant_addressed_by_hand",
            "minio:\n  objects:\n    tls: true\nworkloads:\n  web:\n    env: { LEGACY_S3: \"http://minio.data.svc:80\" }\n  reports:\n    namespace: shop\n    image: ghcr.io/acme/reports:2.0.0\n    resources: { requests: { cpu: 100m, memory: 128Mi }, limits: { cpu: 100m, memory: 128Mi } }\n    env: { S3_URL: \"https://minio.data.svc.cluster.local:443\" }\n",
        ),
        (
            "backup_url_to_a_tls_tenant",
            "minio:\n  objects:\n    tls: true\npostgres:\n  db:\n    namespace: data\n    storage: { size: 1Gi }\n    resources: { requests: { cpu: 100m, memory: 128Mi }, limits: { cpu: 100m, memory: 128Mi } }\n    database: shop\n    owner: shop\n    backup:\n      schedule: \"0 1 * * *\"\n      destination: s3://backups/db\n      endpoint: { url: \"http://minio.data.svc:80\" }\n      credentials: { secret: db-backup }\n",
        ),
        (
            "replication_to_itself",
            "minio:\n  objects:\n    buckets: [images]\n    replication:\n      endpoint: http://minio.data.svc:80\n      buckets: { images: images-copy }\n      credentials: { existing: { name: offsite, keys: [access-key, secret-key] } }\n",
        ),
        (
            "replication_in_clear_text",
            "minio:\n  objects:\n    buckets: [images]\n    replication:\n      endpoint: http://offsite.example.net:9000\n      buckets: { images: images-copy }\n      credentials: { existing: { name: offsite, keys: [access-key, secret-key] } }\n",
        ),
        (
            "replication_buckets_and_credentials",
            "minio:\n  objects:\n    buckets: [images, exports]\n    replication:\n      endpoint: https://offsite.example.net/minio\n      buckets: { images: copy, imagez: copy, exports: Exports }\n      credentials: { existing: { name: offsite, keys: [access-key] } }\n      clientVersion: latest\n",
        ),
        (
            "replication_without_credentials",
            "minio:\n  objects:\n    buckets: [images]\n    replication:\n      endpoint: https://offsite.example.net\n      buckets: { images: images-copy }\n      credentials: {}\n",
        ),
        (
            "credentials_are_not_connection_fields",
            "workloads:\n  web:\n    connections:\n      objects: { env: { S3_ACCESS_KEY: accessKey } }\n",
        ),
    ];
    for (name, overlay) in cases {
        let report = rejection::rejected(&Platform::with(BASE, &[("prod", overlay)]), "prod");
        snapshot_settings().bind(|| insta::assert_snapshot!(name, report));
    }
    let without_pools = BASE.replace(
        "pools:\n      pool-0: { storage: { size: 10Gi } }",
        "pools: {}",
    );
    let report = rejection::rejected(&Platform::with(&without_pools, &[("prod", "{}")]), "prod");
    snapshot_settings().bind(|| insta::assert_snapshot!("no_pool", report));
}

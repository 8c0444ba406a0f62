//! Elasticsearch as a single-node store that stateless replicas share: the
//! StatefulSet of one node that starts under the `restricted` Pod Security
//! level with a read-only root file system, HTTPS with a certificate of the
//! platform's internal CA, a file-realm user and role per client; workloads
//! wired by `connections` with the CA mounted; network policies opening
//! 9200 to the connected workloads only; and the mistakes `check` catches.

use serde_json::{Value, json};

use crate::support::cli::Platform;
use crate::support::objects::object;
use crate::support::{external, python, rejection, snapshot_settings};

const BASE: &str = "\
platform: { name: shop, kubernetesVersion: \"1.33\" }
namespaces: { shop: {}, observability: {} }
storageClasses: { standard: { existing: true } }
workloads:
  collector:
    namespace: observability
    image: ghcr.io/acme/collector:1.2.3
    replicas: 2
    ports: { http: { port: 8080 } }
    resources:
      requests: { cpu: 100m, memory: 128Mi }
      limits: { cpu: 500m, memory: 256Mi }
    connections:
      traces: { env: { ES_URL: url, ES_CA: caFile } }
    secrets:
      es:
        external:
          storeRef: { name: vault, kind: ClusterSecretStore }
          data:
            password: { key: shop/es/collector, property: password }
        env: { ES_PASSWORD: password }
elasticsearch:
  traces:
    namespace: observability
    description: Trace store
    storage: { size: 20Gi, storageClass: standard }
    resources:
      requests: { cpu: 500m, memory: 2Gi }
      limits: { cpu: \"1\", memory: 2Gi }
    users:
      collector: { secret: collector-es, indices: [\"traces-*\", \"services-*\"] }
policy:
  waivers:
    - { rule: image-without-digest, reason: pinned at admission }
    - { rule: single-replica, workload: traces, reason: one node by design }
";

fn render() -> Vec<Value> {
    let platform = Platform::with(BASE, &[("prod", "")]);
    let run = platform.run(&["render", "prod"]);
    assert_eq!(run.code, 0, "{}", run.report(platform.path()));
    python::documents(&run.stdout)
}

#[test]
fn one_node_starts_with_its_configuration_users_and_certificate() {
    let objects = render();
    let set = &object(&objects, "StatefulSet", "traces")["spec"];
    assert_eq!(set["replicas"], 1);
    assert_eq!(set["serviceName"], "traces");
    let pod = &set["template"]["spec"];
    assert_eq!(
        pod["securityContext"],
        json!({
            "fsGroup": 1000,
            "fsGroupChangePolicy": "OnRootMismatch",
            "runAsGroup": 1000,
            "runAsNonRoot": true,
            "runAsUser": 1000,
            "seccompProfile": { "type": "RuntimeDefault" },
        })
    );
    assert_eq!(pod["automountServiceAccountToken"], false);
    let node = &pod["containers"][0];
    assert_eq!(
        node["image"],
        "docker.elastic.co/elasticsearch/elasticsearch:8.19.0"
    );
    assert_eq!(node["securityContext"]["readOnlyRootFilesystem"], true);
    let mounts: Vec<(&str, &str)> = node["volumeMounts"]
        .as_array()
        .expect("mounts")
        .iter()
        .map(|m| {
            (
                m["name"].as_str().unwrap(),
                m["mountPath"].as_str().unwrap(),
            )
        })
        .collect();
    // Every path the image writes is writable; the certificate is inside
    // the configuration directory, where Elasticsearch reads TLS files.
    assert_eq!(
        mounts,
        [
            ("config", "/usr/share/elasticsearch/config"),
            ("certs", "/usr/share/elasticsearch/config/certs"),
            ("data", "/usr/share/elasticsearch/data"),
            ("logs", "/usr/share/elasticsearch/logs"),
            ("tmp", "/tmp"),
        ]
    );
    assert_eq!(node["readinessProbe"]["tcpSocket"]["port"], "https");
    assert_eq!(node["resources"]["limits"]["memory"], "2Gi");

    // The init container builds the configuration directory and creates
    // the user with the password of its Secret.
    let init = &pod["initContainers"][0];
    let script = init["command"][2].as_str().expect("script");
    assert!(
        script.contains("cp -R /usr/share/elasticsearch/config/. /mnt/config/\n"),
        "{script}"
    );
    assert!(script.contains(": > /mnt/config/users\n"), "{script}");
    assert!(
        script.contains(
            "bin/elasticsearch-users useradd collector -p \"$USER_0_PASSWORD\" -r collector-indices\n"
        ),
        "{script}"
    );
    assert_eq!(
        init["env"][1],
        json!({
            "name": "USER_0_PASSWORD",
            "valueFrom": { "secretKeyRef": { "name": "collector-es", "key": "password" } },
        })
    );
    assert_eq!(
        set["volumeClaimTemplates"][0]["spec"]["resources"]["requests"]["storage"],
        "20Gi"
    );
    assert_eq!(
        set["volumeClaimTemplates"][0]["spec"]["storageClassName"],
        "standard"
    );

    let config = &object(&objects, "ConfigMap", "traces-config")["data"];
    let yml = config["elasticsearch.yml"]
        .as_str()
        .expect("elasticsearch.yml");
    for line in [
        "discovery.type: single-node\n",
        "transport.host: 127.0.0.1\n",
        "node.store.allow_mmap: false\n",
        "xpack.security.enabled: true\n",
        "xpack.security.http.ssl.enabled: true\n",
        "xpack.security.http.ssl.certificate: certs/tls.crt\n",
    ] {
        assert!(yml.contains(line), "{line} in {yml}");
    }
    assert_eq!(
        config["roles.yml"],
        "collector-indices:\n  cluster: [monitor, manage_index_templates, manage_ilm]\n  indices:\n    - names: [\"traces-*\", \"services-*\"]\n      privileges: [all]\n"
    );
    // A change of configuration rolls the node.
    assert_eq!(
        set["template"]["metadata"]["annotations"]["checksum/config"]
            .as_str()
            .map(str::len),
        Some(64)
    );

    let certificate = &object(&objects, "Certificate", "traces-tls")["spec"];
    assert_eq!(certificate["secretName"], "traces-tls");
    assert_eq!(certificate["dnsNames"][0], "traces.observability.svc");
    assert_eq!(certificate["issuerRef"]["name"], "shop-internal-ca");
    // The internal CA, rendered for the store alone (no MinIO tenant).
    object(&objects, "ClusterIssuer", "shop-internal-ca");
    object(&objects, "ClusterIssuer", "shop-internal-ca-root");
    object(&objects, "Certificate", "shop-ca");

    let service = &object(&objects, "Service", "traces")["spec"];
    assert_eq!(service["ports"][0]["port"], 9200);
    assert_eq!(
        service["selector"],
        json!({ "app.kubernetes.io/name": "traces" })
    );
}

#[test]
fn clients_get_the_address_and_the_ca_and_only_they_reach_the_node() {
    let objects = render();
    let pod = &object(&objects, "Deployment", "collector")["spec"]["template"]["spec"];
    let env = &pod["containers"][0]["env"];
    assert_eq!(
        env[0],
        json!({ "name": "ES_URL", "value": "https://traces.observability.svc:9200" })
    );
    assert_eq!(
        env[1],
        json!({ "name": "ES_CA", "value": "/etc/ssl/platform-ca/ca.crt" })
    );
    let ca = pod["volumes"]
        .as_array()
        .expect("volumes")
        .iter()
        .find(|v| v["name"] == "platform-ca")
        .expect("the CA is mounted");
    assert_eq!(ca["secret"]["secretName"], "shop-ca");

    let policy = &object(&objects, "NetworkPolicy", "traces")["spec"];
    assert_eq!(
        policy["ingress"],
        json!([{
            "from": [{
                "namespaceSelector": { "matchLabels": { "kubernetes.io/metadata.name": "observability" } },
                "podSelector": { "matchLabels": {
                    "app.kubernetes.io/instance": "shop",
                    "app.kubernetes.io/name": "collector",
                } },
            }],
            "ports": [{ "port": 9200, "protocol": "TCP" }],
        }])
    );
}

#[test]
fn every_environment_is_strictly_valid() {
    let platform = Platform::with(BASE, &[("prod", "")]);
    external::assert_valid_and_clean(platform.path());
}

#[test]
fn mistakes_are_reported_where_they_were_made() {
    let cases = [
        (
            "elasticsearch_before_8",
            "elasticsearch:\n  traces: { version: \"7.17.0\" }\n",
        ),
        (
            "elasticsearch_version_not_a_version",
            "elasticsearch:\n  traces: { version: \"8.19\" }\n",
        ),
        (
            "elasticsearch_user_names",
            "elasticsearch:\n  traces:\n    users:\n      elastic: { secret: a, indices: [x] }\n      Collector: { secret: b, indices: [x] }\n",
        ),
        (
            "elasticsearch_indices",
            "elasticsearch:\n  traces:\n    users:\n      collector: { secret: \"collector es\", indices: [\"traces-*,x\"] }\n      other: { secret: other, indices: [] }\n",
        ),
        (
            "elasticsearch_unknown_namespace",
            "elasticsearch:\n  traces: { namespace: observabilty }\n",
        ),
    ];
    for (name, overlay) in cases {
        let report = rejection::rejected(&Platform::with(BASE, &[("prod", overlay)]), "prod");
        snapshot_settings().bind(|| insta::assert_snapshot!(name, report));
    }
    // An overlay merges maps, so the users are taken out of the base.
    let without_users = BASE.replace(
        "      collector: { secret: collector-es, indices: [\"traces-*\", \"services-*\"] }\n",
        "",
    );
    assert_ne!(without_users, BASE);
    let without_users = without_users.replace("    users:\n", "    users: {}\n");
    let report = rejection::rejected(&Platform::with(&without_users, &[("prod", "")]), "prod");
    snapshot_settings().bind(|| insta::assert_snapshot!("elasticsearch_without_users", report));
}

#[test]
fn a_small_heap_is_a_warning_and_a_missing_secret_an_error() {
    let platform = Platform::with(
        BASE,
        &[(
            "prod",
            "elasticsearch:\n  traces:\n    resources:\n      requests: { memory: 512Mi }\n      limits: { memory: 512Mi }\n    users:\n      collector: { secret: collector-password }\n",
        )],
    );
    let check = platform.run(&["check", "prod"]);
    assert_eq!(check.code, 2, "{}", check.report(platform.path()));
    snapshot_settings().bind(|| {
        insta::assert_snapshot!(
            "elasticsearch_small_heap_and_missing_secret",
            check.report(platform.path())
        );
    });
}

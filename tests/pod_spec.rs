//! Pod-spec settings (`tests/fixtures/pod-spec`, docs/spec.md): registry
//! credentials and a cloud identity on the ServiceAccount, rollouts of each
//! kind, sidecars and init containers hardened like the main container,
//! Downward API variables, memory-backed and size-limited writable paths,
//! spread constraints that honour taints, annotations on the workload
//! object; the policy rules seeing every container; each mistake at its
//! spec line.

use serde_json::{Value, json};

use crate::support::cli::{MINIMAL_PROD, repository, run};
use crate::support::objects::{self, object};
use crate::support::{rejection, snapshot_settings};

fn fixture() -> std::path::PathBuf {
    repository().join("tests/fixtures/pod-spec")
}

fn render(environment: &str) -> Vec<Value> {
    objects::render(&fixture(), environment)
}

fn pod(workload: &Value) -> &Value {
    &workload["spec"]["template"]["spec"]
}

/// The restricted security context every container of the render gets.
fn restricted() -> Value {
    json!({
        "allowPrivilegeEscalation": false,
        "capabilities": { "drop": ["ALL"] },
        "privileged": false,
        "readOnlyRootFilesystem": true,
        "runAsNonRoot": true,
    })
}

#[test]
fn registry_credentials_and_a_cloud_identity() {
    let objects = render("prod");
    let backend = object(&objects, "Deployment", "todo-backend");
    assert_eq!(
        pod(backend)["imagePullSecrets"],
        json!([{ "name": "registry-credentials" }])
    );
    let account = object(&objects, "ServiceAccount", "todo-backend");
    // Beside the ArgoCD sync wave every object carries.
    assert_eq!(
        account["metadata"]["annotations"]["eks.amazonaws.com/role-arn"],
        json!("arn:aws:iam::123456789012:role/todo-backend-role")
    );
    assert_eq!(account["automountServiceAccountToken"], false);
    assert!(
        object(&objects, "ServiceAccount", "ai-query")["metadata"]["annotations"]
            ["eks.amazonaws.com/role-arn"]
            .is_null()
    );
    // The object's annotations and the pods' are each where they were written.
    // The waiver's scanner skips (and the pods' config checksum) stay
    // beside them.
    let skip = "checkov.io/skip1";
    for (annotations, key, value, generated) in [
        (
            &backend["metadata"]["annotations"],
            "reloader.stakater.com/auto",
            "true",
            vec![skip, "argocd.argoproj.io/sync-wave"],
        ),
        (
            &backend["spec"]["template"]["metadata"]["annotations"],
            "example.com/team",
            "todo",
            vec![skip, "checksum/config"],
        ),
    ] {
        let keys: Vec<&str> = annotations
            .as_object()
            .expect("annotations")
            .keys()
            .map(String::as_str)
            .collect();
        let mut expected = generated.clone();
        expected.push(key);
        expected.sort_unstable();
        assert_eq!(keys, expected, "{annotations}");
        assert_eq!(annotations[key], value);
        assert!(
            annotations[skip]
                .as_str()
                .unwrap_or("")
                .starts_with("CKV_K8S_43=PG4014")
        );
    }
}

#[test]
fn a_rendered_pull_secret_has_the_type_the_kubelet_reads() {
    let base = "\
platform: { name: shop, kubernetesVersion: \"1.33\" }
namespaces: { shop: {} }
workloads:
  api:
    namespace: shop
    image: registry.example.com/api:1.0.0
    resources:
      requests: { cpu: 100m, memory: 128Mi }
      limits: { cpu: 500m, memory: 256Mi }
    imagePullSecrets: [registry]
    secrets:
      registry:
        external:
          storeRef: { name: vault, kind: ClusterSecretStore }
          data: { .dockerconfigjson: { key: shop/registry } }
      db:
        external:
          storeRef: { name: vault, kind: ClusterSecretStore }
          data: { password: { key: shop/db } }
        env: { DB_PASSWORD: password }
";
    let platform = crate::support::cli::Platform::with(base, &[("prod", "{}\n")]);
    let stream = platform.run(&["render", "prod"]).success().stdout;
    let objects = crate::support::python::documents(&stream);
    assert_eq!(
        object(&objects, "ExternalSecret", "api-registry")["spec"]["target"],
        json!({
            "name": "api-registry",
            "creationPolicy": "Owner",
            "template": { "type": "kubernetes.io/dockerconfigjson" },
        })
    );
    assert_eq!(
        object(&objects, "ExternalSecret", "api-db")["spec"]["target"],
        json!({ "name": "api-db", "creationPolicy": "Owner" }),
        "other secrets keep the operator's default type"
    );
    assert_eq!(
        pod(object(&objects, "Deployment", "api"))["imagePullSecrets"],
        json!([{ "name": "api-registry" }])
    );
}

#[test]
fn rollouts_of_each_kind() {
    let objects = render("prod");
    assert_eq!(
        object(&objects, "Deployment", "ai-query")["spec"]["strategy"],
        json!({ "type": "RollingUpdate", "rollingUpdate": { "maxSurge": 0, "maxUnavailable": 1 } })
    );
    assert_eq!(
        object(&objects, "Deployment", "todo-backend")["spec"]["strategy"],
        json!({ "type": "Recreate" })
    );
    assert_eq!(
        object(&objects, "StatefulSet", "ledger")["spec"]["updateStrategy"],
        json!({ "type": "RollingUpdate", "rollingUpdate": { "partition": 2 } })
    );
}

#[test]
fn sidecars_and_init_containers_are_hardened_like_the_main_container() {
    let objects = render("prod");
    let backend = pod(object(&objects, "Deployment", "todo-backend"));
    let init = backend["initContainers"]
        .as_array()
        .expect("initContainers");
    let names: Vec<&str> = init
        .iter()
        .map(|c| c["name"].as_str().unwrap_or(""))
        .collect();
    assert_eq!(
        names,
        ["log-shipper", "check-config"],
        "sidecars start first"
    );
    let shipper = &init[0];
    assert_eq!(shipper["restartPolicy"], "Always", "a native sidecar");
    assert_eq!(shipper["image"], "cr.fluentbit.io/fluent/fluent-bit:3.1.9");
    assert_eq!(
        shipper["ports"],
        json!([{ "name": "fluent-metrics", "containerPort": 2020, "protocol": "TCP" }])
    );
    assert_eq!(
        shipper["env"],
        json!([{ "name": "FLB_LOG_LEVEL", "value": "info" }])
    );
    assert_eq!(
        shipper["volumeMounts"],
        json!([{ "name": "log-shipper-writable-0", "mountPath": "/fluent-bit/buffer" }])
    );
    let check = &init[1];
    assert!(check.get("restartPolicy").is_none(), "runs to completion");
    assert_eq!(check["command"], json!(["node", "scripts/check-config.js"]));
    assert_eq!(
        check["volumeMounts"],
        json!([{ "name": "check-config-writable-0", "mountPath": "/tmp" }])
    );
    for container in init
        .iter()
        .chain(backend["containers"].as_array().expect("containers"))
    {
        assert_eq!(
            container["securityContext"],
            restricted(),
            "{}",
            container["name"]
        );
        let resources = &container["resources"];
        for section in ["requests", "limits"] {
            for resource in ["cpu", "memory"] {
                assert!(
                    resources[section][resource].is_string(),
                    "{}",
                    container["name"]
                );
            }
        }
    }
    let writable: Vec<&Value> = backend["volumes"]
        .as_array()
        .expect("volumes")
        .iter()
        .filter(|v| v.get("emptyDir").is_some())
        .collect();
    assert_eq!(
        writable,
        [
            &json!({ "name": "writable-0", "emptyDir": {} }),
            &json!({ "name": "log-shipper-writable-0", "emptyDir": {} }),
            &json!({ "name": "check-config-writable-0", "emptyDir": {} }),
        ]
    );
    // A CronJob's sidecar does not keep its Jobs from completing.
    let export = object(&objects, "CronJob", "nightly-export");
    let export_pod = &export["spec"]["jobTemplate"]["spec"]["template"]["spec"];
    assert_eq!(export_pod["initContainers"][0]["name"], "proxy");
    assert_eq!(export_pod["initContainers"][0]["restartPolicy"], "Always");
}

#[test]
fn downward_api_variables_come_before_the_plain_ones() {
    let objects = render("prod");
    let env = objects::env(&objects, "todo-backend");
    assert_eq!(
        *env,
        vec![
            json!({ "name": "POD_NAME", "valueFrom": { "fieldRef": { "fieldPath": "metadata.name" } } }),
            json!({ "name": "NODE_NAME", "valueFrom": { "fieldRef": { "fieldPath": "spec.nodeName" } } }),
            json!({ "name": "GOMEMLIMIT", "valueFrom": { "resourceFieldRef": { "containerName": "todo-backend", "resource": "limits.memory" } } }),
            json!({ "name": "APP_NAME", "valueFrom": { "fieldRef": { "fieldPath": "metadata.labels['app.kubernetes.io/name']" } } }),
            json!({ "name": "INSTANCE", "value": "$(POD_NAME)" }),
            json!({ "name": "LOG_LEVEL", "valueFrom": { "configMapKeyRef": { "name": "todo-backend-config", "key": "LOG_LEVEL", "optional": false } } }),
        ]
    );
}

#[test]
fn config_files_in_more_than_one_directory() {
    let objects = render("prod");
    let backend = object(&objects, "Deployment", "todo-backend");
    let volumes: Vec<&Value> = pod(backend)["volumes"]
        .as_array()
        .expect("volumes")
        .iter()
        .filter(|v| v.get("configMap").is_some())
        .collect();
    assert_eq!(
        volumes,
        [
            &json!({ "name": "config", "configMap": { "name": "todo-backend-config", "items": [{ "key": "app.json", "path": "app.json" }] } }),
            &json!({ "name": "config-1", "configMap": { "name": "todo-backend-config", "items": [{ "key": "ca.pem", "path": "ca.pem" }] } }),
            &json!({ "name": "config-2", "configMap": { "name": "todo-backend-config", "items": [{ "key": "de.json", "path": "de.json" }, { "key": "en.json", "path": "en.json" }] } }),
        ]
    );
    let mounts: Vec<&Value> = pod(backend)["containers"][0]["volumeMounts"]
        .as_array()
        .expect("mounts")
        .iter()
        .filter(|m| m["name"].as_str().unwrap_or("").starts_with("config"))
        .collect();
    assert_eq!(
        mounts,
        [
            &json!({ "name": "config", "mountPath": "/etc/todo", "readOnly": true }),
            &json!({ "name": "config-1", "mountPath": "/etc/todo/certs", "readOnly": true }),
            &json!({ "name": "config-2", "mountPath": "/usr/share/todo/locales", "readOnly": true }),
        ]
    );
    let data = &object(&objects, "ConfigMap", "todo-backend-config")["data"];
    let keys: Vec<&String> = data.as_object().expect("data").keys().collect();
    assert_eq!(
        keys,
        ["LOG_LEVEL", "app.json", "ca.pem", "de.json", "en.json"]
    );
    assert!(
        backend["spec"]["template"]["metadata"]["annotations"]["checksum/config"].is_string(),
        "a change to any file rolls the pods"
    );
}

#[test]
fn writable_paths_in_memory_and_size_limited() {
    let objects = render("prod");
    let ai = pod(object(&objects, "Deployment", "ai-query"));
    assert_eq!(
        ai["volumes"],
        json!([
            { "name": "writable-0", "emptyDir": {} },
            { "name": "writable-1", "emptyDir": { "medium": "Memory", "sizeLimit": "2Gi" } },
            { "name": "writable-2", "emptyDir": { "sizeLimit": "20Gi" } },
        ])
    );
    assert_eq!(
        ai["containers"][0]["volumeMounts"],
        json!([
            { "name": "writable-0", "mountPath": "/tmp" },
            { "name": "writable-1", "mountPath": "/dev/shm" },
            { "name": "writable-2", "mountPath": "/models" },
        ])
    );
}

#[test]
fn spread_counts_only_nodes_the_pods_tolerate() {
    let objects = render("prod");
    let ai = pod(object(&objects, "Deployment", "ai-query"));
    let constraints = ai["topologySpreadConstraints"].as_array().expect("spread");
    assert_eq!(constraints.len(), 2);
    for constraint in constraints {
        assert_eq!(constraint["nodeTaintsPolicy"], "Honor", "{constraint}");
    }
    assert_eq!(
        ai["tolerations"][0]["key"], "node-pool",
        "the GPU pool's taint is tolerated"
    );
}

#[test]
fn check_sees_every_container_and_points_at_its_entry() {
    let run = run(&fixture(), &["check", "--all", "--format", "json"]).success();
    let report: Value = serde_json::from_str(&run.stdout).expect("JSON report");
    let prod = &report["environments"]["prod"];
    assert_eq!(prod["diagnostics"], json!([]));
    let suppressed = prod["suppressed"].as_array().expect("suppressed");
    let text = std::fs::read_to_string(fixture().join("platform.yaml")).expect("fixture");
    let line_of = |needle: &str| {
        text.lines()
            .position(|line| line.trim() == needle)
            .map(|index| index + 1)
            .expect(needle)
    };
    for (container, line) in [
        (
            "log-shipper",
            line_of("image: cr.fluentbit.io/fluent/fluent-bit:3.1.9"),
        ),
        (
            "proxy",
            line_of("image: gcr.io/cloud-sql-connectors/cloud-sql-proxy:2.14.1"),
        ),
    ] {
        let finding = suppressed
            .iter()
            .find(|f| {
                f["code"] == "PG4014"
                    && f["message"]
                        .as_str()
                        .unwrap_or("")
                        .contains(&format!("container `{container}`"))
            })
            .unwrap_or_else(|| panic!("no digest finding for {container}"));
        assert_eq!(finding["location"]["line"], line, "{container}");
    }
}

#[test]
fn quota_counts_sidecars() {
    // 3 × (500m + 200m sidecar) CPU limits = 2.1 cores: over a 2-core quota
    // only with the sidecar counted.
    let base = rejection::minimal_base_with(
        "  shop: {}\n",
        "  shop: { quota: { limits: { cpu: \"2\" } } }\n",
    )
    .replacen(
        "    expose: { host: shop }\n",
        "    expose: { host: shop }\n    sidecars:\n      - name: proxy\n        image: ghcr.io/acme/proxy:1.0.0\n        resources:\n          requests: { cpu: 100m, memory: 64Mi }\n          limits: { cpu: 200m, memory: 64Mi }\n",
        1,
    )
    .replacen("    limits: { cpu: 500m, memory: 512Mi }\n    storage", "    limits: { cpu: 100m, memory: 512Mi }\n    storage", 1);
    let report = rejection::rejected_spec(&base, MINIMAL_PROD);
    assert!(report.contains("PG3032"), "{report}");
}

// --- Mistakes, each at its spec line ---------------------------------------

#[test]
fn pod_spec_mistakes() {
    let base = rejection::minimal_base_with(
        "    expose: { host: shop }\n",
        "    expose: { host: shop }
    imagePullSecrets: [registy, tls]
    secrets:
      registry: { existing: { name: registry-credentials, keys: [.dockerconfigjson] } }
      tls: { existing: { name: shop-tls, keys: [tls.crt, tls.key] } }
    annotations: { argocd.argoproj.io/sync-wave: \"3\", \"bad key!\": x }
    podAnnotations: { checksum/config: abc }
    serviceAccount: { annotations: { \"-role\": x } }
    rollout: { maxSurge: 0, maxUnavailable: 0%, partition: 1 }
    fieldEnv: { POD_NAME: metadata.nam, INSTANCE: status.podIP }
    env: { INSTANCE: a }
    config:
      files: { app.json: '{}' }
      mountPath: /etc/web
      mounts:
        /etc/web/: { ca.pem: x }
        certs: { app.json: x }
    writablePaths: [tmp, /cache, /cache/, { path: /dev/shm, medium: Memory, sizeLimit: 1Gi }]
    initContainers:
      - name: web
        image: ghcr.io/acme/web:1.2.3
        ports: { admin: { port: 9000 } }
        resources:
          requests: { cpu: 100m, memory: 64Mi, gpu: 1 }
          limits: { cpu: 50m, memory: 64Mi, gpu: 1 }
    sidecars:
      - name: Proxy
        image: ghcr.io/acme/proxy:1.0.0
        ports: { http: { port: 9901 }, admin: { port: 8080 } }
        resources:
          requests: { cpu: 100m, memory: 64Mi }
          limits: { cpu: 100m, memory: 64Mi }
      - name: Proxy
        image: ghcr.io/acme/proxy:1.0.0
        resources:
          requests: { cpu: 100m, memory: 64Mi }
          limits: { cpu: 100m, memory: 64Mi }
",
    )
    .replacen(
        "    storage: { size: 5Gi, mountPath: /var/lib/postgresql/data }\n",
        "    storage: { size: 5Gi, mountPath: /var/lib/postgresql/data }\n    rollout: recreate\n",
        1,
    );
    let report = rejection::rejected_spec(&base, MINIMAL_PROD);
    snapshot_settings().bind(|| insta::assert_snapshot!("pod_spec_mistakes", report));
}

/// Shape errors stop the reading of their value: one case each.
#[test]
fn rollout_and_writable_path_shapes() {
    for (name, fields) in [
        ("percentage_above_100", "    rollout: { maxSurge: 120% }\n"),
        (
            "misspelt_rollout_field",
            "    rollout: { maxUnavailble: 1 }\n",
        ),
        ("misspelt_recreate", "    rollout: recreat\n"),
        (
            "unknown_medium",
            "    writablePaths: [{ path: /dev/shm, medium: Disk }]\n",
        ),
    ] {
        let base = rejection::minimal_base_with(
            "    expose: { host: shop }\n",
            &format!("    expose: {{ host: shop }}\n{fields}"),
        );
        let report = rejection::rejected_spec(&base, MINIMAL_PROD);
        snapshot_settings().bind(|| insta::assert_snapshot!(name, report));
    }
}

#[test]
fn registry_credentials_in_clear_text_must_be_a_docker_config() {
    let base = rejection::minimal_base_with(
        "    expose: { host: shop }\n",
        "    expose: { host: shop }\n    imagePullSecrets: [registry]\n    secrets:\n      registry: { plain: { .dockerconfigjson: \"user:hunter2\" } }\n",
    );
    let report = rejection::rejected_spec(&base, "tier: development\ndomain: example.com\n");
    assert!(
        !report.contains("hunter2"),
        "the value is never quoted:\n{report}"
    );
    snapshot_settings().bind(|| insta::assert_snapshot!("plain_registry_config_not_json", report));
}

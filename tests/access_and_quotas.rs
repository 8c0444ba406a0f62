//! API access and namespace caps: the RBAC objects of workloads that declare
//! `serviceAccount.rules` or `clusterRules`, ServiceAccount tokens mounted only
//! for them, and each namespace's ResourceQuota, LimitRange and restricted Pod
//! Security labels. Asserted on content; the full objects are in the render
//! snapshots.

use serde_json::{Value, json};

use crate::support::cli::{Platform, repository, run};
use crate::support::{external, python};

fn render(dir: &std::path::Path, environment: &str) -> Vec<Value> {
    python::documents(&run(dir, &["render", environment]).success().stdout)
}

#[track_caller]
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
fn health_api_gets_the_role_of_seed_section_8_3_and_its_token() {
    for environment in ["staging", "prod"] {
        let objects = render(&repository(), environment);
        let namespace = Some("health-platform-api");
        let role = find(&objects, "Role", namespace, "health-api");
        assert_eq!(
            role["rules"],
            json!([
                { "apiGroups": [""], "resources": ["secrets", "configmaps"], "verbs": ["get", "list"] },
                { "apiGroups": [""], "resources": ["pods"], "verbs": ["get", "list"] },
            ])
        );
        let binding = find(&objects, "RoleBinding", namespace, "health-api");
        assert_eq!(
            binding["roleRef"],
            json!({ "apiGroup": "rbac.authorization.k8s.io", "kind": "Role", "name": "health-api" })
        );
        assert_eq!(
            binding["subjects"],
            json!([{ "kind": "ServiceAccount", "name": "health-api", "namespace": "health-platform-api" }])
        );
        // Only the workload with API access mounts a token, and no one gets
        // cluster-wide access.
        for account in objects.iter().filter(|o| o["kind"] == "ServiceAccount") {
            let name = account["metadata"]["name"].as_str().expect("name");
            assert_eq!(
                account["automountServiceAccountToken"],
                name == "health-api",
                "{environment}: ServiceAccount {name}"
            );
        }
        // In prod the health API rolls out as a canary: an Argo Rollout.
        let kind = if environment == "prod" {
            "Rollout"
        } else {
            "Deployment"
        };
        let pod = &find(&objects, kind, namespace, "health-api")["spec"]["template"]["spec"];
        assert_eq!(pod["automountServiceAccountToken"], true);
        // One Role a workload asked for, and the one that lets the
        // API namespace copy the database's credentials (connections).
        let roles: Vec<&str> = objects
            .iter()
            .filter(|o| o["kind"] == "Role")
            .filter_map(|o| o["metadata"]["name"].as_str())
            .collect();
        assert_eq!(
            roles,
            ["health-api", "secrets-for-health-platform-api"],
            "{environment}"
        );
        assert!(
            objects
                .iter()
                .all(|o| o["kind"] != "ClusterRole" && o["kind"] != "ClusterRoleBinding")
        );
    }
}

#[test]
fn namespaces_have_quotas_limit_ranges_and_restricted_pod_security() {
    for environment in ["staging", "prod"] {
        let objects = render(&repository(), environment);
        for namespace in [
            "health-platform-auth",
            "health-platform-api",
            "health-platform-data",
            "health-platform-observability",
        ] {
            let quota = find(&objects, "ResourceQuota", Some(namespace), "default");
            for key in [
                "requests.cpu",
                "requests.memory",
                "limits.cpu",
                "limits.memory",
                "pods",
            ] {
                assert!(
                    quota["spec"]["hard"].get(key).is_some(),
                    "{environment}: {namespace} quota lacks {key}"
                );
            }
            let range = find(&objects, "LimitRange", Some(namespace), "default");
            let item = &range["spec"]["limits"][0];
            assert_eq!(item["type"], "Container");
            for key in ["default", "defaultRequest", "max"] {
                assert!(
                    item.get(key).is_some(),
                    "{namespace} limit range lacks {key}"
                );
            }
        }
        for namespace in objects.iter().filter(|o| o["kind"] == "Namespace") {
            let labels = &namespace["metadata"]["labels"];
            for mode in ["enforce", "audit", "warn"] {
                assert_eq!(
                    labels[format!("pod-security.kubernetes.io/{mode}")],
                    "restricted",
                    "{environment}: {}",
                    namespace["metadata"]["name"]
                );
            }
        }
    }
}

const CLUSTER_ACCESS: &str = "\
platform: { name: shop, kubernetesVersion: \"1.33\" }
network: { apiServer: { cidrs: [10.0.0.0/28] } }
namespaces:
  ops:
    quota: { requests: { cpu: \"2\" }, limits: { memory: 4Gi }, pods: 10 }
    limitRange: { min: { memory: 32Mi }, defaultRequest: { cpu: 50m }, max: { cpu: \"1\" } }
workloads:
  node-watcher:
    namespace: ops
    image: ghcr.io/acme/node-watcher:1.0.0
    resources: { requests: { cpu: 100m, memory: 64Mi }, limits: { cpu: 100m, memory: 64Mi } }
    serviceAccount:
      rules: [{ resources: [configmaps], resourceNames: [node-watcher-state], verbs: [get, update] }]
      clusterRules: [{ resources: [nodes], verbs: [get, list, watch] }]
  quiet:
    namespace: ops
    image: ghcr.io/acme/quiet:1.0.0
    resources: { requests: { cpu: 100m, memory: 64Mi }, limits: { cpu: 100m, memory: 64Mi } }
    serviceAccount:
      automountToken: false
      rules: [{ resources: [pods], verbs: [get] }]
";

#[test]
fn cluster_rules_make_a_prefixed_cluster_role_and_everything_is_strictly_valid() {
    let platform = Platform::with(CLUSTER_ACCESS, &[("prod", "{}")]);
    let stream = platform.run(&["render", "prod"]).success().stdout;
    let objects = python::documents(&stream);
    let role = find(&objects, "ClusterRole", None, "shop-node-watcher");
    assert_eq!(
        role["rules"],
        json!([{ "apiGroups": [""], "resources": ["nodes"], "verbs": ["get", "list", "watch"] }])
    );
    let binding = find(&objects, "ClusterRoleBinding", None, "shop-node-watcher");
    assert_eq!(binding["roleRef"]["kind"], "ClusterRole");
    assert_eq!(binding["subjects"][0]["namespace"], "ops");
    let namespaced = find(&objects, "Role", Some("ops"), "node-watcher");
    assert_eq!(
        namespaced["rules"][0]["resourceNames"],
        json!(["node-watcher-state"])
    );
    // An explicit `automountToken: false` wins over declared rules.
    let quiet = find(&objects, "ServiceAccount", Some("ops"), "quiet");
    assert_eq!(quiet["automountServiceAccountToken"], false);
    let quota = find(&objects, "ResourceQuota", Some("ops"), "default");
    assert_eq!(
        quota["spec"]["hard"],
        json!({ "requests.cpu": "2", "limits.memory": "4Gi", "pods": "10" })
    );
    let file = platform.path().join("rendered.yaml");
    std::fs::write(&file, stream).expect("write render");
    let report = external::validate_manifests(&[&file]);
    assert!(report.contains(", 0 failed"), "{report}");
}

//! The built-in example (the Health Data AI platform) and the example of
//! each seed (`examples/`) rendered for every environment: golden snapshots
//! reviewed like code, plus the properties every render must have.

use platformgen::object::kinds::{Scope, lookup};
use serde_json::Value;

use crate::support::cli::{repository, run};
use crate::support::platforms;
use crate::support::snapshot_settings;

fn render(environment: &str) -> String {
    render_in(&repository(), environment)
}

fn render_in(dir: &std::path::Path, environment: &str) -> String {
    run(dir, &["render", environment]).success().stdout
}

/// `(platform, environment, documents)` for every environment of every
/// example.
fn every_example_render() -> Vec<(String, String, Vec<Value>)> {
    let mut renders = Vec::new();
    for dir in platforms::examples() {
        for environment in platforms::environments(&dir) {
            let documents = documents(&render_in(&dir, &environment));
            renders.push((platforms::display(&dir), environment, documents));
        }
    }
    renders
}

fn documents(stream: &str) -> Vec<Value> {
    crate::support::python::documents(stream)
}

#[test]
fn dev_snapshot() {
    snapshot_settings().bind(|| insta::assert_snapshot!("render_dev", render("dev")));
}

#[test]
fn staging_snapshot() {
    snapshot_settings().bind(|| insta::assert_snapshot!("render_staging", render("staging")));
}

#[test]
fn prod_snapshot() {
    snapshot_settings().bind(|| insta::assert_snapshot!("render_prod", render("prod")));
}

/// Each environment of each seed's example, as `render_<example>_<environment>`.
#[test]
fn seed_example_snapshots() {
    let examples = platforms::seed_examples();
    assert!(!examples.is_empty(), "examples/ holds the seeds' platforms");
    for dir in examples {
        let name = dir
            .file_name()
            .expect("an example has a name")
            .to_string_lossy()
            .into_owned();
        for environment in platforms::environments(&dir) {
            let stream = render_in(&dir, &environment);
            snapshot_settings()
                .bind(|| insta::assert_snapshot!(format!("render_{name}_{environment}"), stream));
        }
    }
}

#[test]
fn every_object_is_labelled_and_namespaced() {
    for (platform, environment, docs) in every_example_render() {
        let environment = format!("{platform} {environment}");
        for doc in docs {
            let kind = doc["kind"].as_str().expect("kind");
            let labels = &doc["metadata"]["labels"];
            for label in ["app.kubernetes.io/managed-by", "app.kubernetes.io/part-of"] {
                assert!(
                    labels.get(label).is_some(),
                    "{environment}: {kind} lacks {label}"
                );
            }
            // Cluster-scoped kinds (the kind registry says which) have no
            // namespace; every other object has one.
            let group = doc["apiVersion"]
                .as_str()
                .and_then(|v| v.rsplit_once('/'))
                .map_or("", |(group, _)| group);
            let registered = lookup(group, kind)
                .unwrap_or_else(|| panic!("{kind} of {group} is not in the kind registry"));
            if registered.scope == Scope::Namespaced {
                assert!(
                    doc["metadata"]["namespace"].is_string(),
                    "{environment}: {kind} has no namespace"
                );
            } else {
                assert!(
                    doc["metadata"]["namespace"].is_null(),
                    "{environment}: cluster-scoped {kind} has a namespace"
                );
            }
        }
    }
}

#[test]
fn every_container_is_hardened_and_bounded() {
    for (platform, environment, docs) in every_example_render() {
        let place = format!("{platform} {environment}");
        for doc in docs {
            // The pods platformgen builds itself; operators harden their own
            // (a Pooler's template only adds resources). Jobs' pods finish:
            // they have no probes, and a restart policy that is not `Always`.
            let kind = doc["kind"].as_str().unwrap_or_default();
            let template = match kind {
                "Deployment" | "StatefulSet" | "Job" | "Rollout" => &doc["spec"]["template"],
                "CronJob" => &doc["spec"]["jobTemplate"]["spec"]["template"],
                _ => continue,
            };
            let long_running = matches!(kind, "Deployment" | "StatefulSet" | "Rollout");
            let Some(pod) = template["spec"].as_object() else {
                continue;
            };
            if !long_running {
                assert!(
                    matches!(pod["restartPolicy"].as_str(), Some("Never" | "OnFailure")),
                    "{place}: {kind}: restart policy"
                );
            }
            let name = format!(
                "{place}: {kind} {}",
                doc["metadata"]["name"].as_str().unwrap_or_default()
            );
            assert_eq!(pod["securityContext"]["runAsNonRoot"], true, "{name}");
            assert_eq!(
                pod["securityContext"]["seccompProfile"]["type"], "RuntimeDefault",
                "{name}"
            );
            for container in pod["containers"].as_array().expect("containers") {
                let security = &container["securityContext"];
                assert_eq!(security["allowPrivilegeEscalation"], false, "{name}");
                assert_eq!(security["readOnlyRootFilesystem"], true, "{name}");
                assert_eq!(
                    security["capabilities"]["drop"],
                    serde_json::json!(["ALL"]),
                    "{name}"
                );
                for bound in ["requests", "limits"] {
                    for resource in ["cpu", "memory"] {
                        assert!(
                            container["resources"][bound][resource].is_string(),
                            "{name}: {bound}.{resource}"
                        );
                    }
                }
                assert_eq!(
                    container["livenessProbe"].is_object(),
                    long_running,
                    "{name}: liveness probe"
                );
                assert_eq!(
                    container["readinessProbe"].is_object(),
                    long_running,
                    "{name}: readiness probe"
                );
            }
        }
    }
}

#[test]
fn ha_environments_have_disruption_budgets_and_autoscalers() {
    for environment in ["staging", "prod"] {
        let docs = documents(&render(environment));
        let count = |kind: &str| docs.iter().filter(|d| d["kind"] == kind).count();
        assert!(count("HorizontalPodAutoscaler") >= 3, "{environment}");
        // The ETL engine scales on its queue, through KEDA.
        assert_eq!(count("ScaledObject"), 1, "{environment}");
        // Every workload that keeps two replicas or more (the ETL engine
        // may scale down to one), and the RabbitMQ broker (whose operator
        // makes none); CloudNativePG, the redis-operator and the MinIO
        // Operator keep their own.
        assert!(count("PodDisruptionBudget") >= 6, "{environment}");
        assert_eq!(
            count("Ingress"),
            2,
            "{environment}: gateway and API are public"
        );
    }
    let dev = documents(&render("dev"));
    assert_eq!(
        dev.iter()
            .filter(|d| d["kind"] == "HorizontalPodAutoscaler")
            .count(),
        0
    );
    assert_eq!(
        dev.iter()
            .filter(|d| d["kind"] == "PodDisruptionBudget")
            .count(),
        0
    );
}

#[test]
fn config_change_changes_the_pod_checksum() {
    let dev = documents(&render("dev"));
    let prod = documents(&render("prod"));
    let checksum = |docs: &[Value]| {
        docs.iter()
            // A Deployment in dev, the Rollout of its canary in prod.
            .find(|d| {
                (d["kind"] == "Deployment" || d["kind"] == "Rollout")
                    && d["metadata"]["name"] == "health-api"
            })
            .map(|d| d["spec"]["template"]["metadata"]["annotations"]["checksum/config"].clone())
            .expect("health-api deployment")
    };
    // dev sets LOG_LEVEL=debug, prod keeps info: the checksums must differ.
    assert!(checksum(&dev).is_string());
    assert_ne!(checksum(&dev), checksum(&prod));
}

#[test]
fn objects_come_in_apply_order() {
    // Core kinds in the order they depend on each other; custom resources
    // (whose controllers and definitions must exist first) after all of them.
    const CORE_ORDER: &[&str] = &[
        "Namespace",
        "PriorityClass",
        "StorageClass",
        "ResourceQuota",
        "LimitRange",
        "NetworkPolicy",
        "ServiceAccount",
        "Role",
        "RoleBinding",
        "Secret",
        "ConfigMap",
        "Service",
        "Deployment",
        "StatefulSet",
        "Job",
        "CronJob",
        "HorizontalPodAutoscaler",
        "PodDisruptionBudget",
        "Ingress",
    ];
    for (platform, environment, docs) in every_example_render() {
        let environment = format!("{platform} {environment}");
        let kinds: Vec<String> = docs
            .iter()
            .map(|doc| doc["kind"].as_str().expect("kind").to_owned())
            .collect();
        let rank = |kind: &str| {
            CORE_ORDER
                .iter()
                .position(|k| *k == kind)
                .unwrap_or(CORE_ORDER.len())
        };
        assert!(
            kinds
                .windows(2)
                .all(|pair| rank(&pair[0]) <= rank(&pair[1])),
            "{environment}: objects out of apply order: {kinds:?}"
        );
        assert_eq!(
            kinds.first().map(String::as_str),
            Some("Namespace"),
            "{environment}"
        );
        assert!(
            kinds.iter().any(|k| rank(k) == CORE_ORDER.len()),
            "{environment}: no custom resource to order"
        );
    }
}

//! Every reference between rendered objects resolves: a Service's selector
//! picks some pod template of its namespace and its named target ports are
//! ports of those pods; an Ingress's or HTTPRoute's backend is a Service of
//! the render with that port; an autoscaler's target is an object of the
//! render; a disruption budget selects pods, its own or those of an operator
//! resource of its namespace. A reference that names nothing renders and
//! applies cleanly, and then serves nothing: a Service without endpoints, a
//! route that answers 503, an autoscaler that never scales.

use std::collections::BTreeMap;

use serde_json::Value;

use crate::support::cli::{repository, run};
use crate::support::python;

/// A pod template of the render: its namespace, labels and container ports
/// (name to number).
struct PodTemplate {
    namespace: String,
    labels: BTreeMap<String, String>,
    ports: BTreeMap<String, u64>,
}

fn text(value: &Value) -> &str {
    value.as_str().unwrap_or_default()
}

fn namespace(object: &Value) -> &str {
    text(&object["metadata"]["namespace"])
}

fn labels(value: &Value) -> BTreeMap<String, String> {
    value
        .as_object()
        .into_iter()
        .flatten()
        .map(|(key, value)| (key.clone(), text(value).to_owned()))
        .collect()
}

fn pod_templates(objects: &[Value]) -> Vec<PodTemplate> {
    objects
        .iter()
        .filter_map(|object| {
            let template = match text(&object["kind"]) {
                "Deployment" | "StatefulSet" | "DaemonSet" | "Job" | "Rollout" => {
                    &object["spec"]["template"]
                }
                "CronJob" => &object["spec"]["jobTemplate"]["spec"]["template"],
                _ => return None,
            };
            let ports = template["spec"]["containers"]
                .as_array()
                .into_iter()
                .flatten()
                .flat_map(|container| container["ports"].as_array().cloned().unwrap_or_default())
                .filter_map(|port| {
                    Some((
                        port["name"].as_str()?.to_owned(),
                        port["containerPort"].as_u64()?,
                    ))
                })
                .collect();
            Some(PodTemplate {
                namespace: namespace(object).to_owned(),
                labels: labels(&template["metadata"]["labels"]),
                ports,
            })
        })
        .collect()
}

fn selects(selector: &BTreeMap<String, String>, pod: &PodTemplate) -> bool {
    selector
        .iter()
        .all(|(key, value)| pod.labels.get(key) == Some(value))
}

/// The Services of the render: `(namespace, name)` to their ports (number
/// and name).
fn services(objects: &[Value]) -> BTreeMap<(String, String), Vec<(u64, String)>> {
    objects
        .iter()
        .filter(|object| object["kind"] == "Service")
        .map(|object| {
            let ports = object["spec"]["ports"]
                .as_array()
                .into_iter()
                .flatten()
                .map(|port| {
                    (
                        port["port"].as_u64().unwrap_or_default(),
                        text(&port["name"]).to_owned(),
                    )
                })
                .collect();
            (
                (
                    namespace(object).to_owned(),
                    text(&object["metadata"]["name"]).to_owned(),
                ),
                ports,
            )
        })
        .collect()
}

#[track_caller]
fn check(dir: &std::path::Path, environment: &str) -> usize {
    let stream = run(dir, &["render", environment]).success().stdout;
    let objects = python::documents(&stream);
    let pods = pod_templates(&objects);
    let services = services(&objects);
    let at = |object: &Value| {
        format!(
            "{} {environment}: {} {}/{}",
            dir.display(),
            text(&object["kind"]),
            namespace(object),
            text(&object["metadata"]["name"])
        )
    };
    let has_service = |namespace: &str, name: &str, port: &Value| {
        services
            .get(&(namespace.to_owned(), name.to_owned()))
            .is_some_and(|ports| {
                ports.iter().any(|(number, port_name)| {
                    port.as_u64() == Some(*number) || port.as_str() == Some(port_name)
                })
            })
    };
    let mut references = 0;
    for object in &objects {
        let ns = namespace(object);
        match text(&object["kind"]) {
            "Service" => {
                let selector = labels(&object["spec"]["selector"]);
                if selector.is_empty() {
                    continue;
                }
                references += 1;
                let selected: Vec<_> = pods
                    .iter()
                    .filter(|pod| pod.namespace == ns && selects(&selector, pod))
                    .collect();
                assert!(
                    !selected.is_empty(),
                    "{}: selector {selector:?} selects no pod",
                    at(object)
                );
                for port in object["spec"]["ports"].as_array().into_iter().flatten() {
                    if let Some(name) = port["targetPort"].as_str() {
                        assert!(
                            selected.iter().all(|pod| pod.ports.contains_key(name)),
                            "{}: target port `{name}` is not a port of every selected pod",
                            at(object)
                        );
                    }
                }
            }
            "Ingress" => {
                let rules = object["spec"]["rules"].as_array().into_iter().flatten();
                let paths = rules.flat_map(|rule| {
                    rule["http"]["paths"]
                        .as_array()
                        .cloned()
                        .unwrap_or_default()
                });
                let backends = paths
                    .map(|path| path["backend"].clone())
                    .chain(Some(object["spec"]["defaultBackend"].clone()).filter(|b| !b.is_null()));
                for backend in backends {
                    references += 1;
                    let service = &backend["service"];
                    let port = if service["port"]["number"].is_null() {
                        &service["port"]["name"]
                    } else {
                        &service["port"]["number"]
                    };
                    assert!(
                        has_service(ns, text(&service["name"]), port),
                        "{}: backend {service} is no Service port of the render",
                        at(object)
                    );
                }
            }
            "HTTPRoute" | "GRPCRoute" => {
                let rules = object["spec"]["rules"].as_array().into_iter().flatten();
                for backend in rules
                    .flat_map(|rule| rule["backendRefs"].as_array().cloned().unwrap_or_default())
                {
                    references += 1;
                    let backend_namespace = backend["namespace"].as_str().unwrap_or(ns);
                    assert!(
                        backend["kind"].as_str().unwrap_or("Service") == "Service"
                            && has_service(
                                backend_namespace,
                                text(&backend["name"]),
                                &backend["port"]
                            ),
                        "{}: backend {backend} is no Service port of the render",
                        at(object)
                    );
                }
            }
            "HorizontalPodAutoscaler" => {
                references += 1;
                let target = &object["spec"]["scaleTargetRef"];
                assert!(
                    objects.iter().any(|other| {
                        namespace(other) == ns
                            && other["kind"] == target["kind"]
                            && other["metadata"]["name"] == target["name"]
                    }),
                    "{}: scale target {target} is not in the render",
                    at(object)
                );
            }
            "PodDisruptionBudget" => {
                references += 1;
                let selector = labels(&object["spec"]["selector"]["matchLabels"]);
                let own_pods = pods
                    .iter()
                    .any(|pod| pod.namespace == ns && selects(&selector, pod));
                // An operator's pods carry the resource's name in a label,
                // alone or as a prefix (MongoDB's `app: <name>-svc`).
                let operator_pods = objects.iter().any(|other| {
                    let api_version = text(&other["apiVersion"]);
                    let name = text(&other["metadata"]["name"]);
                    namespace(other) == ns
                        && api_version.contains('.')
                        && !api_version.contains(".k8s.io/")
                        && selector.values().any(|value| {
                            value == name
                                || value
                                    .strip_prefix(name)
                                    .is_some_and(|rest| rest.starts_with('-'))
                        })
                });
                assert!(
                    !selector.is_empty() && (own_pods || operator_pods),
                    "{}: selector {selector:?} selects no pod of the render",
                    at(object)
                );
            }
            _ => {}
        }
    }
    references
}

#[test]
fn every_selector_backend_and_scale_target_of_every_platform_resolves() {
    let root = repository();
    let fixtures = root.join("tests/fixtures");
    let mut platforms = crate::support::platforms::examples();
    platforms.extend(
        [
            "data-services",
            "data-services-minio",
            "data-services-mongodb",
            "data-services-rabbitmq",
            "data-services-redis",
            "ingress",
        ]
        .map(|name| fixtures.join(name)),
    );
    let mut kinds_checked = 0;
    for dir in platforms {
        let mut environments: Vec<_> = std::fs::read_dir(dir.join("environments"))
            .unwrap()
            .map(|entry| {
                entry
                    .unwrap()
                    .path()
                    .file_stem()
                    .unwrap()
                    .to_string_lossy()
                    .into_owned()
            })
            .collect();
        environments.sort();
        for environment in environments {
            kinds_checked += check(&dir, &environment);
        }
    }
    assert!(
        kinds_checked > 50,
        "only {kinds_checked} references checked"
    );
}

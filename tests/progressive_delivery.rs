//! Progressive delivery with Argo Rollouts (`workloads.<name>.delivery`,
//! `tests/fixtures/progressive-delivery`): a Rollout instead of a
//! Deployment, with the traffic routing of each ingress (nginx in prod,
//! Gateway API in staging, pods' share in dev), canary and preview
//! Services, the AnalysisTemplate on Prometheus, autoscalers and monitors
//! that follow the Rollout, and the mistakes caught at their spec line.

use serde_json::{Value, json};

use crate::support::cli::{Platform, repository};
use crate::support::objects::{self, has, object};
use crate::support::{external, rejection, snapshot_settings};

fn fixture() -> std::path::PathBuf {
    repository().join("tests/fixtures/progressive-delivery")
}

fn render(environment: &str) -> Vec<Value> {
    objects::render(&fixture(), environment)
}

#[test]
fn a_workload_with_delivery_is_a_rollout_with_the_deployment_template() {
    let objects = render("prod");
    for name in ["web", "checkout", "worker"] {
        assert!(!has(&objects, "Deployment", name), "{name}: no Deployment");
        let rollout = object(&objects, "Rollout", name);
        assert_eq!(rollout["apiVersion"], "argoproj.io/v1alpha1");
        assert_eq!(rollout["metadata"]["namespace"], "shop");
        let selector = &rollout["spec"]["selector"]["matchLabels"];
        assert_eq!(selector["app.kubernetes.io/name"], name);
        // The pods carry what the selector selects, and the container is the
        // Deployment's: image pinned, probes, read-only root.
        let template = &rollout["spec"]["template"];
        for (key, value) in selector.as_object().expect("labels") {
            assert_eq!(&template["metadata"]["labels"][key], value, "{name}: {key}");
        }
        let container = &template["spec"]["containers"][0];
        assert!(
            container["image"]
                .as_str()
                .is_some_and(|i| i.contains("@sha256:")),
            "{container}"
        );
        assert_eq!(container["readinessProbe"]["httpGet"]["path"], "/ready");
        assert_eq!(container["securityContext"]["readOnlyRootFilesystem"], true);
        assert_eq!(rollout["spec"]["revisionHistoryLimit"], 5);
    }
    // An autoscaled Rollout leaves its replicas to the autoscaler.
    assert_eq!(
        object(&objects, "Rollout", "web")["spec"].get("replicas"),
        None
    );
    assert_eq!(
        object(&objects, "Rollout", "checkout")["spec"]["replicas"],
        3
    );
}

#[test]
fn the_nginx_canary_routes_through_the_stable_ingress_and_analyses_between_steps() {
    let objects = render("prod");
    let canary = &object(&objects, "Rollout", "web")["spec"]["strategy"]["canary"];
    let analysis = json!({
        "templates": [{ "templateName": "web" }],
        "args": [{ "name": "canary-hash", "valueFrom": { "podTemplateHashValue": "Latest" } }],
    });
    assert_eq!(
        canary,
        &json!({
            "canaryService": "web-canary",
            "stableService": "web",
            "trafficRouting": { "nginx": { "stableIngress": "web" } },
            "steps": [
                { "setWeight": 20 },
                { "pause": { "duration": "120s" } },
                { "analysis": analysis },
                { "setWeight": 60 },
                { "pause": {} },
            ],
        })
    );
    // The stable Ingress is the workload's own, to its own Service; the
    // canary Service has the same ports, and selects the same pods until
    // Argo Rollouts adds each version's hash.
    let ingress = object(&objects, "Ingress", "web");
    assert_eq!(
        ingress["spec"]["rules"][0]["http"]["paths"][0]["backend"]["service"]["name"],
        "web"
    );
    let stable = object(&objects, "Service", "web");
    let canary_service = object(&objects, "Service", "web-canary");
    assert_eq!(canary_service["spec"]["ports"], stable["spec"]["ports"]);
    assert_eq!(
        canary_service["spec"]["selector"],
        stable["spec"]["selector"]
    );
    assert_eq!(canary_service["spec"]["type"], "ClusterIP");
}

#[test]
fn the_analysis_template_measures_the_new_pods_in_prometheus() {
    let objects = render("prod");
    let template = object(&objects, "AnalysisTemplate", "web");
    assert_eq!(template["apiVersion"], "argoproj.io/v1alpha1");
    let spec = &template["spec"];
    assert_eq!(spec["args"], json!([{ "name": "canary-hash" }]));
    let selector = "namespace=\"shop\",rollouts_pod_template_hash=\"{{args.canary-hash}}\"";
    assert_eq!(
        spec["metrics"][0],
        json!({
            "name": "success-rate",
            "interval": "1m",
            "count": 5,
            "failureLimit": 1,
            "successCondition": "len(result) == 0 || isNaN(result[0]) || result[0] >= 0.995",
            "provider": { "prometheus": {
                "address": "http://prometheus-operated.monitoring.svc:9090",
                "query": format!(
                    "sum(rate(http_requests_total{{{selector},code!~\"5..\"}}[2m])) / \
                     sum(rate(http_requests_total{{{selector}}}[2m]))"
                ),
            } },
        })
    );
    assert_eq!(spec["metrics"][1]["name"], "latency-p99");
    assert_eq!(
        spec["metrics"][1]["successCondition"],
        "len(result) == 0 || isNaN(result[0]) || result[0] <= 0.5"
    );
    assert_eq!(
        spec["metrics"][1]["provider"]["prometheus"]["query"],
        format!(
            "histogram_quantile(0.99, sum by (le) (rate(http_request_duration_seconds_bucket{{{selector}}}[2m])))"
        )
    );
    // The series carry the hash because the PodMonitor copies it from the
    // pods; a ServiceMonitor would scrape through a Service the Rollout
    // points at one version.
    let monitor = object(&objects, "PodMonitor", "web");
    assert_eq!(
        monitor["spec"]["podTargetLabels"],
        json!(["rollouts-pod-template-hash"])
    );
    assert!(!has(&objects, "ServiceMonitor", "web"));
    // Checkout's own metric and status label.
    let checkout = object(&objects, "AnalysisTemplate", "checkout");
    let query = checkout["spec"]["metrics"][0]["provider"]["prometheus"]["query"]
        .as_str()
        .expect("query");
    assert!(
        query.starts_with("sum(rate(checkout_requests_total{") && query.contains("status!~\"5..\""),
        "{query}"
    );
}

#[test]
fn blue_green_has_active_and_preview_services_and_a_preview_host() {
    let objects = render("prod");
    let strategy = &object(&objects, "Rollout", "checkout")["spec"]["strategy"]["blueGreen"];
    assert_eq!(strategy["activeService"], "checkout");
    assert_eq!(strategy["previewService"], "checkout-preview");
    // Production waits for a person to promote.
    assert_eq!(strategy["autoPromotionEnabled"], false);
    assert_eq!(strategy["scaleDownDelaySeconds"], 120);
    assert_eq!(
        strategy["postPromotionAnalysis"]["templates"],
        json!([{ "templateName": "checkout" }])
    );
    assert!(has(&objects, "Service", "checkout-preview"));
    let preview = object(&objects, "Ingress", "checkout-preview");
    assert_eq!(
        preview["spec"]["rules"][0],
        json!({
            "host": "preview.checkout.shop.example.com",
            "http": { "paths": [{
                "path": "/",
                "pathType": "Prefix",
                "backend": { "service": { "name": "checkout-preview", "port": { "name": "http" } } },
            }] },
        })
    );
    assert_eq!(
        preview["spec"]["tls"],
        json!([{ "hosts": ["preview.checkout.shop.example.com"], "secretName": "checkout-preview-tls" }])
    );
    assert_eq!(preview["spec"]["ingressClassName"], "nginx");
    // Outside production a ready version is promoted on its own.
    let dev = render("dev");
    assert_eq!(
        object(&dev, "Rollout", "checkout")["spec"]["strategy"]["blueGreen"]["autoPromotionEnabled"],
        true
    );
}

#[test]
fn without_traffic_routing_the_canary_is_weighted_by_pods() {
    // Not exposed: the workload's Service keeps selecting both versions.
    let prod = render("prod");
    let worker = &object(&prod, "Rollout", "worker")["spec"]["strategy"]["canary"];
    assert_eq!(worker["canaryService"], "worker-canary");
    assert_eq!(worker.get("stableService"), None, "{worker}");
    assert_eq!(worker.get("trafficRouting"), None, "{worker}");
    assert_eq!(worker.get("analysis"), None, "{worker}");
    // traefik (dev) splits by pods as well.
    let dev = render("dev");
    let web = &object(&dev, "Rollout", "web")["spec"]["strategy"]["canary"];
    assert_eq!(web.get("trafficRouting"), None, "{web}");
}

#[test]
fn the_gateway_canary_shifts_the_http_route_weights_through_the_plugin() {
    let objects = render("staging");
    let canary = &object(&objects, "Rollout", "web")["spec"]["strategy"]["canary"];
    assert_eq!(canary["stableService"], "web");
    assert_eq!(
        canary["trafficRouting"],
        json!({ "plugins": { "argoproj-labs/gatewayAPI": { "httpRoute": "web", "namespace": "shop" } } })
    );
    let route = object(&objects, "HTTPRoute", "web");
    assert_eq!(
        route["spec"]["rules"][0]["backendRefs"],
        json!([
            { "name": "web", "port": 80, "weight": 100 },
            { "name": "web-canary", "port": 80, "weight": 0 },
        ])
    );
    // A route without a canary keeps its one unweighted backend.
    let checkout = object(&objects, "HTTPRoute", "checkout");
    assert_eq!(
        checkout["spec"]["rules"][0]["backendRefs"],
        json!([{ "name": "checkout", "port": 8080 }])
    );
    assert!(!has(&objects, "Ingress", "checkout-preview"));
}

/// The autoscaler must scale what owns the pods: an HPA left on a
/// Deployment would scale nothing (none is rendered) while the Rollout
/// stays at its initial size.
#[test]
fn autoscalers_and_disruption_budgets_target_the_rollout() {
    for environment in ["dev", "staging", "prod"] {
        let objects = render(environment);
        let hpa = object(&objects, "HorizontalPodAutoscaler", "web");
        assert_eq!(
            hpa["spec"]["scaleTargetRef"],
            json!({ "apiVersion": "argoproj.io/v1alpha1", "kind": "Rollout", "name": "web" }),
            "{environment}"
        );
        for autoscaler in objects
            .iter()
            .filter(|o| o["kind"] == "HorizontalPodAutoscaler" || o["kind"] == "ScaledObject")
        {
            let target = &autoscaler["spec"]["scaleTargetRef"];
            let kind = target["kind"].as_str().expect("kind");
            let name = target["name"].as_str().expect("name");
            assert!(
                has(&objects, kind, name),
                "{environment}: {} targets {kind}/{name}, which is not rendered",
                autoscaler["metadata"]["name"]
            );
        }
        let rollout = object(&objects, "Rollout", "checkout");
        let budget = object(&objects, "PodDisruptionBudget", "checkout");
        for (key, value) in budget["spec"]["selector"]["matchLabels"]
            .as_object()
            .expect("selector")
        {
            assert_eq!(
                &rollout["spec"]["template"]["metadata"]["labels"][key], value,
                "{environment}: the budget selects the Rollout's pods"
            );
        }
    }
}

#[test]
fn a_keda_scaled_rollout_is_scaled_by_its_scaled_object() {
    let platform = Platform::with(
        "platform: { name: shop, kubernetesVersion: \"1.33\" }
namespaces: { shop: {} }
workloads:
  worker:
    namespace: shop
    image: ghcr.io/acme/worker:1.0.0
    resources:
      requests: { cpu: 100m, memory: 128Mi }
      limits: { cpu: 500m, memory: 256Mi }
    autoscaling:
      min: 2
      max: 6
      events:
        prometheus: { serverAddress: \"http://prometheus.monitoring.svc:9090\", query: \"sum(jobs)\", threshold: \"10\" }
    delivery:
      canary: { steps: [{ setWeight: 50 }, { pause: 1m }] }
",
        &[("prod", "{}\n")],
    );
    let stream = platform.run(&["render", "prod"]).success().stdout;
    let objects = crate::support::python::documents(&stream);
    assert_eq!(
        object(&objects, "ScaledObject", "worker")["spec"]["scaleTargetRef"],
        json!({ "apiVersion": "argoproj.io/v1alpha1", "kind": "Rollout", "name": "worker" })
    );
    // No Service: the canary has no canary Service either.
    let canary = &object(&objects, "Rollout", "worker")["spec"]["strategy"]["canary"];
    assert_eq!(canary.get("canaryService"), None, "{canary}");
    assert!(!has(&objects, "Service", "worker-canary"));
}

#[test]
fn every_environment_is_strictly_valid() {
    external::assert_valid_and_clean(&fixture());
}

const BASE: &str = "\
platform: { name: shop, kubernetesVersion: \"1.33\" }
ingress: { controller: nginx, controllerNamespace: ingress-nginx }
domain: shop.example.com
monitoring: { namespace: monitoring }
namespaces: { shop: {} }
workloads:
  web:
    namespace: shop
    image: ghcr.io/acme/web:1.0.0
    replicas: 2
    ports: { http: { port: 8080 } }
    resources:
      requests: { cpu: 100m, memory: 128Mi }
      limits: { cpu: 500m, memory: 256Mi }
    metrics: { port: http }
    expose: { host: www }
    delivery:
      canary:
        steps: [{ setWeight: 20 }, { pause: 1m }, { analysis: {} }, { setWeight: 50 }]
      analysis: {}
  db:
    kind: StatefulSet
    namespace: shop
    image: ghcr.io/acme/db:1.0.0
    replicas: 1
    ports: { sql: { port: 5432 } }
    resources:
      requests: { cpu: 100m, memory: 128Mi }
      limits: { cpu: 500m, memory: 256Mi }
    storage: { size: 1Gi, mountPath: /data }
";

#[test]
fn mistakes_are_reported_where_they_were_made() {
    let cases = [
        (
            "delivery_on_a_stateful_set",
            "workloads:\n  db:\n    delivery: { canary: { steps: [{ setWeight: 50 }] } }\n",
        ),
        (
            "weights_not_rising",
            "workloads:\n  web:\n    delivery:\n      canary:\n        steps: [{ setWeight: 50 }, { pause: 1m }, { setWeight: 30 }]\n",
        ),
        (
            "step_with_two_actions",
            "workloads:\n  web:\n    delivery:\n      canary:\n        steps: [{ setWeight: 50, pause: 1m }]\n",
        ),
        (
            "bad_pause_and_weight",
            "workloads:\n  web:\n    delivery:\n      canary:\n        steps: [{ setWeight: 150 }, { pause: 1d }]\n",
        ),
        (
            "canary_of_one_pod_without_routing",
            "workloads:\n  web:\n    replicas: 1\n    expose: null\n",
        ),
        (
            "both_strategies",
            "workloads:\n  web:\n    delivery:\n      blueGreen: {}\n",
        ),
        ("analysis_without_monitoring", "monitoring: null\n"),
        (
            "analysis_without_metrics",
            "workloads:\n  web:\n    metrics: null\n",
        ),
        (
            "analysis_step_without_analysis",
            "workloads:\n  web:\n    delivery:\n      analysis: null\n",
        ),
        (
            "recreate_with_delivery",
            "workloads:\n  web:\n    rollout: recreate\n",
        ),
        (
            "blue_green_autoscaled_waiting_for_promotion",
            "workloads:\n  web:\n    autoscaling: { min: 2, max: 4, cpu: 70 }\n    delivery:\n      canary: null\n      analysis: null\n      blueGreen: {}\n",
        ),
        (
            "preview_host_is_the_workload_host",
            "workloads:\n  web:\n    delivery:\n      canary: null\n      blueGreen: { previewHost: www.shop.example.com, autoPromotion: true }\n",
        ),
        (
            "unknown_delivery_key",
            "workloads:\n  web:\n    delivery:\n      canary:\n        stepz: []\n",
        ),
    ];
    for (name, overlay) in cases {
        let report = rejection::rejected(&Platform::with(BASE, &[("prod", overlay)]), "prod");
        snapshot_settings().bind(|| insta::assert_snapshot!(name, report));
    }
}

#[test]
fn the_base_renders_and_a_canary_of_one_exposed_pod_is_allowed() {
    // With nginx splitting the traffic, one pod per version honours any
    // weight.
    let platform = Platform::with(BASE, &[("prod", "workloads:\n  web:\n    replicas: 1\n")]);
    let stream = platform.run(&["render", "prod"]).success().stdout;
    let objects = crate::support::python::documents(&stream);
    assert!(has(&objects, "Rollout", "web"));
    assert!(has(&objects, "AnalysisTemplate", "web"));
}

#[test]
fn the_example_health_api_rolls_out_as_a_canary_in_prod_only() {
    let prod = objects::render(&repository(), "prod");
    let canary = &object(&prod, "Rollout", "health-api")["spec"]["strategy"]["canary"];
    assert_eq!(
        canary["trafficRouting"]["nginx"]["stableIngress"],
        "health-api"
    );
    let steps = canary["steps"].as_array().expect("steps");
    assert!(
        steps.iter().any(|s| s.get("analysis").is_some()),
        "{canary}"
    );
    assert!(has(&prod, "AnalysisTemplate", "health-api"));
    for environment in ["dev", "staging"] {
        let objects = objects::render(&repository(), environment);
        assert!(has(&objects, "Deployment", "health-api"), "{environment}");
        assert!(!has(&objects, "Rollout", "health-api"), "{environment}");
    }
}

/// ArgoCD applies wave by wave: the AnalysisTemplate a Rollout runs, and
/// the Services and Ingress it names, must not come in a later wave than
/// the Rollout (the controller would mark it `InvalidSpec` meanwhile).
#[test]
fn what_a_rollout_names_is_synced_no_later_than_the_rollout() {
    const SYNC_WAVE: &str = "argocd.argoproj.io/sync-wave";
    let wave = |object: &Value| -> i64 {
        object["metadata"]["annotations"][SYNC_WAVE]
            .as_str()
            .and_then(|w| w.parse().ok())
            .unwrap_or(0)
    };
    let example = objects::render(&repository(), "prod");
    let fixture = render("prod");
    for objects in [&example, &fixture] {
        for rollout in objects.iter().filter(|o| o["kind"] == "Rollout") {
            let name = rollout["metadata"]["name"].as_str().expect("name");
            let strategy = &rollout["spec"]["strategy"];
            let mut named = vec![("AnalysisTemplate", name.to_owned())];
            for key in ["canaryService", "stableService"] {
                if let Some(service) = strategy["canary"][key].as_str() {
                    named.push(("Service", service.to_owned()));
                }
            }
            for key in ["activeService", "previewService"] {
                if let Some(service) = strategy["blueGreen"][key].as_str() {
                    named.push(("Service", service.to_owned()));
                }
            }
            for (kind, other) in named {
                if let Some(found) = objects
                    .iter()
                    .find(|o| o["kind"] == kind && o["metadata"]["name"] == other.as_str())
                {
                    // A template is configuration (wave 1); Services attach
                    // in the workloads' wave, applied before the Rollout by
                    // ArgoCD's kind order.
                    let in_time = if kind == "AnalysisTemplate" {
                        wave(found) < wave(rollout)
                    } else {
                        wave(found) <= wave(rollout)
                    };
                    assert!(
                        in_time,
                        "{kind}/{other} (wave {}) after Rollout/{name} (wave {})",
                        wave(found),
                        wave(rollout)
                    );
                }
            }
        }
    }
}

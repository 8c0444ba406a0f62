//! Scheduling through the real binary: PriorityClasses, node pools (selectors
//! and tolerations), GPUs and QoS by intent, in the built-in example and in
//! error reports (one snapshot per kind of mistake).

use serde_json::{Value, json};

use crate::support::cli::{MINIMAL_BASE, MINIMAL_PROD, Platform, repository, run};
use crate::support::python::documents;
use crate::support::snapshot_settings;

/// Platform-level settings and `web` scheduling lines added to MINIMAL_BASE.
fn base_with(platform_lines: &str, web_lines: &str) -> String {
    assert!(MINIMAL_BASE.contains("    uses: [db]\n"));
    let base = MINIMAL_BASE.replacen(
        "    uses: [db]\n",
        &format!("    uses: [db]\n{web_lines}"),
        1,
    );
    format!("{base}{platform_lines}")
}

const POOLS: &str = "\
nodePools:
  on-demand:
    nodeSelector: { node-pool: on-demand }
    taints: [{ key: node-pool, value: on-demand, effect: NoSchedule }]
  spot:
    nodeSelector: { cloud.google.com/gke-spot: \"true\" }
  gpu:
    nodeSelector: { cloud.google.com/gke-accelerator: nvidia-l4 }
    taints: [{ key: nvidia.com/gpu, effect: NoSchedule }]
priorityClasses:
  shop-critical: { value: 100000, description: Stores }
";

fn pod_spec<'a>(docs: &'a [Value], kind: &str, name: &str) -> &'a Value {
    // A Deployment with `delivery` is rendered as an Argo Rollout, with the
    // same pod template.
    let matches_kind =
        |d: &Value| d["kind"] == kind || (kind == "Deployment" && d["kind"] == "Rollout");
    &docs
        .iter()
        .find(|d| matches_kind(d) && d["metadata"]["name"] == name)
        .unwrap_or_else(|| panic!("no {kind} {name}"))["spec"]["template"]["spec"]
}

#[test]
fn node_pools_priority_classes_and_gpus_place_pods() {
    let platform = Platform::with(
        &base_with(
            POOLS,
            "    scheduling: { nodePool: gpu, priorityClass: shop-critical, nodeSelector: { zone-tier: a } }\n    qos: burstable\n",
        )
        .replace(
            "      limits: { cpu: 500m, memory: 256Mi }\n    uses",
            "      limits: { cpu: 500m, memory: 256Mi, gpu: 1 }\n    uses",
        ),
        &[("prod", MINIMAL_PROD)],
    );
    let docs = documents(&platform.run(&["render", "prod"]).success().stdout);
    let class = docs
        .iter()
        .find(|d| d["kind"] == "PriorityClass")
        .expect("PriorityClass");
    assert_eq!(class["metadata"]["name"], "shop-critical");
    assert_eq!(class["value"], 100_000);
    let pod = pod_spec(&docs, "Deployment", "web");
    assert_eq!(pod["priorityClassName"], "shop-critical");
    assert_eq!(
        pod["nodeSelector"],
        json!({ "cloud.google.com/gke-accelerator": "nvidia-l4", "zone-tier": "a" })
    );
    // The pool tolerates the GPU taint already: one toleration, not two.
    assert_eq!(
        pod["tolerations"],
        json!([{ "key": "nvidia.com/gpu", "operator": "Exists", "effect": "NoSchedule" }])
    );
    assert_eq!(
        pod["containers"][0]["resources"]["limits"]["nvidia.com/gpu"],
        "1"
    );
}

#[test]
fn the_example_places_stores_and_services_by_pool_and_priority() {
    let docs = documents(&run(&repository(), &["render", "prod"]).success().stdout);
    for database in ["postgres", "webauthn-postgres"] {
        let spec = &docs
            .iter()
            .find(|d| d["kind"] == "Cluster" && d["metadata"]["name"] == database)
            .unwrap_or_else(|| panic!("no Cluster {database}"))["spec"];
        assert_eq!(
            spec["priorityClassName"], "health-platform-data",
            "{database}"
        );
        let affinity = &spec["affinity"];
        assert_eq!(
            affinity["nodeSelector"],
            json!({ "doks.digitalocean.com/node-pool": "critical" }),
            "{database}"
        );
        assert_eq!(
            affinity["tolerations"],
            json!([{ "key": "node-pool", "operator": "Equal", "value": "critical", "effect": "NoSchedule" }]),
            "{database}"
        );
        // Guaranteed QoS: requests equal limits.
        assert_eq!(
            spec["resources"]["requests"], spec["resources"]["limits"],
            "{database}"
        );
    }
    let tenant = &docs
        .iter()
        .find(|d| d["kind"] == "Tenant" && d["metadata"]["name"] == "minio")
        .expect("Tenant minio")["spec"];
    assert_eq!(tenant["priorityClassName"], "health-platform-data");
    let pool = &tenant["pools"][0];
    assert_eq!(
        pool["nodeSelector"],
        json!({ "doks.digitalocean.com/node-pool": "critical" })
    );
    assert_eq!(
        pool["tolerations"],
        json!([{ "key": "node-pool", "operator": "Equal", "value": "critical", "effect": "NoSchedule" }])
    );
    // Guaranteed QoS: requests equal limits.
    assert_eq!(pool["resources"]["requests"], pool["resources"]["limits"]);
    // The broker, through the RabbitMQ Cluster Operator: placement in its
    // pod template override, tolerations in its own field.
    let broker = &docs
        .iter()
        .find(|d| d["kind"] == "RabbitmqCluster" && d["metadata"]["name"] == "rabbitmq")
        .expect("RabbitmqCluster rabbitmq")["spec"];
    let pod = &broker["override"]["statefulSet"]["spec"]["template"]["spec"];
    assert_eq!(pod["priorityClassName"], "health-platform-data");
    assert_eq!(
        pod["nodeSelector"],
        json!({ "doks.digitalocean.com/node-pool": "critical" })
    );
    assert_eq!(
        broker["tolerations"],
        json!([{ "key": "node-pool", "operator": "Equal", "value": "critical", "effect": "NoSchedule" }])
    );
    assert_eq!(
        broker["resources"]["requests"],
        broker["resources"]["limits"]
    );
    for redis in ["redis", "webauthn-redis"] {
        for kind in ["RedisReplication", "RedisSentinel"] {
            let spec = &docs
                .iter()
                .find(|d| d["kind"] == kind && d["metadata"]["name"] == redis)
                .unwrap_or_else(|| panic!("no {kind} {redis}"))["spec"];
            assert_eq!(spec["priorityClassName"], "health-platform-data", "{redis}");
            assert_eq!(
                spec["nodeSelector"],
                json!({ "doks.digitalocean.com/node-pool": "critical" }),
                "{kind} {redis}"
            );
            assert_eq!(
                spec["tolerations"],
                json!([{ "key": "node-pool", "operator": "Equal", "value": "critical", "effect": "NoSchedule" }]),
                "{kind} {redis}"
            );
            if kind == "RedisReplication" {
                // Guaranteed QoS: requests equal limits.
                let resources = &spec["kubernetesConfig"]["resources"];
                assert_eq!(resources["requests"], resources["limits"], "{redis}");
            }
        }
    }
    for service in ["health-api", "etl-engine", "webauthn-server"] {
        let pod = pod_spec(&docs, "Deployment", service);
        assert_eq!(pod["priorityClassName"], "health-platform-services");
        assert_eq!(
            pod["nodeSelector"],
            json!({ "doks.digitalocean.com/node-pool": "burstable" })
        );
        // The ETL engine may scale down to one replica (its queue holds the
        // work), where a budget would block drains instead.
        let budget = docs
            .iter()
            .any(|d| d["kind"] == "PodDisruptionBudget" && d["metadata"]["name"] == service);
        assert_eq!(
            budget,
            service != "etl-engine",
            "{service} runs on burstable nodes with a disruption budget when replicated"
        );
    }
    // Development is one node: no pools.
    let dev = documents(&run(&repository(), &["render", "dev"]).success().stdout);
    let redis = &dev
        .iter()
        .find(|d| d["kind"] == "Redis" && d["metadata"]["name"] == "redis")
        .expect("a standalone Redis in development")["spec"];
    assert!(redis.get("nodeSelector").is_none() && redis.get("tolerations").is_none());
}

/// Renders `prod`, expects exit code 2 and no output, and snapshots the report.
#[track_caller]
fn error_case(name: &str, base: &str) {
    let platform = Platform::with(base, &[("prod", MINIMAL_PROD)]);
    let run = platform.run(&["render", "prod"]);
    assert_eq!(run.code, 2, "{}", run.report(platform.path()));
    assert_eq!(run.stdout, "");
    assert!(!run.stderr.contains("panicked"), "{}", run.stderr);
    snapshot_settings().bind(|| insta::assert_snapshot!(name, run.report(platform.path())));
}

#[test]
fn unknown_priority_class() {
    error_case(
        "unknown_priority_class",
        &base_with(POOLS, "    scheduling: { priorityClass: shop-critcal }\n"),
    );
}

#[test]
fn unknown_node_pool() {
    error_case(
        "unknown_node_pool",
        &base_with(POOLS, "    scheduling: { nodePool: on-demnd }\n"),
    );
}

#[test]
fn node_selector_conflicts_with_the_pool() {
    error_case(
        "node_selector_conflict",
        &base_with(
            POOLS,
            "    scheduling: { nodePool: on-demand, nodeSelector: { node-pool: spot } }\n",
        ),
    );
}

#[test]
fn guaranteed_with_requests_below_limits() {
    error_case(
        "guaranteed_requests_differ_from_limits",
        &base_with("", "    qos: guaranteed\n"),
    );
}

#[test]
fn priority_class_mistakes() {
    error_case(
        "priority_class_mistakes",
        &base_with(
            "\
priorityClasses:
  system-shop: { value: 10 }
  shop-high: { value: 2000000000, globalDefault: true }
  shop-low: { value: 1, globalDefault: true }
nodePools:
  spot:
    taints: [{ key: spot instance, effect: NoSchedule }]
",
            "",
        ),
    );
}

#[test]
fn burstable_that_is_guaranteed_is_a_warning() {
    let base = base_with("", "    qos: burstable\n").replacen(
        "      limits: { cpu: 500m, memory: 256Mi }\n    uses",
        "      limits: { cpu: 100m, memory: 128Mi }\n    uses",
        1,
    );
    let platform = Platform::with(&base, &[("prod", MINIMAL_PROD)]);
    let run = platform.run(&["render", "prod"]).success();
    assert!(
        run.stderr.contains(
            "warning[PG3018]: `web` is `qos: burstable` but its requests equal its limits"
        ),
        "{}",
        run.stderr
    );
}

/// `replicas` beside `autoscaling` is dead only where this environment sets
/// it: a base `replicas` may serve environments that turn autoscaling off.
#[test]
fn replicas_set_by_an_autoscaled_environment_are_a_warning_at_their_line() {
    let web_line = "  web: { replicas: 3 }\n";
    assert!(MINIMAL_PROD.contains(web_line));
    let set_here = Platform::with(
        MINIMAL_BASE,
        &[(
            "prod",
            &MINIMAL_PROD.replace(
                web_line,
                "  web:\n    replicas: 3\n    autoscaling: { min: 2, max: 5, cpu: 70 }\n",
            ),
        )],
    );
    let run = set_here.run(&["render", "prod"]).success();
    // The whole warning: its code, `replicas: 3` at line 5 of the overlay
    // with a caret, and the hint.
    snapshot_settings().bind(|| insta::assert_snapshot!("replicas_ignored_warning", run.stderr));

    let base_only = Platform::with(
        &MINIMAL_BASE.replace("    uses: [db]\n", "    uses: [db]\n    replicas: 2\n"),
        &[(
            "prod",
            &MINIMAL_PROD.replace(
                web_line,
                "  web:\n    autoscaling: { min: 2, max: 5, cpu: 70 }\n",
            ),
        )],
    );
    let run = base_only.run(&["render", "prod"]).success();
    assert!(!run.stderr.contains("PG3014"), "{}", run.stderr);
}

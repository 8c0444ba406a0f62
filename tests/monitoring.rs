//! Monitoring (docs/operations.md): every ServiceMonitor and PodMonitor of
//! every platform selects exactly its workload's Service or pods, or its
//! operator's pods, on a port they have; the monitoring fixture's objects
//! pass their CRD schemas; network policies admit Prometheus to exactly the
//! scraped ports; the alert rules of each kind of workload are snapshotted
//! with their severities per tier; and mistakes (PromQL, durations, the
//! prober's address) are reported at their spec line. Every workload gets a
//! Grafana dashboard whose every query parses, one snapshotted.

use std::collections::BTreeMap;

use serde_json::Value;

use platformgen::capabilities::monitoring::analyze::parse_promql;

use crate::support::cli::{MINIMAL_BASE, MINIMAL_PROD, Platform, repository, run};
use crate::support::{external, python, rejection, snapshot_settings};

fn fixture() -> std::path::PathBuf {
    repository().join("tests/fixtures/monitoring")
}

fn text(value: &Value) -> &str {
    value.as_str().unwrap_or_default()
}

fn namespace(object: &Value) -> &str {
    text(&object["metadata"]["namespace"])
}

fn name(object: &Value) -> &str {
    text(&object["metadata"]["name"])
}

fn labels(value: &Value) -> BTreeMap<String, String> {
    value
        .as_object()
        .into_iter()
        .flatten()
        .map(|(key, value)| (key.clone(), text(value).to_owned()))
        .collect()
}

fn selects(selector: &BTreeMap<String, String>, labels: &BTreeMap<String, String>) -> bool {
    !selector.is_empty() && selector.iter().all(|(k, v)| labels.get(k) == Some(v))
}

fn render(dir: &std::path::Path, environment: &str) -> Vec<Value> {
    python::documents(&run(dir, &["render", environment]).success().stdout)
}

/// The render's objects of `kind`.
fn of_kind<'a>(objects: &'a [Value], kind: &str) -> Vec<&'a Value> {
    objects.iter().filter(|o| o["kind"] == kind).collect()
}

/// A workload object's pod template (a CronJob's is in its Job template).
fn template(workload: &Value) -> &Value {
    if workload["kind"] == "CronJob" {
        &workload["spec"]["jobTemplate"]["spec"]["template"]
    } else {
        &workload["spec"]["template"]
    }
}

/// The container port names of a workload object's pod template.
fn container_ports(workload: &Value) -> Vec<String> {
    template(workload)["spec"]["containers"]
        .as_array()
        .into_iter()
        .flatten()
        .flat_map(|c| c["ports"].as_array().cloned().unwrap_or_default())
        .map(|p| text(&p["name"]).to_owned())
        .collect()
}

/// Checks every monitor of one render; returns how many it checked.
#[track_caller]
fn check_monitors(dir: &std::path::Path, environment: &str) -> usize {
    let objects = render(dir, environment);
    let at = |o: &Value| {
        format!(
            "{} {environment}: {} {}/{}",
            dir.display(),
            text(&o["kind"]),
            namespace(o),
            name(o)
        )
    };
    let workloads: Vec<&Value> = objects
        .iter()
        .filter(|o| {
            matches!(
                text(&o["kind"]),
                "Deployment" | "StatefulSet" | "DaemonSet" | "Job" | "CronJob" | "Rollout"
            )
        })
        .collect();
    let mut checked = 0;
    for monitor in of_kind(&objects, "ServiceMonitor") {
        checked += 1;
        let selector = labels(&monitor["spec"]["selector"]["matchLabels"]);
        let services: Vec<&Value> = of_kind(&objects, "Service")
            .into_iter()
            .filter(|s| {
                namespace(s) == namespace(monitor)
                    && selects(&selector, &labels(&s["metadata"]["labels"]))
            })
            .collect();
        assert_eq!(
            services.len(),
            1,
            "{}: selects {} Services",
            at(monitor),
            services.len()
        );
        let service = services[0];
        assert_eq!(
            name(service),
            name(monitor),
            "{}: selects another workload's Service",
            at(monitor)
        );
        let pods = labels(&service["spec"]["selector"]);
        let owners: Vec<&&Value> = workloads
            .iter()
            .filter(|w| {
                namespace(w) == namespace(monitor)
                    && selects(&pods, &labels(&template(w)["metadata"]["labels"]))
            })
            .collect();
        assert_eq!(
            owners.len(),
            1,
            "{}: its Service selects {} workloads",
            at(monitor),
            owners.len()
        );
        for endpoint in monitor["spec"]["endpoints"]
            .as_array()
            .into_iter()
            .flatten()
        {
            let port = text(&endpoint["port"]);
            let service_port = service["spec"]["ports"]
                .as_array()
                .into_iter()
                .flatten()
                .find(|p| p["name"] == port)
                .unwrap_or_else(|| {
                    panic!("{}: port `{port}` is no port of its Service", at(monitor))
                });
            let target = text(&service_port["targetPort"]);
            assert!(
                container_ports(owners[0]).iter().any(|p| p == target),
                "{}: the Service port `{port}` targets `{target}`, no port of the pods",
                at(monitor)
            );
        }
    }
    for monitor in of_kind(&objects, "PodMonitor") {
        checked += 1;
        let selector = labels(&monitor["spec"]["selector"]["matchLabels"]);
        let owners: Vec<&&Value> = workloads
            .iter()
            .filter(|w| {
                namespace(w) == namespace(monitor)
                    && selects(&selector, &labels(&template(w)["metadata"]["labels"]))
            })
            .collect();
        let endpoints: Vec<&str> = monitor["spec"]["podMetricsEndpoints"]
            .as_array()
            .into_iter()
            .flatten()
            .map(|e| text(&e["port"]))
            .collect();
        assert!(!endpoints.is_empty(), "{}: no endpoint", at(monitor));
        if owners.is_empty() {
            // An operator's pods: the selector names an operator resource
            // of the namespace, whose name the monitor carries.
            let resource = objects.iter().find(|o| {
                namespace(o) == namespace(monitor)
                    && name(o) == name(monitor)
                    && text(&o["apiVersion"]).contains('.')
                    && !text(&o["apiVersion"]).contains(".k8s.io/")
                    && o["kind"] != "PodMonitor"
                    && selector.values().any(|v| v == name(o))
            });
            let resource =
                resource.unwrap_or_else(|| panic!("{}: selects no pod of the render", at(monitor)));
            let expected = match text(&resource["kind"]) {
                "Cluster" => "metrics",
                "RabbitmqCluster" => "prometheus",
                other => panic!(
                    "{}: no known metrics port for operator kind {other}",
                    at(monitor)
                ),
            };
            assert_eq!(endpoints, [expected], "{}", at(monitor));
        } else {
            assert_eq!(
                owners.len(),
                1,
                "{}: selects {} workloads",
                at(monitor),
                owners.len()
            );
            assert_eq!(
                name(owners[0]),
                name(monitor),
                "{}: selects another workload",
                at(monitor)
            );
            let ports = container_ports(owners[0]);
            for port in endpoints {
                assert!(
                    ports.iter().any(|p| p == port),
                    "{}: `{port}` is no port of its pods",
                    at(monitor)
                );
            }
        }
    }
    checked
}

#[test]
fn every_monitor_selects_exactly_its_workload_on_a_port_it_has() {
    let root = repository();
    let mut platforms = vec![root.clone()];
    let fixtures = std::fs::read_dir(root.join("tests/fixtures")).expect("tests/fixtures");
    let mut fixtures: Vec<_> = fixtures
        .map(|e| e.expect("an entry").path())
        .filter(|p| p.join("platform.yaml").is_file())
        .collect();
    fixtures.sort();
    platforms.extend(fixtures);
    platforms.extend(crate::support::examples::seed_examples().map(|(_, dir, _)| dir));
    let mut checked = 0;
    for dir in platforms {
        let mut environments: Vec<String> = std::fs::read_dir(dir.join("environments"))
            .expect("environments/")
            .map(|e| {
                e.expect("an entry")
                    .path()
                    .file_stem()
                    .expect("a name")
                    .to_string_lossy()
                    .into_owned()
            })
            .collect();
        environments.sort();
        for environment in environments {
            checked += check_monitors(&dir, &environment);
        }
    }
    // The example's 5 ServiceMonitors and 3 PodMonitors in 3 environments,
    // and the fixture's own.
    assert!(checked >= 30, "only {checked} monitors checked");
}

#[test]
fn monitoring_fixture_renders_are_strictly_valid() {
    let out = tempfile::tempdir().expect("temporary directory");
    let out_dir = out.path().to_str().expect("UTF-8 path");
    run(&fixture(), &["render", "--all", "--out", out_dir]).success();
    let report = external::validate_manifests(&[out.path()]);
    assert!(report.contains(", 0 failed"), "{report}");
    let prod = std::fs::read_dir(out.path().join("prod/shop")).expect("prod/shop");
    let files: Vec<String> = prod
        .map(|e| {
            e.expect("an entry")
                .file_name()
                .to_string_lossy()
                .into_owned()
        })
        .collect();
    for kind in [
        "servicemonitor",
        "podmonitor",
        "probe",
        "prometheusrule",
        "alertmanagerconfig",
    ] {
        assert!(
            files
                .iter()
                .any(|f| f.starts_with(&format!("{kind}.monitoring.coreos.com-"))),
            "no {kind} rendered and validated: {files:?}"
        );
    }
    // Every one carries the labels Prometheus selects by.
    let objects = render(&fixture(), "prod");
    let monitoring: Vec<&Value> = objects
        .iter()
        .filter(|o| text(&o["apiVersion"]).starts_with("monitoring.coreos.com/"))
        .collect();
    assert_eq!(
        monitoring.len(),
        10,
        "5 monitors, 1 probe, 2 rules, 2 alert routings"
    );
    for object in monitoring {
        assert_eq!(
            object["metadata"]["labels"]["prometheus"], "shop",
            "{object}"
        );
    }
}

/// Which monitor scrapes what, with the selector labels and the scrape
/// settings: the exposed Deployment through its Service, the StatefulSet,
/// the Service-less worker and the CronJob as pods, CloudNativePG's instances by the
/// operator's labels.
#[test]
fn each_kind_of_workload_gets_its_monitor() {
    let objects = render(&fixture(), "prod");
    let monitors: Vec<String> = objects
        .iter()
        .filter(|o| matches!(text(&o["kind"]), "ServiceMonitor" | "PodMonitor"))
        .map(|o| {
            let endpoint = o["spec"]["endpoints"]
                .get(0)
                .or_else(|| o["spec"]["podMetricsEndpoints"].get(0))
                .cloned()
                .unwrap_or_default();
            format!(
                "{} {}/{} selected-by={} port={} path={} interval={} timeout={}",
                text(&o["kind"]),
                namespace(o),
                name(o),
                text(&o["metadata"]["labels"]["prometheus"]),
                text(&endpoint["port"]),
                text(&endpoint["path"]),
                text(&endpoint["interval"]),
                text(&endpoint["scrapeTimeout"]),
            )
        })
        .collect();
    assert_eq!(
        monitors,
        [
            "PodMonitor shop/nightly-export selected-by=shop port=metrics path=/metrics interval=30s timeout=10s",
            "PodMonitor shop/worker selected-by=shop port=metrics path=/custom-metrics interval=30s timeout=10s",
            "PodMonitor shop-data/cache selected-by=shop port=metrics path=/metrics interval=1m timeout=20s",
            "PodMonitor shop-data/shop-db selected-by=shop port=metrics path=/metrics interval= timeout=",
            "ServiceMonitor shop/web selected-by=shop port=metrics path=/metrics interval=15s timeout=7500ms",
        ]
    );
}

/// The uptime probe of the public host, through the configured prober, and
/// none where the overlay removes the exporter.
#[test]
fn public_hosts_are_probed_through_the_blackbox_exporter() {
    let probes = |environment: &str| -> Vec<Value> {
        render(&fixture(), environment)
            .into_iter()
            .filter(|o| o["kind"] == "Probe")
            .collect()
    };
    let prod = probes("prod");
    assert_eq!(prod.len(), 1, "{prod:?}");
    let spec = &prod[0]["spec"];
    assert_eq!(
        spec["prober"],
        serde_json::json!({ "url": "blackbox-exporter.monitoring.svc:9115", "scheme": "http", "path": "/probe" })
    );
    assert_eq!(spec["module"], "http_2xx");
    assert_eq!(
        spec["targets"]["staticConfig"]["static"],
        serde_json::json!(["https://shop.example.com/"])
    );
    assert_eq!(prod[0]["metadata"]["labels"]["prometheus"], "shop");
    assert!(
        probes("dev").is_empty(),
        "dev removes the blackbox exporter"
    );
}

/// Prometheus reaches each scraped pod on its metrics port and on no other.
#[test]
fn prometheus_reaches_exactly_the_scraped_ports() {
    let objects = render(&fixture(), "prod");
    let mut admitted: BTreeMap<String, Vec<u64>> = BTreeMap::new();
    for policy in of_kind(&objects, "NetworkPolicy") {
        let target = labels(&policy["spec"]["podSelector"]["matchLabels"]);
        let target = target
            .get("app.kubernetes.io/name")
            .or_else(|| target.get("cnpg.io/cluster"))
            .cloned()
            .unwrap_or_default();
        for rule in policy["spec"]["ingress"].as_array().into_iter().flatten() {
            let from_prometheus = rule["from"].as_array().into_iter().flatten().any(|peer| {
                peer["namespaceSelector"]["matchLabels"]["kubernetes.io/metadata.name"]
                    == "monitoring"
            });
            if from_prometheus {
                let ports = rule["ports"]
                    .as_array()
                    .into_iter()
                    .flatten()
                    .filter_map(|p| p["port"].as_u64());
                admitted.entry(target.clone()).or_default().extend(ports);
            }
        }
    }
    assert_eq!(
        admitted,
        BTreeMap::from([
            ("cache".to_owned(), vec![9121]),
            ("nightly-export".to_owned(), vec![9102]),
            ("shop-db".to_owned(), vec![9187]),
            ("web".to_owned(), vec![9090]),
            ("worker".to_owned(), vec![9100]),
        ])
    );
}

/// The PrometheusRules of every tier: the built-in alerts of a Deployment
/// (autoscaled and exposed), a StatefulSet with a volume and a worker, and
/// a workload's own alert.
#[test]
fn alert_rules_per_kind_of_workload_and_tier() {
    for environment in ["dev", "staging", "prod"] {
        let stream = run(&fixture(), &["render", environment]).success().stdout;
        let rules: Vec<&str> = stream
            .split("\n---\n")
            .filter(|doc| doc.contains("\nkind: PrometheusRule\n"))
            .collect();
        assert_eq!(
            rules.len(),
            2,
            "{environment}: one rule per namespace with workloads"
        );
        snapshot_settings().bind(|| {
            insta::assert_snapshot!(format!("alert_rules_{environment}"), rules.join("\n---\n"))
        });
    }
    // Severities per tier: production pages, staging notifies.
    let severities = |environment: &str| -> BTreeMap<String, String> {
        let objects = render(&fixture(), environment);
        of_kind(&objects, "PrometheusRule")
            .iter()
            .flat_map(|r| r["spec"]["groups"].as_array().cloned().unwrap_or_default())
            .flat_map(|g| g["rules"].as_array().cloned().unwrap_or_default())
            .filter(|r| r["labels"]["workload"] == "web")
            .map(|r| {
                (
                    text(&r["alert"]).to_owned(),
                    text(&r["labels"]["severity"]).to_owned(),
                )
            })
            .collect()
    };
    let prod = severities("prod");
    assert_eq!(prod["WorkloadCrashLooping"], "critical");
    assert_eq!(prod["PublicHostDown"], "critical");
    assert_eq!(
        prod["AutoscalerAtMaximum"], "warning",
        "capacity never pages"
    );
    assert_eq!(
        prod["WebSlowCheckout"], "warning",
        "the alert's own severity"
    );
    assert_eq!(severities("staging")["WorkloadCrashLooping"], "warning");
    assert_eq!(severities("dev")["WorkloadCrashLooping"], "info");
}

/// Alertmanager routing: one AlertmanagerConfig beside each PrometheusRule
/// (the operator scopes it to its namespace's alerts), severities routed to
/// their receivers, keys from the credentials Secret; an ExternalSecret of
/// the keys in each namespace when they come from a store.
#[test]
fn alerts_are_routed_by_severity_in_each_namespace() {
    let objects = render(&fixture(), "prod");
    let configs = of_kind(&objects, "AlertmanagerConfig");
    let rules = of_kind(&objects, "PrometheusRule");
    let namespaces = |objects: &[&Value]| -> Vec<String> {
        objects.iter().map(|o| namespace(o).to_owned()).collect()
    };
    assert_eq!(namespaces(&configs), namespaces(&rules));
    let spec = &configs[0]["spec"];
    assert_eq!(spec["route"]["receiver"], "chat");
    assert_eq!(
        spec["route"]["routes"],
        serde_json::json!([
            { "receiver": "ops", "matchers": [{ "name": "severity", "value": "critical" }] },
            { "receiver": "chat", "matchers": [{ "name": "severity", "value": "warning" }] },
        ])
    );
    assert_eq!(
        spec["receivers"][0]["opsgenieConfigs"][0]["apiKey"],
        serde_json::json!({ "name": "alerting-keys", "key": "opsgenie-api-key" })
    );
    assert_eq!(spec["receivers"][1]["slackConfigs"][0]["channel"], "#shop");
    assert!(
        of_kind(&objects, "ExternalSecret").is_empty(),
        "an existing Secret renders nothing"
    );
    // The example's keys come from Vault: an ExternalSecret beside each
    // AlertmanagerConfig, writing the Secret it names.
    let example = render(&repository(), "prod");
    let configs = of_kind(&example, "AlertmanagerConfig");
    assert_eq!(configs.len(), 3);
    for config in configs {
        let secret =
            text(&config["spec"]["receivers"][0]["pagerdutyConfigs"][0]["routingKey"]["name"]);
        let external = example.iter().find(|o| {
            o["kind"] == "ExternalSecret" && namespace(o) == namespace(config) && name(o) == secret
        });
        let external = external
            .unwrap_or_else(|| panic!("no ExternalSecret {secret} in {}", namespace(config)));
        assert_eq!(external["spec"]["target"]["name"], secret);
    }
    assert!(
        of_kind(&render(&repository(), "dev"), "AlertmanagerConfig").is_empty(),
        "development pages nobody"
    );
}

#[test]
fn without_monitoring_nothing_is_rendered_for_prometheus() {
    let platform = Platform::with(MINIMAL_BASE, &[("prod", MINIMAL_PROD)]);
    let stream = platform.run(&["render", "prod"]).success().stdout;
    assert!(!stream.contains("monitoring.coreos.com"), "{stream}");
}

/// Without network policies, nothing else catches `metrics` that nothing
/// scrapes: a warning, and the render goes on.
#[test]
fn metrics_without_monitoring_are_a_warning_without_policies() {
    let base = rejection::minimal_base_with(
        "    uses: [db]\n",
        "    uses: [db]\n    metrics: { port: http }\n",
    ) + "network: { policies: false }\n";
    let platform = Platform::with(&base, &[("prod", MINIMAL_PROD)]);
    let run = platform.run(&["render", "prod"]).success();
    assert!(
        run.stderr
            .contains("warning[PG3061]: `web` declares `metrics`, but `monitoring` is not set"),
        "{}",
        run.stderr
    );
    assert!(!run.stdout.contains("monitoring.coreos.com"));
}

/// The dashboard ConfigMaps of a render, by `namespace/name`, with their
/// one dashboard parsed.
fn dashboards(objects: &[Value]) -> BTreeMap<String, Value> {
    of_kind(objects, "ConfigMap")
        .into_iter()
        .filter(|o| o["metadata"]["labels"]["grafana_dashboard"] == "1")
        .map(|o| {
            let data = o["data"].as_object().cloned().unwrap_or_default();
            assert_eq!(data.len(), 1, "one dashboard per ConfigMap: {o}");
            let json = data.values().next().map(text).unwrap_or_default();
            let dashboard: Value = serde_json::from_str(json).expect("valid dashboard JSON");
            (format!("{}/{}", namespace(o), name(o)), dashboard)
        })
        .collect()
}

/// Every workload of the fixture, of every kind, gets a dashboard in its
/// namespace: Grafana's current model, the Prometheus datasource variable,
/// stable panel ids, every query parsing and selecting the workload's
/// namespace, and the panels its kind and spec call for.
#[test]
fn every_workload_gets_a_dashboard_whose_queries_parse() {
    for environment in ["dev", "staging", "prod"] {
        let objects = render(&fixture(), environment);
        let dashboards = dashboards(&objects);
        assert_eq!(
            dashboards.keys().collect::<Vec<_>>(),
            [
                "shop-data/cache-dashboard",
                "shop/migrate-dashboard",
                "shop/nightly-export-dashboard",
                "shop/web-dashboard",
                "shop/worker-dashboard",
            ],
            "{environment}"
        );
        let mut uids = std::collections::BTreeSet::new();
        for (key, dashboard) in &dashboards {
            let (namespace, _) = key.split_once('/').unwrap_or_default();
            assert_eq!(dashboard["schemaVersion"], 41, "{key}");
            assert_eq!(text(&dashboard["uid"]).len(), 40, "{key}");
            uids.insert(text(&dashboard["uid"]).to_owned());
            let variable = &dashboard["templating"]["list"][0];
            assert_eq!(variable["type"], "datasource", "{key}");
            assert_eq!(variable["query"], "prometheus", "{key}");
            let panels = dashboard["panels"].as_array().cloned().unwrap_or_default();
            assert!(panels.len() >= 4, "{key}");
            for (index, panel) in panels.iter().enumerate() {
                assert_eq!(panel["id"], index + 1, "{key}: stable panel ids");
                assert_eq!(panel["datasource"]["uid"], "${datasource}", "{key}");
                let targets = panel["targets"].as_array().cloned().unwrap_or_default();
                assert!(!targets.is_empty(), "{key}: {panel}");
                for target in targets {
                    let expr = text(&target["expr"]);
                    assert!(parse_promql(expr).is_ok(), "{key}: {expr}");
                    assert!(
                        expr.contains(&format!("namespace=\"{namespace}\"")),
                        "{key}: {expr}"
                    );
                }
            }
        }
        assert_eq!(uids.len(), dashboards.len(), "unique uids");
    }
    let objects = render(&fixture(), "prod");
    let dashboards = dashboards(&objects);
    let titles = |key: &str| -> Vec<String> {
        dashboards[key]["panels"]
            .as_array()
            .into_iter()
            .flatten()
            .map(|p| text(&p["title"]).to_owned())
            .collect()
    };
    assert_eq!(
        titles("shop-data/cache-dashboard"),
        [
            "CPU (cores)",
            "Memory (working set)",
            "Replicas",
            "Restarts (per 5m)",
            "Volumes"
        ]
    );
    assert_eq!(
        titles("shop/migrate-dashboard"),
        [
            "CPU (cores)",
            "Memory (working set)",
            "Runs",
            "Restarts (per 5m)"
        ]
    );
    // The autoscaled Deployment's replicas against the autoscaler's range.
    let replicas = dashboards["shop/web-dashboard"]["panels"][2].to_string();
    assert!(
        replicas.contains("kube_horizontalpodautoscaler_spec_max_replicas"),
        "{replicas}"
    );
    assert!(
        !dashboards["shop/worker-dashboard"]["panels"][2]
            .to_string()
            .contains("horizontalpodautoscaler"),
        "the worker is not autoscaled"
    );
    // The ConfigMap itself: the text Grafana's sidecar reads, snapshotted.
    let stream = run(&fixture(), &["render", "prod"]).success().stdout;
    let web: Vec<&str> = stream
        .split("\n---\n")
        .filter(|doc| doc.contains("\nkind: ConfigMap\n") && doc.contains("name: web-dashboard\n"))
        .collect();
    assert_eq!(web.len(), 1);
    snapshot_settings().bind(|| insta::assert_snapshot!("web_dashboard_prod", web[0]));
}

/// `monitoring.dashboards: false` renders no dashboard, and the monitors
/// still.
#[test]
fn dashboards_can_be_turned_off() {
    let with = |setting: &str| {
        let base = rejection::minimal_base_with(
            "    uses: [db]\n",
            "    uses: [db]\n    metrics: { port: http }\n",
        ) + &format!("monitoring: {{ namespace: monitoring{setting} }}\n");
        let platform = Platform::with(&base, &[("prod", MINIMAL_PROD)]);
        python::documents(&platform.run(&["render", "prod"]).success().stdout)
    };
    let on = with("");
    assert!(
        dashboards(&on)
            .keys()
            .any(|key| key.ends_with("/web-dashboard")),
        "the default is on"
    );
    let off = with(", dashboards: false");
    assert!(dashboards(&off).is_empty());
    assert!(!of_kind(&off, "ServiceMonitor").is_empty());
}

/// MINIMAL_BASE with monitoring, and `lines` added to the `web` workload.
fn monitored_web_with(lines: &str) -> String {
    rejection::minimal_base_with("    uses: [db]\n", &format!("    uses: [db]\n{lines}"))
        + "monitoring: { namespace: monitoring }\n"
}

#[track_caller]
fn rejected(name: &str, base: &str) -> String {
    let report = rejection::rejected_spec(base, MINIMAL_PROD);
    snapshot_settings().bind(|| insta::assert_snapshot!(name, report));
    report
}

#[test]
fn a_promql_syntax_error_is_reported_at_its_spec_line() {
    let report = rejected(
        "promql_syntax_error",
        &monitored_web_with(
            "    alerts:\n      - name: WebErrors\n        expr: sum(rate(http_requests_total{code=~\"5..\"}[5m]) > 1\n        summary: Errors\n",
        ),
    );
    assert!(
        report.contains("error[PG3060]: alert `WebErrors`: invalid PromQL"),
        "{report}"
    );
    assert!(report.contains("--> platform.yaml:18:15"), "{report}");
}

#[test]
fn monitoring_mistakes_are_reported_at_once() {
    let base = monitored_web_with(
        "    metrics: { port: http, interval: 30 , scrapeTimeout: 1m }\n    alerts:\n      - { name: 5xx, expr: up == 0, for: 5 minutes, severity: \"\", summary: \"\" }\n",
    )
    .replace(
        "monitoring: { namespace: monitoring }\n",
        "monitoring:\n  namespace: monitoring\n  selectorLabels: {}\n  blackboxExporter: { url: \"blackbox:9115\", interval: 0s }\n",
    );
    let report = rejected("monitoring_mistakes", &base);
    for expected in [
        "invalid duration `30`",
        "invalid alert name `5xx`",
        "invalid duration `5 minutes`",
        "invalid severity ``",
        "an alert's `summary` is empty",
        "`monitoring.selectorLabels` is empty",
        "invalid blackbox exporter URL `blackbox:9115`",
        "invalid duration `0s`",
    ] {
        assert!(report.contains(expected), "missing `{expected}`:\n{report}");
    }
    let alerting = monitored_web_with("").replace(
        "monitoring: { namespace: monitoring }\n",
        "\
monitoring:
  namespace: monitoring
  alerting:
    credentials:
      existing: { name: keys, keys: [pagerduty] }
    receivers:
      pager: { pagerduty: { routingKey: pagerdutty } }
      both: { pagerduty: { routingKey: pagerduty }, slack: { apiUrl: pagerduty, channel: x } }
    routes:
      - { severity: critical, receiver: pagr }
    defaultReceiver: nobody
",
    );
    let report = rejected("alerting_mistakes", &alerting);
    for expected in [
        "the alerting credentials have no key `pagerdutty`",
        "receiver `both` needs exactly one of `pagerduty`, `opsgenie` and `slack`",
        "no receiver is named `pagr`",
        "no receiver is named `nobody`",
    ] {
        assert!(report.contains(expected), "missing `{expected}`:\n{report}");
    }
    let timeout =
        monitored_web_with("    metrics: { port: http, interval: 30s, scrapeTimeout: 30s }\n");
    let report = rejected("scrape_timeout_not_below_interval", &timeout);
    assert!(
        report.contains("scrape timeout `30s` is not shorter than the interval `30s`"),
        "{report}"
    );
}

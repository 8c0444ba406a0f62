//! A workload's Grafana dashboard, shipped as a ConfigMap that Grafana's
//! dashboard sidecar loads (label `grafana_dashboard: "1"`,
//! kube-prometheus-stack's default). Its panels come from what the spec
//! knows of the workload: CPU and memory against the container's requests
//! and limits, ready replicas against desired (and the autoscaler's range),
//! restarts, runs of a Job or CronJob, and the volumes of a StatefulSet with
//! storage. Every query reads metrics kube-prometheus-stack collects: the
//! kubelet's cAdvisor (`container_*`), kube-state-metrics (`kube_*`) and the
//! kubelet's volume statistics (`kubelet_volume_stats_*`).
//!
//! The JSON is deterministic: `serde_json` objects keep their keys sorted,
//! panel ids count up in the order below, and the dashboard's `uid` is a
//! hash of the platform, namespace and workload names.

use std::collections::BTreeMap;

use k8s_openapi::api::core::v1::ConfigMap;
use k8s_openapi::apimachinery::pkg::apis::meta::v1::ObjectMeta;
use serde_json::{Value, json};
use sha2::{Digest, Sha256};

use crate::model::{PlatformModel, WorkloadModel};
use crate::spec::WorkloadKind;

use super::pod_names::{job_pattern, pod_pattern};

/// The label kube-prometheus-stack's Grafana sidecar loads dashboards by
/// (`grafana.sidecar.dashboards.label` and `labelValue`).
const DASHBOARD_LABEL: (&str, &str) = ("grafana_dashboard", "1");
/// The annotation the sidecar files a dashboard into a folder by, when
/// `grafana.sidecar.dashboards.folderAnnotation` names it.
const FOLDER_ANNOTATION: &str = "grafana_folder";
/// The dashboard model version of Grafana 12; older Grafana loads it too.
const SCHEMA_VERSION: u32 = 41;
/// Grafana's dashboard uids are at most 40 characters.
const UID_LENGTH: usize = 40;
/// The window of every rate and increase: four scrapes at the slowest
/// default interval, enough for `rate` to see two samples.
const WINDOW: &str = "5m";
/// The datasource every panel and query reads, the dashboard's variable.
const DATASOURCE: &str = "${datasource}";

/// The ConfigMap `<workload>-dashboard` in the workload's namespace.
pub(super) fn config_map(
    platform: &PlatformModel,
    workload: &WorkloadModel,
    mut labels: BTreeMap<String, String>,
) -> ConfigMap {
    labels.insert(DASHBOARD_LABEL.0.to_owned(), DASHBOARD_LABEL.1.to_owned());
    // `{:#}` is `serde_json`'s pretty printing, which cannot fail.
    let json = format!("{:#}\n", dashboard(platform, workload));
    ConfigMap {
        metadata: ObjectMeta {
            name: Some(format!("{}-dashboard", workload.name)),
            namespace: Some(workload.namespace.clone()),
            labels: Some(labels),
            annotations: Some(BTreeMap::from([(
                FOLDER_ANNOTATION.to_owned(),
                platform.name.clone(),
            )])),
            ..ObjectMeta::default()
        },
        data: Some(BTreeMap::from([(
            format!("{}-{}.json", workload.namespace, workload.name),
            json,
        )])),
        ..ConfigMap::default()
    }
}

/// One graph: its title, unit and queries (expression, legend).
struct Panel {
    title: String,
    unit: &'static str,
    queries: Vec<(String, String)>,
}

/// The dashboard of `workload`, as Grafana's JSON model.
pub(super) fn dashboard(platform: &PlatformModel, workload: &WorkloadModel) -> Value {
    let panels: Vec<Value> = panels(workload)
        .into_iter()
        .enumerate()
        .map(|(index, panel)| panel_json(index, panel))
        .collect();
    json!({
        "annotations": { "list": [] },
        "description": format!(
            "{} {} of the platform {}, generated from its spec",
            kind_name(workload.kind),
            workload.name,
            platform.name
        ),
        "editable": false,
        "panels": panels,
        "refresh": "30s",
        "schemaVersion": SCHEMA_VERSION,
        "tags": [platform.name, workload.namespace, kind_name(workload.kind)],
        "templating": { "list": [{
            "current": {},
            "hide": 0,
            "label": "Data source",
            "name": "datasource",
            "options": [],
            "query": "prometheus",
            "refresh": 1,
            "regex": "",
            "type": "datasource",
        }] },
        "time": { "from": "now-6h", "to": "now" },
        "timezone": "browser",
        "title": format!("{} / {} / {}", platform.name, workload.namespace, workload.name),
        "uid": uid(platform, workload),
        "version": 1,
    })
}

fn kind_name(kind: WorkloadKind) -> &'static str {
    match kind {
        WorkloadKind::Deployment => "Deployment",
        WorkloadKind::StatefulSet => "StatefulSet",
        WorkloadKind::Job => "Job",
        WorkloadKind::CronJob => "CronJob",
    }
}

/// Stable across renders and unique per workload: Grafana keeps a
/// dashboard's history and links by its uid.
fn uid(platform: &PlatformModel, workload: &WorkloadModel) -> String {
    let digest = Sha256::digest(
        format!("{}/{}/{}", platform.name, workload.namespace, workload.name).as_bytes(),
    );
    let hex: String = digest.iter().map(|byte| format!("{byte:02x}")).collect();
    hex[..UID_LENGTH].to_owned()
}

/// Two panels a row, 8 units high, in the order of `panels`.
fn panel_json(index: usize, panel: Panel) -> Value {
    let targets: Vec<Value> = panel
        .queries
        .into_iter()
        .zip('A'..='Z')
        .map(|((expr, legend), ref_id)| {
            json!({
                "datasource": { "type": "prometheus", "uid": DATASOURCE },
                "expr": expr,
                "legendFormat": legend,
                "refId": ref_id.to_string(),
            })
        })
        .collect();
    json!({
        "datasource": { "type": "prometheus", "uid": DATASOURCE },
        "fieldConfig": { "defaults": { "unit": panel.unit }, "overrides": [] },
        "gridPos": { "h": 8, "w": 12, "x": (index % 2) * 12, "y": (index / 2) * 8 },
        "id": index + 1,
        "options": {
            "legend": { "displayMode": "list", "placement": "bottom", "showLegend": true },
            "tooltip": { "mode": "multi", "sort": "none" },
        },
        "targets": targets,
        "title": panel.title,
        "type": "timeseries",
    })
}

/// The panels of a workload, by kind.
fn panels(workload: &WorkloadModel) -> Vec<Panel> {
    let namespace = &workload.namespace;
    let name = &workload.name;
    let container = format!(
        "namespace=\"{namespace}\", pod=~\"{}\", container=\"{name}\"",
        pod_pattern(workload)
    );
    // The container's request and limit as the scheduler and kubelet see
    // them (a patch may have changed what the spec says).
    let resource = |metric: &str, resource: &str| {
        format!("max(kube_pod_container_resource_{metric}{{{container}, resource=\"{resource}\"}})")
    };
    let mut panels = vec![
        Panel {
            title: "CPU (cores)".to_owned(),
            unit: "short",
            queries: vec![
                (
                    format!(
                        "sum by (pod) (rate(container_cpu_usage_seconds_total{{{container}}}[{WINDOW}]))"
                    ),
                    "{{pod}}".to_owned(),
                ),
                (resource("requests", "cpu"), "request".to_owned()),
                (resource("limits", "cpu"), "limit".to_owned()),
            ],
        },
        Panel {
            title: "Memory (working set)".to_owned(),
            unit: "bytes",
            queries: vec![
                (
                    format!("sum by (pod) (container_memory_working_set_bytes{{{container}}})"),
                    "{{pod}}".to_owned(),
                ),
                (resource("requests", "memory"), "request".to_owned()),
                (resource("limits", "memory"), "limit".to_owned()),
            ],
        },
    ];
    match workload.kind {
        WorkloadKind::Deployment | WorkloadKind::StatefulSet => {
            panels.push(replicas(workload));
        }
        WorkloadKind::Job | WorkloadKind::CronJob => {
            let jobs = format!(
                "namespace=\"{namespace}\", job_name=~\"{}\"",
                job_pattern(workload)
            );
            panels.push(Panel {
                title: "Runs".to_owned(),
                unit: "short",
                queries: ["active", "succeeded", "failed"]
                    .into_iter()
                    .map(|status| {
                        (
                            format!("sum(kube_job_status_{status}{{{jobs}}})"),
                            status.to_owned(),
                        )
                    })
                    .collect(),
            });
        }
    }
    panels.push(Panel {
        title: format!("Restarts (per {WINDOW})"),
        unit: "short",
        queries: vec![(
            format!(
                "sum by (pod) (increase(kube_pod_container_status_restarts_total{{{container}}}[{WINDOW}]))"
            ),
            "{{pod}}".to_owned(),
        )],
    });
    if workload.kind == WorkloadKind::StatefulSet && workload.storage.is_some() {
        let claims = format!(
            "namespace=\"{namespace}\", persistentvolumeclaim=~\"{}-{name}-[0-9]+\"",
            crate::lower::DATA_VOLUME
        );
        panels.push(Panel {
            title: "Volumes".to_owned(),
            unit: "bytes",
            queries: vec![
                (
                    format!("sum by (persistentvolumeclaim) (kubelet_volume_stats_used_bytes{{{claims}}})"),
                    "{{persistentvolumeclaim}} used".to_owned(),
                ),
                (
                    format!("sum by (persistentvolumeclaim) (kubelet_volume_stats_capacity_bytes{{{claims}}})"),
                    "{{persistentvolumeclaim}} capacity".to_owned(),
                ),
            ],
        });
    }
    panels
}

/// Ready replicas against desired, and the autoscaler's range when it
/// scales the workload.
fn replicas(workload: &WorkloadModel) -> Panel {
    let namespace = &workload.namespace;
    let name = &workload.name;
    let mut queries = if workload.kind == WorkloadKind::StatefulSet {
        let set = format!("namespace=\"{namespace}\", statefulset=\"{name}\"");
        vec![
            (
                format!("kube_statefulset_status_replicas_ready{{{set}}}"),
                "ready".to_owned(),
            ),
            (
                format!("kube_statefulset_replicas{{{set}}}"),
                "desired".to_owned(),
            ),
        ]
    } else {
        let deployment = format!("namespace=\"{namespace}\", deployment=\"{name}\"");
        vec![
            (
                format!("kube_deployment_status_replicas_available{{{deployment}}}"),
                "available".to_owned(),
            ),
            (
                format!("kube_deployment_spec_replicas{{{deployment}}}"),
                "desired".to_owned(),
            ),
        ]
    };
    if workload.autoscaling.is_some() {
        let hpa = format!("namespace=\"{namespace}\", horizontalpodautoscaler=\"{name}\"");
        for bound in ["min", "max"] {
            queries.push((
                format!("kube_horizontalpodautoscaler_spec_{bound}_replicas{{{hpa}}}"),
                format!("autoscaler {bound}"),
            ));
        }
    }
    Panel {
        title: "Replicas".to_owned(),
        unit: "short",
        queries,
    }
}

#[cfg(test)]
mod tests {
    use crate::capabilities::monitoring::analyze::parse_promql;
    use crate::testing;

    /// Every kind's dashboard: its panels, and every query parses as PromQL
    /// (Grafana would show an error in its place).
    #[test]
    fn every_query_of_every_kind_parses() {
        let platform = testing::model(
            testing::BASE,
            "\
monitoring: { namespace: monitoring }
workloads:
  web: { autoscaling: { min: 2, max: 4, cpu: 70 } }
  store:
    namespace: shop
    kind: StatefulSet
    image: ghcr.io/acme/store:1.0.0
    ports: { tcp: { port: 5000 } }
    resources:
      requests: { cpu: 100m, memory: 128Mi }
      limits: { cpu: 500m, memory: 256Mi }
    storage: { size: 1Gi, mountPath: /data }
  migrate:
    namespace: shop
    kind: Job
    imageOf: web
    resources:
      requests: { cpu: 100m, memory: 128Mi }
      limits: { cpu: 500m, memory: 256Mi }
  export:
    namespace: shop
    kind: CronJob
    imageOf: web
    resources:
      requests: { cpu: 100m, memory: 128Mi }
      limits: { cpu: 500m, memory: 256Mi }
    cronJob: { schedule: \"@daily\" }
",
        );
        let mut titles = Vec::new();
        for workload in &platform.workloads {
            let dashboard = super::dashboard(&platform, workload);
            let panels = dashboard["panels"].as_array().cloned().unwrap_or_default();
            let names: Vec<String> = panels
                .iter()
                .map(|panel| panel["title"].as_str().unwrap_or_default().to_owned())
                .collect();
            titles.push(format!("{}: {}", workload.name, names.join(", ")));
            for (index, panel) in panels.iter().enumerate() {
                assert_eq!(panel["id"], index + 1, "stable panel ids");
                for target in panel["targets"].as_array().into_iter().flatten() {
                    let expr = target["expr"].as_str().unwrap_or_default();
                    assert!(parse_promql(expr).is_ok(), "{}: {expr}", workload.name);
                }
            }
        }
        titles.sort();
        assert_eq!(
            titles,
            [
                "export: CPU (cores), Memory (working set), Runs, Restarts (per 5m)",
                "migrate: CPU (cores), Memory (working set), Runs, Restarts (per 5m)",
                "store: CPU (cores), Memory (working set), Replicas, Restarts (per 5m), Volumes",
                "web: CPU (cores), Memory (working set), Replicas, Restarts (per 5m)",
            ]
        );
    }
}

//! Grafana's JSON model of a workload's dashboard, as far as the dashboards
//! use it: what a dashboard shows of a workload ([`Subject`]), its panels
//! and queries, and its uid.
//!
//! The JSON is deterministic: each struct's fields are written in byte order,
//! panel ids count up in the order below, and the dashboard's `uid` is a
//! hash of the platform, namespace and workload names.

use serde::Serialize;
use sha2::{Digest, Sha256};

use crate::model::{PlatformModel, WorkloadModel};
use crate::spec::WorkloadKind;

use super::pod_names::{job_pattern, pod_pattern};

/// The dashboard model version of Grafana 12; older Grafana loads it too.
const SCHEMA_VERSION: u32 = 41;
/// Grafana's dashboard uids are at most 40 characters.
const UID_LENGTH: usize = 40;
/// The window of every rate and increase: four scrapes at the slowest
/// default interval, enough for `rate` to see two samples.
const WINDOW: &str = "5m";
/// The datasource every panel and query reads, the dashboard's variable.
const DATASOURCE: &str = "${datasource}";

/// What a dashboard shows of a workload: whose it is, and what decides its
/// panels.
#[derive(Debug, Clone, Copy)]
pub(super) struct Subject<'a> {
    pub(super) platform: &'a str,
    pub(super) namespace: &'a str,
    pub(super) name: &'a str,
    pub(super) kind: WorkloadKind,
    /// An autoscaler sets its replicas (a range on the replicas panel).
    pub(super) autoscaled: bool,
    /// A StatefulSet with storage (a volumes panel).
    pub(super) volumes: bool,
}

impl<'a> Subject<'a> {
    pub(super) fn of(platform: &'a PlatformModel, workload: &'a WorkloadModel) -> Self {
        Self {
            platform: &platform.name,
            namespace: &workload.namespace,
            name: &workload.name,
            kind: workload.kind,
            autoscaled: workload.autoscaling.is_some(),
            volumes: workload.kind == WorkloadKind::StatefulSet && workload.storage.is_some(),
        }
    }
}

/// One graph: its title, unit and queries (expression, legend).
struct Panel {
    title: String,
    unit: &'static str,
    queries: Vec<(String, String)>,
}

// Grafana's JSON model, as far as the dashboards use it. Every struct
// declares its fields in byte order of their JSON names, so the text is the
// same as that of a JSON object with sorted keys (a unit test holds this).

/// A Grafana dashboard.
#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
pub(super) struct Dashboard {
    annotations: List<Empty>,
    description: String,
    editable: bool,
    panels: Vec<PanelJson>,
    refresh: &'static str,
    schema_version: u32,
    tags: [String; 3],
    templating: List<Variable>,
    time: TimeRange,
    timezone: &'static str,
    title: String,
    uid: String,
    version: u32,
}

#[derive(Serialize)]
struct List<T> {
    list: Vec<T>,
}

/// `{}`.
#[derive(Serialize)]
struct Empty {}

/// The dashboard's data source variable.
#[derive(Serialize)]
struct Variable {
    current: Empty,
    hide: u32,
    label: &'static str,
    name: &'static str,
    options: [Empty; 0],
    query: &'static str,
    refresh: u32,
    regex: &'static str,
    #[serde(rename = "type")]
    kind: &'static str,
}

#[derive(Serialize)]
struct TimeRange {
    from: &'static str,
    to: &'static str,
}

#[derive(Serialize)]
struct Datasource {
    #[serde(rename = "type")]
    kind: &'static str,
    uid: &'static str,
}

const PROMETHEUS: Datasource = Datasource {
    kind: "prometheus",
    uid: DATASOURCE,
};

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct PanelJson {
    datasource: Datasource,
    field_config: FieldConfig,
    grid_pos: GridPos,
    id: usize,
    options: PanelOptions,
    targets: Vec<Target>,
    title: String,
    #[serde(rename = "type")]
    kind: &'static str,
}

#[derive(Serialize)]
struct FieldConfig {
    defaults: Unit,
    overrides: [Empty; 0],
}

#[derive(Serialize)]
struct Unit {
    unit: &'static str,
}

#[derive(Serialize)]
struct GridPos {
    h: usize,
    w: usize,
    x: usize,
    y: usize,
}

#[derive(Serialize)]
struct PanelOptions {
    legend: Legend,
    tooltip: Tooltip,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Legend {
    display_mode: &'static str,
    placement: &'static str,
    show_legend: bool,
}

#[derive(Serialize)]
struct Tooltip {
    mode: &'static str,
    sort: &'static str,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Target {
    datasource: Datasource,
    expr: String,
    legend_format: String,
    ref_id: char,
}

/// The dashboard of `subject`, as Grafana's JSON model, with `uid`.
pub(super) fn dashboard(subject: &Subject, uid: String) -> Dashboard {
    let panels = panels(subject)
        .into_iter()
        .enumerate()
        .map(|(index, panel)| panel_json(index, panel))
        .collect();
    let kind = kind_name(subject.kind);
    Dashboard {
        annotations: List { list: Vec::new() },
        description: format!(
            "{kind} {} of the platform {}, generated from its spec",
            subject.name, subject.platform
        ),
        editable: false,
        panels,
        refresh: "30s",
        schema_version: SCHEMA_VERSION,
        tags: [
            subject.platform.to_owned(),
            subject.namespace.to_owned(),
            kind.to_owned(),
        ],
        templating: List {
            list: vec![Variable {
                current: Empty {},
                hide: 0,
                label: "Data source",
                name: "datasource",
                options: [],
                query: "prometheus",
                refresh: 1,
                regex: "",
                kind: "datasource",
            }],
        },
        time: TimeRange {
            from: "now-6h",
            to: "now",
        },
        timezone: "browser",
        title: format!(
            "{} / {} / {}",
            subject.platform, subject.namespace, subject.name
        ),
        uid,
        version: 1,
    }
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
pub(super) fn uid(subject: &Subject) -> String {
    let digest = Sha256::digest(
        format!(
            "{}/{}/{}",
            subject.platform, subject.namespace, subject.name
        )
        .as_bytes(),
    );
    crate::object::hex::lower_hex(&digest, UID_LENGTH)
}

/// Two panels a row, 8 units high, in the order of `panels`.
fn panel_json(index: usize, panel: Panel) -> PanelJson {
    let targets = panel
        .queries
        .into_iter()
        .zip('A'..='Z')
        .map(|((expr, legend), ref_id)| Target {
            datasource: PROMETHEUS,
            expr,
            legend_format: legend,
            ref_id,
        })
        .collect();
    PanelJson {
        datasource: PROMETHEUS,
        field_config: FieldConfig {
            defaults: Unit { unit: panel.unit },
            overrides: [],
        },
        grid_pos: GridPos {
            h: 8,
            w: 12,
            x: (index % 2) * 12,
            y: (index / 2) * 8,
        },
        id: index + 1,
        options: PanelOptions {
            legend: Legend {
                display_mode: "list",
                placement: "bottom",
                show_legend: true,
            },
            tooltip: Tooltip {
                mode: "multi",
                sort: "none",
            },
        },
        targets,
        title: panel.title,
        kind: "timeseries",
    }
}

/// The panels of a workload, by kind.
fn panels(subject: &Subject) -> Vec<Panel> {
    let namespace = subject.namespace;
    let name = subject.name;
    let container = format!(
        "namespace=\"{namespace}\", pod=~\"{}\", container=\"{name}\"",
        pod_pattern(name, subject.kind)
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
    match subject.kind {
        WorkloadKind::Deployment | WorkloadKind::StatefulSet => {
            panels.push(replicas(subject));
        }
        WorkloadKind::Job | WorkloadKind::CronJob => {
            let jobs = format!(
                "namespace=\"{namespace}\", job_name=~\"{}\"",
                job_pattern(name, subject.kind)
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
    if subject.volumes {
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
fn replicas(subject: &Subject) -> Panel {
    let namespace = subject.namespace;
    let name = subject.name;
    let mut queries = if subject.kind == WorkloadKind::StatefulSet {
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
    if subject.autoscaled {
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
            &format!(
                "monitoring: {{ namespace: monitoring }}\n{}",
                testing::EVERY_KIND
            ),
        );
        let mut titles = Vec::new();
        for workload in &platform.workloads {
            let subject = super::Subject::of(&platform, workload);
            let typed = super::dashboard(&subject, super::uid(&subject));
            let dashboard = serde_json::to_value(&typed).expect("a dashboard serializes");
            // A JSON tree's keys are sorted: the typed model writes the same
            // text only while every struct declares its fields in that order.
            assert_eq!(
                serde_json::to_string_pretty(&typed).expect("a dashboard serializes"),
                format!("{dashboard:#}"),
                "{}: fields out of key order",
                workload.name
            );
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

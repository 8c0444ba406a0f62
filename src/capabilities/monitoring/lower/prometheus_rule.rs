//! `PrometheusRule` (`monitoring.coreos.com/v1`): one per namespace with
//! workloads, named after the platform, with a rule group per workload: its
//! built-in alerts, then its own. Every alert carries the `severity`
//! Alertmanager routes on and the `workload` it is about; built-in ones
//! link to their runbook.

use k8s_openapi::apimachinery::pkg::apis::meta::v1::ObjectMeta;
use serde::Serialize;
use serde_json::{Map, Value, json};

use crate::model::PlatformModel;
use crate::model::labels;

use super::super::model::PrometheusModel;
use super::built_in_alerts::{self, Alert};

#[derive(Debug, Serialize)]
pub(super) struct PrometheusRule {
    metadata: ObjectMeta,
    spec: Value,
}

crate::custom_resource!(
    PrometheusRule,
    "monitoring.coreos.com",
    "v1",
    "PrometheusRule",
    Namespaced,
    "prometheusrules"
);

/// The rule of `namespace`, or none when no workload runs there.
pub(super) fn prometheus_rule(
    platform: &PlatformModel,
    prometheus: &PrometheusModel,
    namespace: &str,
) -> Option<PrometheusRule> {
    let groups: Vec<Value> = platform
        .workloads
        .iter()
        .filter(|workload| workload.namespace == namespace)
        .map(|workload| {
            let mut rules: Vec<Value> = built_in_alerts::alerts(platform, prometheus, workload)
                .iter()
                .map(|alert| {
                    let runbook = format!("{}#{}", prometheus.runbooks, alert.name.to_lowercase());
                    rule(alert, &workload.name, Some(runbook))
                })
                .collect();
            for own in prometheus.alerts.get(&workload.name).into_iter().flatten() {
                let alert = Alert {
                    name: own.name.clone(),
                    expr: own.expr.clone(),
                    for_: own.for_.clone(),
                    severity: own.severity.clone(),
                    summary: own.summary.clone(),
                };
                rules.push(rule(&alert, &workload.name, None));
            }
            json!({ "name": workload.name, "rules": rules })
        })
        .collect();
    if groups.is_empty() {
        return None;
    }
    let mut labels = labels::platform_labels(platform);
    labels.extend(prometheus.selector_labels.clone());
    Some(PrometheusRule {
        metadata: ObjectMeta {
            name: Some(format!("{}-alerts", platform.name)),
            namespace: Some(namespace.to_owned()),
            labels: Some(labels),
            ..ObjectMeta::default()
        },
        spec: json!({ "groups": groups }),
    })
}

fn rule(alert: &Alert, workload: &str, runbook: Option<String>) -> Value {
    let mut annotations = Map::new();
    annotations.insert("summary".to_owned(), json!(alert.summary));
    if let Some(runbook) = runbook {
        annotations.insert("runbook_url".to_owned(), json!(runbook));
    }
    json!({
        "alert": alert.name,
        "expr": alert.expr,
        "for": alert.for_,
        "labels": { "severity": alert.severity, "workload": workload },
        "annotations": annotations,
    })
}

//! `PrometheusRule` (`monitoring.coreos.com/v1`): one per namespace with
//! workloads, named after the platform, with a rule group per workload: its
//! built-in alerts, then its own. Every alert carries the `severity`
//! Alertmanager routes on and the `workload` it is about; built-in ones
//! link to their runbook.

use k8s_openapi::apimachinery::pkg::apis::meta::v1::ObjectMeta;
use serde::Serialize;

use crate::model::PlatformModel;
use crate::model::labels;

use super::super::model::PrometheusModel;
use super::built_in_alerts::{self, Alert};

/// Typed down to each rule, so a namespace of thousands of workloads is
/// written (or made a tree, for `check`) in one pass, never first built as
/// a JSON tree and then copied. Fields are declared in key order, the order
/// the canonical YAML writes them in.
#[derive(Debug, Serialize)]
pub(super) struct PrometheusRule {
    metadata: ObjectMeta,
    spec: RuleSpec,
}

#[derive(Debug, Serialize)]
struct RuleSpec {
    groups: Vec<RuleGroup>,
}

/// One workload's alerts.
#[derive(Debug, Serialize)]
struct RuleGroup {
    name: String,
    rules: Vec<Rule>,
}

#[derive(Debug, Serialize)]
struct Rule {
    alert: String,
    annotations: RuleAnnotations,
    expr: String,
    #[serde(rename = "for")]
    for_: String,
    labels: RuleLabels,
}

#[derive(Debug, Serialize)]
struct RuleAnnotations {
    #[serde(skip_serializing_if = "Option::is_none")]
    runbook_url: Option<String>,
    summary: String,
}

/// What Alertmanager routes on.
#[derive(Debug, Serialize)]
struct RuleLabels {
    severity: String,
    workload: String,
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
    let groups: Vec<RuleGroup> = platform
        .workloads
        .iter()
        .filter(|workload| workload.namespace == namespace)
        .map(|workload| {
            let mut rules: Vec<Rule> = built_in_alerts::alerts(platform, prometheus, workload)
                .into_iter()
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
                rules.push(rule(alert, &workload.name, None));
            }
            RuleGroup {
                name: workload.name.clone(),
                rules,
            }
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
        spec: RuleSpec { groups },
    })
}

fn rule(alert: Alert, workload: &str, runbook: Option<String>) -> Rule {
    Rule {
        alert: alert.name,
        annotations: RuleAnnotations {
            runbook_url: runbook,
            summary: alert.summary,
        },
        expr: alert.expr,
        for_: alert.for_,
        labels: RuleLabels {
            severity: alert.severity,
            workload: workload.to_owned(),
        },
    }
}

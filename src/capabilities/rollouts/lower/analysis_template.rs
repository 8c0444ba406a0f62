//! `AnalysisTemplate` (`argoproj.io/v1alpha1`): what decides whether a new
//! version stays. Prometheus measures the new version's pods alone (by the
//! pod template hash the PodMonitor copies onto their series): the share of
//! responses that are not 5xx and, when asked, the 99th percentile latency.
//! A failed measurement beyond `failureLimit` fails the analysis, and Argo
//! Rollouts aborts the rollout: traffic goes back to the stable version.

use k8s_openapi::apimachinery::pkg::apis::meta::v1::ObjectMeta;
use serde::Serialize;
use serde_json::{Value, json};

use crate::model::{PlatformModel, WorkloadModel, labels};

use super::super::model::{AnalysisModel, POD_TEMPLATE_HASH_SERIES_LABEL};

#[derive(Debug, Serialize)]
pub(super) struct AnalysisTemplate {
    metadata: ObjectMeta,
    spec: Value,
}

crate::custom_resource!(
    AnalysisTemplate,
    "argoproj.io",
    "v1alpha1",
    "AnalysisTemplate",
    Namespaced,
    "analysistemplates"
);

/// The argument carrying the new version's pod template hash.
const HASH_ARGUMENT: &str = "canary-hash";

/// The window each rate is computed over: two scrapes at the default
/// interval, short enough to follow the new version closely.
const RATE_WINDOW: &str = "2m";

/// How a Rollout runs the template: by name, with the new version's pod
/// template hash as its argument.
pub(super) fn reference(workload: &WorkloadModel) -> Value {
    json!({
        "templates": [{ "templateName": workload.name }],
        "args": [{
            "name": HASH_ARGUMENT,
            "valueFrom": { "podTemplateHashValue": "Latest" },
        }],
    })
}

pub(super) fn analysis_template(
    platform: &PlatformModel,
    workload: &WorkloadModel,
    analysis: &AnalysisModel,
) -> AnalysisTemplate {
    let selector = format!(
        "namespace=\"{}\",{POD_TEMPLATE_HASH_SERIES_LABEL}=\"{{{{args.{HASH_ARGUMENT}}}}}\"",
        workload.namespace
    );
    let requests = &analysis.requests_metric;
    let status = &analysis.status_label;
    // `5..` matches a code (`503`) and a class (`5xx`) alike.
    let success_query = format!(
        "sum(rate({requests}{{{selector},{status}!~\"5..\"}}[{RATE_WINDOW}])) / \
         sum(rate({requests}{{{selector}}}[{RATE_WINDOW}]))"
    );
    // No request in the window (an empty result, or 0/0) is no evidence
    // against the new version: the measurement passes.
    let no_traffic = "len(result) == 0 || isNaN(result[0])";
    let mut metrics = vec![metric(
        analysis,
        "success-rate",
        format!("{no_traffic} || result[0] >= {}", analysis.success_rate),
        success_query,
    )];
    if let Some(latency) = analysis.latency_p99_seconds {
        let latency_query = format!(
            "histogram_quantile(0.99, sum by (le) (rate({}_bucket{{{selector}}}[{RATE_WINDOW}])))",
            analysis.latency_metric
        );
        metrics.push(metric(
            analysis,
            "latency-p99",
            format!("{no_traffic} || result[0] <= {latency}"),
            latency_query,
        ));
    }
    AnalysisTemplate {
        metadata: ObjectMeta {
            name: Some(workload.name.clone()),
            namespace: Some(workload.namespace.clone()),
            labels: Some(labels::workload_labels(platform, workload)),
            ..ObjectMeta::default()
        },
        spec: json!({
            "args": [{ "name": HASH_ARGUMENT }],
            "metrics": metrics,
        }),
    }
}

fn metric(analysis: &AnalysisModel, name: &str, condition: String, query: String) -> Value {
    json!({
        "name": name,
        "interval": analysis.interval,
        "count": analysis.measurements,
        "failureLimit": analysis.failure_limit,
        "successCondition": condition,
        "provider": { "prometheus": {
            "address": analysis.prometheus,
            "query": query,
        } },
    })
}

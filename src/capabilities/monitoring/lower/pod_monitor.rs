//! `PodMonitor` (`monitoring.coreos.com/v1`): Prometheus scrapes pods
//! directly, by a named container port: StatefulSets and workloads without
//! a Service, and the pods operators run for data services.

use std::collections::BTreeMap;

use k8s_openapi::apimachinery::pkg::apis::meta::v1::ObjectMeta;
use serde::Serialize;
use serde_json::{Value, json};

use crate::model::{MetricsEndpoint, MetricsModel};

use super::super::model::ScrapeModel;

#[derive(Debug, Serialize)]
pub(super) struct PodMonitor {
    metadata: ObjectMeta,
    spec: Value,
}

crate::custom_resource!(
    PodMonitor,
    "monitoring.coreos.com",
    "v1",
    "PodMonitor",
    Namespaced,
    "podmonitors"
);

/// A workload's pods, by the labels of its pod template; the pod labels in
/// `pod_target_labels` are copied onto every series (a Rollout's pod
/// template hash, which tells the new version's series from the old one's).
pub(super) fn for_workload(
    metadata: ObjectMeta,
    selector: BTreeMap<String, String>,
    metrics: &MetricsModel,
    scrape: &ScrapeModel,
    pod_target_labels: &[&str],
) -> PodMonitor {
    let mut spec = json!({
        "selector": { "matchLabels": selector },
        "podMetricsEndpoints": [{
            "port": metrics.port,
            "path": metrics.path,
            "scheme": "http",
            "interval": scrape.interval,
            "scrapeTimeout": scrape.timeout,
        }],
    });
    if !pod_target_labels.is_empty() {
        spec["podTargetLabels"] = json!(pod_target_labels);
    }
    PodMonitor { metadata, spec }
}

/// An operator's pods, at the Prometheus Operator's default interval.
pub(super) fn for_pod_group(metadata: ObjectMeta, endpoint: &MetricsEndpoint) -> PodMonitor {
    PodMonitor {
        metadata,
        spec: json!({
            "selector": { "matchLabels": endpoint.selector },
            "podMetricsEndpoints": [{
                "port": endpoint.port,
                "path": endpoint.path,
                "scheme": "http",
            }],
        }),
    }
}

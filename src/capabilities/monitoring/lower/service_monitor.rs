//! `ServiceMonitor` (`monitoring.coreos.com/v1`): Prometheus scrapes the
//! pods behind a workload's Service, on the Service port named like the
//! metrics port (every declared port is a Service port of the same name).

use std::collections::BTreeMap;

use k8s_openapi::apimachinery::pkg::apis::meta::v1::ObjectMeta;
use serde::Serialize;
use serde_json::{Value, json};

use crate::model::MetricsModel;

use super::super::model::ScrapeModel;

#[derive(Debug, Serialize)]
pub(super) struct ServiceMonitor {
    metadata: ObjectMeta,
    spec: Value,
}

crate::custom_resource!(
    ServiceMonitor,
    "monitoring.coreos.com",
    "v1",
    "ServiceMonitor",
    Namespaced,
    "servicemonitors"
);

/// `selector` is the Service's own labels that identify the workload; the
/// monitor lives in the Service's namespace, where the operator looks by
/// default.
pub(super) fn service_monitor(
    metadata: ObjectMeta,
    selector: BTreeMap<String, String>,
    metrics: &MetricsModel,
    scrape: &ScrapeModel,
) -> ServiceMonitor {
    ServiceMonitor {
        metadata,
        spec: json!({
            "selector": { "matchLabels": selector },
            "endpoints": [{
                "port": metrics.port,
                "path": metrics.path,
                "scheme": "http",
                "interval": scrape.interval,
                "scrapeTimeout": scrape.timeout,
            }],
        }),
    }
}

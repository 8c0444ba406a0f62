//! `Probe` (`monitoring.coreos.com/v1`): Prometheus asks the blackbox
//! exporter to fetch a public URL and records whether it answered
//! (`probe_success`), the uptime seen from where the exporter runs.

use k8s_openapi::apimachinery::pkg::apis::meta::v1::ObjectMeta;
use serde::Serialize;
use serde_json::{Value, json};

use super::super::model::BlackboxModel;

#[derive(Debug, Serialize)]
pub(super) struct Probe {
    metadata: ObjectMeta,
    spec: Value,
}

crate::custom_resource!(
    Probe,
    "monitoring.coreos.com",
    "v1",
    "Probe",
    Namespaced,
    "probes"
);

pub(super) fn probe(
    metadata: ObjectMeta,
    blackbox: &BlackboxModel,
    workload: &str,
    url: String,
) -> Probe {
    Probe {
        metadata,
        spec: json!({
            "prober": {
                "url": blackbox.address,
                "scheme": blackbox.scheme,
                "path": blackbox.path,
            },
            "module": blackbox.module,
            "interval": blackbox.interval,
            "targets": {
                "staticConfig": {
                    "static": [url],
                    // What the uptime alerts and dashboards group by.
                    "labels": { "workload": workload },
                },
            },
        }),
    }
}

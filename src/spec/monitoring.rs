//! `Monitoring`: where the cluster's monitoring system (Prometheus) runs, so
//! network policies can admit it to each workload's metrics port.

use std::collections::BTreeMap;

use schemars::JsonSchema;
use serde::Deserialize;

#[derive(Debug, Clone, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
pub struct Monitoring {
    /// Namespace the monitoring system runs in, e.g. `monitoring`. It must not
    /// be one of the platform's namespaces while network policies are on:
    /// their default deny would cut the monitoring system off.
    pub namespace: String,
    /// Labels of the monitoring system's pods in that namespace: only these
    /// pods are admitted. Default: every pod of the namespace.
    #[serde(default)]
    pub pod_labels: BTreeMap<String, String>,
}

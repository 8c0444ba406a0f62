//! `QosClass`: the Kubernetes QoS class a workload is meant to have. Kubernetes
//! derives the class from requests and limits; stating the intent lets
//! analysis check that the numbers give it.

use schemars::JsonSchema;
use serde::Deserialize;

/// `BestEffort` is not offered: every container has requests and limits.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, JsonSchema)]
#[serde(rename_all = "camelCase")]
pub enum QosClass {
    /// Requests equal limits for CPU and memory: the last pods evicted under
    /// node pressure. For stateful stores.
    Guaranteed,
    /// Requests below limits: may burst, evicted before Guaranteed pods.
    Burstable,
}

impl QosClass {
    pub fn as_str(self) -> &'static str {
        match self {
            QosClass::Guaranteed => "guaranteed",
            QosClass::Burstable => "burstable",
        }
    }
}

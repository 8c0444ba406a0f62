//! `Expose`: public exposure of a workload through the ingress controller.

use schemars::JsonSchema;
use serde::Deserialize;

#[derive(Debug, Clone, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
pub struct Expose {
    /// Host name. A name without dots (`api`) is placed under the environment's
    /// `domain`; a name with dots is used as written.
    pub host: String,
    /// URL path prefix routed to the workload. Default `/`.
    #[serde(default)]
    pub path: Option<String>,
    /// Port name traffic goes to. Default: the workload's first port.
    #[serde(default)]
    pub port: Option<String>,
}

//! `ExistingSecret`: a Secret that exists in the cluster already (created by
//! another tool or by hand). platformgen renders nothing for it and only wires
//! its keys into the pod.

use schemars::JsonSchema;
use serde::Deserialize;

#[derive(Debug, Clone, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
pub struct ExistingSecret {
    /// Name of the Secret in the workload's namespace.
    pub name: String,
    /// Keys of the Secret the workload uses. `env` may refer only to these, and
    /// `mountPath` mounts exactly these.
    pub keys: Vec<String>,
}

//! `WebSocket`: long-lived upgraded connections to an exposed workload. The
//! proxy's default timeouts (60 s with ingress-nginx) would cut idle sockets.

use schemars::JsonSchema;
use serde::Deserialize;

#[derive(Debug, Clone, Default, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
pub struct WebSocket {
    /// Seconds the proxy waits for data from the workload before it closes the
    /// connection. Default 3600.
    #[serde(default)]
    pub read_timeout_seconds: Option<u32>,
    /// Seconds the proxy waits for the workload to accept data before it closes
    /// the connection. Default 3600.
    #[serde(default)]
    pub send_timeout_seconds: Option<u32>,
}

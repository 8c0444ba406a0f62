//! `Alerting`: where Alertmanager sends the platform's alerts (PagerDuty,
//! Opsgenie, Slack), by severity, and where the receivers' keys come from.

use indexmap::IndexMap;
use schemars::JsonSchema;
use serde::Deserialize;

use crate::capabilities::secrets::spec::{ExistingSecret, ExternalSecretSpec};

#[derive(Debug, Clone, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
pub struct Alerting {
    /// The Secret holding the receivers' keys, in every namespace with
    /// alerts (Alertmanager reads a namespace's routing from that namespace
    /// only): exactly one of `external` and `existing`.
    pub credentials: AlertingCredentials,
    /// Receivers by name, each exactly one of `pagerduty`, `opsgenie` and
    /// `slack`.
    pub receivers: IndexMap<String, Receiver>,
    /// Routes by severity, the first that matches wins.
    #[serde(default)]
    pub routes: Vec<AlertRoute>,
    /// The receiver of alerts no route matches.
    pub default_receiver: String,
}

/// Where the receivers' keys come from.
#[derive(Debug, Clone, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
pub struct AlertingCredentials {
    /// Read by the External Secrets Operator into the Secret
    /// `<platform>-alerting` of each namespace.
    #[serde(default)]
    pub external: Option<ExternalSecretSpec>,
    /// A Secret of this name that exists in each namespace with alerts.
    #[serde(default)]
    pub existing: Option<ExistingSecret>,
}

/// One receiver: exactly one integration.
#[derive(Debug, Clone, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
pub struct Receiver {
    /// Pages through PagerDuty (Events API v2).
    #[serde(default)]
    pub pagerduty: Option<PagerDutyReceiver>,
    /// Creates Opsgenie alerts.
    #[serde(default)]
    pub opsgenie: Option<OpsgenieReceiver>,
    /// Posts to a Slack channel through an incoming webhook.
    #[serde(default)]
    pub slack: Option<SlackReceiver>,
}

#[derive(Debug, Clone, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
pub struct PagerDutyReceiver {
    /// Key of the credentials Secret holding the Events API v2 routing key.
    pub routing_key: String,
}

#[derive(Debug, Clone, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
pub struct OpsgenieReceiver {
    /// Key of the credentials Secret holding the API key.
    pub api_key: String,
}

#[derive(Debug, Clone, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
pub struct SlackReceiver {
    /// Key of the credentials Secret holding the incoming webhook's URL.
    pub api_url: String,
    /// Channel to post to, e.g. `#health-platform-alerts`.
    pub channel: String,
}

/// Alerts of one severity to one receiver.
#[derive(Debug, Clone, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
pub struct AlertRoute {
    /// The `severity` label to match.
    pub severity: String,
    /// Name of a receiver under `receivers`.
    pub receiver: String,
}

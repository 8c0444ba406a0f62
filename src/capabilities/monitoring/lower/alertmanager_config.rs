//! `AlertmanagerConfig` (`monitoring.coreos.com/v1alpha1`): how Alertmanager
//! routes one namespace's alerts (the Prometheus Operator scopes each config
//! to the alerts of its own namespace): by severity to PagerDuty, Opsgenie or
//! Slack, grouped by alert and workload, with the keys read from the
//! namespace's credentials Secret.

use k8s_openapi::apimachinery::pkg::apis::meta::v1::ObjectMeta;
use serde::Serialize;
use serde_json::{Value, json};

use super::super::model::{AlertingModel, Integration};

#[derive(Debug, Serialize)]
pub(super) struct AlertmanagerConfig {
    metadata: ObjectMeta,
    spec: Value,
}

crate::custom_resource!(
    AlertmanagerConfig,
    "monitoring.coreos.com",
    "v1alpha1",
    "AlertmanagerConfig",
    Namespaced,
    "alertmanagerconfigs"
);

pub(super) fn alertmanager_config(
    metadata: ObjectMeta,
    alerting: &AlertingModel,
) -> AlertmanagerConfig {
    let key = |key: &str| json!({ "name": alerting.secret, "key": key });
    let receivers: Vec<Value> = alerting
        .receivers
        .iter()
        .map(|receiver| match &receiver.integration {
            Integration::PagerDuty { routing_key } => json!({
                "name": receiver.name,
                "pagerdutyConfigs": [{ "routingKey": key(routing_key), "sendResolved": true }],
            }),
            Integration::Opsgenie { api_key } => json!({
                "name": receiver.name,
                "opsgenieConfigs": [{ "apiKey": key(api_key), "sendResolved": true }],
            }),
            Integration::Slack { api_url, channel } => json!({
                "name": receiver.name,
                "slackConfigs": [{ "apiURL": key(api_url), "channel": channel, "sendResolved": true }],
            }),
        })
        .collect();
    let routes: Vec<Value> = alerting
        .routes
        .iter()
        .map(|(severity, receiver)| {
            // Equality is the default match; `matchType: "="` is left out
            // because kustomize writes it back as a plain `=`, which YAML
            // 1.1 readers take for the `value` tag and refuse.
            json!({
                "receiver": receiver,
                "matchers": [{ "name": "severity", "value": severity }],
            })
        })
        .collect();
    AlertmanagerConfig {
        metadata,
        spec: json!({
            "route": {
                "receiver": alerting.default_receiver,
                "groupBy": ["alertname", "workload"],
                "routes": routes,
            },
            "receivers": receivers,
        }),
    }
}

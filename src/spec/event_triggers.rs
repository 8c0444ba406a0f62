//! `EventTriggers`: what an event-driven autoscaler (`autoscaling.events`,
//! rendered by the keda capability as a KEDA ScaledObject) scales on. Core
//! spec, as `autoscaling` holds it.

use schemars::JsonSchema;
use serde::Deserialize;

/// What an event-driven autoscaler scales on. Each source set is one KEDA
/// trigger; with several, the workload runs as many replicas as the most
/// demanding one asks for.
#[derive(Debug, Clone, Default, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
pub struct EventTriggers {
    /// The depth of a RabbitMQ queue of one of the platform's brokers
    /// (`rabbitmq`), read through its management API.
    #[serde(default)]
    pub rabbitmq: Option<RabbitmqTrigger>,
    /// The value of a Prometheus query.
    #[serde(default)]
    pub prometheus: Option<PrometheusTrigger>,
    /// Time windows with a fixed number of replicas.
    #[serde(default)]
    pub cron: Vec<CronTrigger>,
}

#[derive(Debug, Clone, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
pub struct RabbitmqTrigger {
    /// The broker, by its name under `rabbitmq`. The workload must connect
    /// to it (`connections.<broker>`): KEDA reads the same credentials.
    pub service: String,
    /// The queue whose messages (ready and unacknowledged) are counted.
    pub queue: String,
    /// Messages one replica handles: replicas = messages / this, rounded
    /// up, between `min` and `max`.
    pub messages_per_replica: u32,
    /// The virtual host of the queue. Default `/`.
    #[serde(default)]
    pub vhost: Option<String>,
}

#[derive(Debug, Clone, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
pub struct PrometheusTrigger {
    /// Prometheus' HTTP API, e.g.
    /// `http://prometheus-operated.monitoring.svc:9090`.
    pub server_address: String,
    /// A PromQL query returning one value.
    pub query: String,
    /// The query's value one replica handles: replicas = value / this.
    pub threshold: String,
}

#[derive(Debug, Clone, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
pub struct CronTrigger {
    /// IANA time zone of `start` and `end`, e.g. `Europe/Paris` or `UTC`.
    pub timezone: String,
    /// When the window opens: a five-field cron expression.
    pub start: String,
    /// When the window closes: a five-field cron expression.
    pub end: String,
    /// Replicas during the window, from `min` to `max`.
    pub replicas: u32,
}

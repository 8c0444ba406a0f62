//! `Autoscaling`: a HorizontalPodAutoscaler (autoscaling/v2) on CPU and
//! memory, or a KEDA ScaledObject on events (`events`).

use schemars::JsonSchema;
use serde::Deserialize;

#[derive(Debug, Clone, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
pub struct Autoscaling {
    /// Set to `false` in an overlay to turn autoscaling off in that environment.
    #[serde(default)]
    pub enabled: Option<bool>,
    /// Fewest replicas, at least 1.
    pub min: u32,
    /// Most replicas, at least `min`.
    pub max: u32,
    /// Target average CPU utilisation, percent of the request (1 to 100).
    #[serde(default)]
    pub cpu: Option<u8>,
    /// Target average memory utilisation, percent of the request (1 to 100).
    #[serde(default)]
    pub memory: Option<u8>,
    /// How long (seconds) the autoscaler waits after load drops before it
    /// removes pods. Default: Kubernetes' 300.
    #[serde(default)]
    pub scale_down_stabilization_seconds: Option<u32>,
    /// Scale on events instead of CPU and memory: a RabbitMQ queue's depth,
    /// a Prometheus query or cron windows, through a KEDA ScaledObject.
    /// Not with `cpu` or `memory`.
    #[serde(default)]
    pub events: Option<super::EventTriggers>,
}

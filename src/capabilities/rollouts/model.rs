//! `DeliveryModel`: a workload's progressive delivery, resolved. Its
//! presence makes the workload's pods run under an Argo Rollout instead of
//! a Deployment.

use crate::model::{Part, PodOwnerModel, WorkloadModel};

/// A workload's resolved `delivery`.
pub const DELIVERY: Part<DeliveryModel> = Part::new("delivery");

/// The workload's delivery, when it has one.
pub fn delivery(workload: &WorkloadModel) -> Option<&DeliveryModel> {
    DELIVERY.get(&workload.parts)
}

/// What runs the pods of a workload with `delivery`, for the core: no
/// Deployment, autoscalers on the Rollout, monitors copying the version
/// label.
pub const POD_OWNER: PodOwnerModel = PodOwnerModel {
    api_version: API_VERSION,
    kind: "Rollout",
    version_label: POD_TEMPLATE_HASH_LABEL,
};

/// Group and version of Argo Rollouts' kinds.
pub const API_VERSION: &str = "argoproj.io/v1alpha1";

/// The label Argo Rollouts puts on each version's pods (and on the
/// Services' selectors it points at one version).
pub const POD_TEMPLATE_HASH_LABEL: &str = "rollouts-pod-template-hash";

/// The same label on Prometheus series, as the Prometheus Operator's
/// `podTargetLabels` copies it (`-` is not allowed in a label name).
pub const POD_TEMPLATE_HASH_SERIES_LABEL: &str = "rollouts_pod_template_hash";

/// The Argo Rollouts Gateway API plugin, as the controller's
/// `trafficRouterPlugins` configuration names it.
pub const GATEWAY_PLUGIN: &str = "argoproj-labs/gatewayAPI";

#[derive(Debug, Clone, PartialEq)]
pub struct DeliveryModel {
    pub strategy: StrategyModel,
    /// The AnalysisTemplate run by canary steps or after a blue/green switch.
    pub analysis: Option<AnalysisModel>,
}

#[derive(Debug, Clone, PartialEq)]
pub enum StrategyModel {
    Canary(CanaryModel),
    BlueGreen(BlueGreenModel),
}

#[derive(Debug, Clone, PartialEq)]
pub struct CanaryModel {
    pub steps: Vec<StepModel>,
    pub traffic: TrafficModel,
}

/// How the canary's weight becomes a share of the traffic.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum TrafficModel {
    /// By the share of pods: the workload's Service selects both versions.
    Replicas,
    /// By the nginx ingress controller: the Rollout makes a canary copy of
    /// the workload's Ingress (`stableIngress`).
    Nginx { stable_ingress: String },
    /// By the weights of the workload's HTTPRoute, through the Gateway API
    /// plugin.
    Gateway { http_route: String },
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum StepModel {
    SetWeight(u32),
    /// A pause of so many seconds.
    Pause(u64),
    /// A pause until promoted.
    PauseUntilPromoted,
    Analysis,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BlueGreenModel {
    pub auto_promotion: bool,
    pub scale_down_delay_seconds: u32,
    /// The public host of the preview Service, when asked.
    pub preview_host: Option<String>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct AnalysisModel {
    pub prometheus: String,
    /// Least share of successful responses, from 0 to 1.
    pub success_rate: f64,
    /// Highest 99th percentile response time, in seconds.
    pub latency_p99_seconds: Option<f64>,
    /// As written (`1m`): a Go duration Argo Rollouts reads.
    pub interval: String,
    pub measurements: u32,
    pub failure_limit: u32,
    pub requests_metric: String,
    pub status_label: String,
    pub latency_metric: String,
}

impl DeliveryModel {
    /// The Service the canary pods or the blue/green preview are reached
    /// through, beside the workload's own.
    pub fn second_service(&self, workload: &str) -> String {
        match self.strategy {
            StrategyModel::Canary(_) => format!("{workload}-canary"),
            StrategyModel::BlueGreen(_) => format!("{workload}-preview"),
        }
    }
}

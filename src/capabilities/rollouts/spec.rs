//! What users write for progressive delivery: `workloads.<name>.delivery`,
//! a canary or a blue/green rollout run by Argo Rollouts, and the analysis
//! that rolls a bad version back. Serde + schemars only.

use schemars::JsonSchema;
use serde::Deserialize;

use crate::spec::{Scope, Section, SectionType};

/// `workloads.<name>.delivery`.
pub const DELIVERY: Section<DeliverySpec> = Section::new(Scope::Workload, "delivery");

pub const SECTIONS: &[SectionType] = &[SectionType::of(
    DELIVERY,
    "Progressive delivery with Argo Rollouts: a `canary` in weighted steps or a `blueGreen` switch, checked by an analysis that rolls a bad version back (docs/progressive-delivery.md). The workload is rendered as a Rollout instead of a Deployment.",
)];

/// The workload's `delivery`, when written.
pub fn delivery(workload: &crate::spec::Workload) -> Option<&DeliverySpec> {
    DELIVERY.get(&workload.sections)
}

/// How a new version of a Deployment reaches users: gradually (`canary`)
/// or all at once after a preview (`blueGreen`). The workload is rendered as
/// an Argo Rollout (`argoproj.io/v1alpha1`) instead of a Deployment.
#[derive(Debug, Clone, Default, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
pub struct DeliverySpec {
    /// Shift traffic to the new version in steps. Exactly one of `canary`
    /// and `blueGreen`.
    #[serde(default)]
    pub canary: Option<CanarySpec>,
    /// Run the new version beside the old one behind a preview Service, then
    /// switch all traffic at once.
    #[serde(default)]
    pub blue_green: Option<BlueGreenSpec>,
    /// The automated check of the new version (an AnalysisTemplate on
    /// Prometheus): a failure aborts the rollout and sends traffic back to
    /// the old version.
    #[serde(default)]
    pub analysis: Option<AnalysisSpec>,
}

/// A canary rollout.
#[derive(Debug, Clone, Default, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
pub struct CanarySpec {
    /// The steps, in order: each sets a weight, pauses or runs the analysis.
    /// After the last step the new version takes all the traffic.
    pub steps: Vec<CanaryStep>,
}

/// One step of a canary: exactly one of its keys.
#[derive(Debug, Clone, Default, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
pub struct CanaryStep {
    /// Percentage of the traffic (0 to 100) sent to the new version. Weights
    /// must rise from step to step.
    #[serde(default)]
    pub set_weight: Option<u32>,
    /// Wait: a duration (`30s`, `10m`, `1h`), or `manual` to wait until the
    /// rollout is promoted (`kubectl argo rollouts promote <name>`).
    #[serde(default)]
    pub pause: Option<String>,
    /// Run the analysis (`delivery.analysis`) to its end: the rollout goes
    /// on when it succeeds and is aborted when it fails. Written `{}`.
    #[serde(default)]
    pub analysis: Option<AnalysisStep>,
}

/// An analysis step; the analysis itself is `delivery.analysis`.
#[derive(Debug, Clone, Default, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct AnalysisStep {}

/// A blue/green rollout.
#[derive(Debug, Clone, Default, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
pub struct BlueGreenSpec {
    /// Switch traffic to the new version as soon as it is ready. Default
    /// `false` in production (promote with `kubectl argo rollouts promote`),
    /// `true` elsewhere.
    #[serde(default)]
    pub auto_promotion: Option<bool>,
    /// Seconds the old version keeps running after the switch, so an abort
    /// sends traffic back without waiting for pods. Default 30.
    #[serde(default)]
    pub scale_down_delay_seconds: Option<u32>,
    /// A public host serving the new version before the switch (the preview
    /// Service), on the workload's `expose` path and port. Requires `expose`.
    #[serde(default)]
    pub preview_host: Option<String>,
}

/// The analysis of a new version: its success rate and, optionally, its
/// latency, measured by Prometheus on the new version's pods only.
#[derive(Debug, Clone, Default, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
pub struct AnalysisSpec {
    /// Least share of responses that are not 5xx, in percent. Default 99.
    #[serde(default)]
    pub success_rate: Option<f64>,
    /// Highest 99th percentile of the response time (`500ms`, `2s`). Not
    /// measured when absent.
    #[serde(default)]
    pub latency_p99: Option<String>,
    /// Time between two measurements (`30s`, `1m`). Default `1m`.
    #[serde(default)]
    pub interval: Option<String>,
    /// Measurements taken by an analysis step, and after a blue/green
    /// switch. Default 5.
    #[serde(default)]
    pub measurements: Option<u32>,
    /// Failed measurements tolerated before the rollout is aborted.
    /// Default 1.
    #[serde(default)]
    pub failure_limit: Option<u32>,
    /// The counter of requests. Default `http_requests_total`.
    #[serde(default)]
    pub requests_metric: Option<String>,
    /// The label of `requestsMetric` holding the status code (`500`) or
    /// class (`5xx`). Default `code`, as Prometheus' client libraries name
    /// it; `status` for prometheus-fastapi-instrumentator.
    #[serde(default)]
    pub status_label: Option<String>,
    /// The histogram of response times in seconds (its `_bucket` series).
    /// Default `http_request_duration_seconds`.
    #[serde(default)]
    pub latency_metric: Option<String>,
    /// Prometheus' address. Default: the Prometheus Operator's
    /// `prometheus-operated` Service in `monitoring.namespace`.
    #[serde(default)]
    pub prometheus: Option<String>,
}

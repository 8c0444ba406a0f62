//! Progressive delivery with Argo Rollouts: `workloads.<name>.delivery`
//! renders a Deployment as a `Rollout` (`argoproj.io/v1alpha1`), either a
//! canary that shifts traffic in weighted steps (through the nginx ingress,
//! Gateway API HTTPRoute weights, or the share of pods) or a blue/green
//! rollout behind a preview Service and host; an `AnalysisTemplate` on the
//! new version's success rate and latency in Prometheus aborts a bad
//! version, which sends traffic back to the stable one.

pub mod analyze;
pub mod lower;
pub mod model;
pub mod spec;

use super::capability::Capability;

pub const CAPABILITY: Capability = Capability {
    name: "rollouts",
    spec_keys: &["workloads.*.delivery"],
    sections: spec::SECTIONS,
    namespace_paths: &[],
    docs: "docs/progressive-delivery.md",
    analyze: Some(analyze::analyze),
    analyze_workload: None,
    provides_env: None,
    lower: None,
    lower_workload: Some(lower::objects),
    rules: &[],
};

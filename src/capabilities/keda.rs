//! Event-driven autoscaling with KEDA: `workloads.<name>.autoscaling.events`
//! scales a workload on a RabbitMQ queue's depth, a Prometheus query or a
//! cron window through a `ScaledObject` (`keda.sh/v1alpha1`) instead of a
//! HorizontalPodAutoscaler; KEDA makes the HorizontalPodAutoscaler itself.
//! Credentials come from the Secrets the operators generate, through a
//! `TriggerAuthentication`, and the network policies admit KEDA's operator
//! to the broker's management API.

pub mod analyze;
pub mod lower;
pub mod model;
pub mod spec;

use super::capability::Capability;

pub const CAPABILITY: Capability = Capability {
    name: "keda",
    spec_keys: &["keda", "workloads.*.autoscaling.events"],
    sections: spec::SECTIONS,
    namespace_paths: &[],
    docs: "docs/operations.md",
    analyze_workload: None,
    analyze: Some(analyze::analyze),
    provides_env: None,
    lower: None,
    lower_workload: Some(lower::objects),
    rules: &[],
};

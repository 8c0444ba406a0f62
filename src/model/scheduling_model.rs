//! Scheduling as resolved for one environment: the PriorityClasses the platform
//! declares and the tolerations a workload's node pool needs.

use crate::source::Span;
use crate::spec::{PreemptionPolicy, TaintEffect};

#[derive(Debug, Clone)]
pub struct PriorityClassModel {
    pub name: String,
    pub value: i32,
    pub description: Option<String>,
    pub global_default: bool,
    pub preemption_policy: PreemptionPolicy,
    /// The class's key in the spec, for diagnostics on generated objects.
    pub origin: Span,
}

/// A toleration of one node taint: `Equal` to its value, or `Exists` when the
/// taint has none.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TolerationModel {
    pub key: String,
    pub value: Option<String>,
    pub effect: TaintEffect,
}

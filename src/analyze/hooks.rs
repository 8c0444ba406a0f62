//! Where the capabilities plug into the analysis: a hook per platform (after
//! the core analysis) and a hook per workload (within it). The registry
//! (`capabilities::analyze_hooks`) collects them; the analysis only runs
//! what it is given.

use crate::model::{PlatformModel, WorkloadModel};
use crate::spec::Workload;

use super::Context;

/// A capability's analysis: its checks, and its part of the model. It runs
/// after the core analysis, on a model that may have been built despite
/// errors (so one run reports every problem); such a model is discarded, so a
/// hook must not panic on it but need not make sense of it.
pub type Hook = fn(&mut Context<'_>, &mut PlatformModel);

/// A capability's analysis of one workload's section: its checks, and its
/// part of the workload's model. It runs within the core analysis of the
/// workload (which has resolved everything else of it), and an error it
/// reports leaves the workload out of the model as a core error does.
pub type WorkloadHook = fn(&mut Context<'_>, &Workload, &mut WorkloadModel);

/// Whether a capability's sections of a workload set the container's
/// environment variable `variable` (a secret's `env`): what a known image
/// needs may come from them.
pub type EnvHook = fn(&Workload, &str) -> bool;

/// The capabilities' analysis hooks, in the order they run.
#[derive(Debug, Default)]
pub struct Hooks {
    pub platform: Vec<Hook>,
    pub workload: Vec<WorkloadHook>,
    pub env: Vec<EnvHook>,
}

//! `Capability`: what a capability registers, the hooks and rules by which
//! the pipeline runs it. Its own file so that each capability's registration
//! uses it without using the registry that lists them.

use crate::analyze;
use crate::lower;
use crate::policy::Rule;
use crate::spec::SectionType;

/// One capability: where it plugs into the pipeline.
#[derive(Debug)]
pub struct Capability {
    /// Short name, as in its folder.
    pub name: &'static str,
    /// The spec keys it owns, as key paths where `*` stands for any name
    /// (`storageClasses`, `workloads.*.secrets`).
    pub spec_keys: &'static [&'static str],
    /// The sections of the spec it reads, each with its type: what the
    /// spec reader reads for it, and its part of the editor schema.
    pub sections: &'static [SectionType],
    /// The key paths of its sections whose values name a platform namespace
    /// (`postgres.*.namespace`), renamed with them by
    /// `cluster.namespaceTemplate`.
    pub namespace_paths: &'static [&'static str],
    /// Its page in docs/, which documents every key it owns.
    pub docs: &'static str,
    /// Checks and resolves its part of the model, after the core analysis.
    pub analyze: Option<analyze::Hook>,
    /// Checks and resolves its part of each workload's model, within the
    /// core analysis of the workload.
    pub analyze_workload: Option<analyze::WorkloadHook>,
    /// Whether its sections of a workload set a container environment
    /// variable.
    pub provides_env: Option<analyze::EnvHook>,
    /// Renders its platform-wide objects, right after the Namespaces and
    /// before the core's other platform-wide objects.
    pub lower: Option<lower::PlatformHook>,
    /// Renders its objects of one workload.
    pub lower_workload: Option<lower::WorkloadHook>,
    /// Its policy rules (PG4xxx), each in its folder's `policy.rs`.
    pub rules: &'static [&'static Rule],
}

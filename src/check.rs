//! The `check` stage over a selection of environments: compile each one
//! (load → analyze → lower, as `render` does, without emitting), run the policy
//! rules over each environment that compiled, and gather everything into a
//! [`CheckReport`]: per environment for JSON, merged across environments for
//! text and SARIF. Pure: it must not print or choose an output format.

mod entry;
mod replica_sources;
mod report;
pub mod report_json;
pub mod sarif;
mod shared_cluster;

pub use entry::Entry;
pub use report::{CheckReport, CheckStatus, EnvironmentCheck};

use crate::pipeline;
use crate::read::{ParsedOnce, SpecSource};
use crate::validate::SchemaSet;

/// Checks `environments` of the platform `source` holds, in a process that
/// ends once the report is out: the last environment's spec tree, spec and
/// model, the largest things a check holds, are left for the operating
/// system to reclaim at exit. Freeing them one allocation at a time would be
/// the last tenth of a large platform's check, with nothing else left to run
/// (`render` leaves its objects the same way).
pub fn check_before_exit(source: &dyn SpecSource, environments: &[String]) -> CheckReport {
    // The platform file is parsed once for every environment.
    let source = &ParsedOnce::new(source, environments.len());
    let mut checked = Vec::new();
    let mut members = Vec::new();
    let mut replicas = Vec::new();
    // Every object is validated against the embedded schemas: reading them
    // overlaps reading and lowering the first environment's spec.
    SchemaSet::read_ahead();
    // Footprints are compared between environments, so one environment
    // alone needs none.
    let footprinting = if environments.len() > 1 {
        pipeline::Footprinting::Record
    } else {
        pipeline::Footprinting::Skip
    };
    // One environment's compilation at a time: only what the checks across
    // environments need is kept of it.
    for (index, name) in environments.iter().enumerate() {
        let mut compilation = pipeline::compile_checked(source, name, footprinting);
        let footprint = compilation.footprint.take();
        members.push(shared_cluster::Member::of(&compilation, footprint));
        replicas.push(replica_sources::Member::of(&compilation));
        checked.push((
            std::mem::take(&mut compilation.diagnostics),
            EnvironmentCheck {
                name: name.clone(),
                diagnostics: Vec::new(),
                sources: std::mem::take(&mut compilation.sources),
                policy: compilation.policy.take(),
            },
        ));
        if index + 1 == environments.len() {
            std::mem::forget(compilation);
        }
    }
    // Environments declared to share a cluster must not collide there.
    for (index, problem) in shared_cluster::collisions(&members) {
        checked[index].0.push(problem);
    }
    // A replica cluster follows a primary of the same major version.
    for (index, problem) in replica_sources::problems(&replicas) {
        checked[index].0.push(problem);
    }
    let environments = checked
        .into_iter()
        .map(|(diagnostics, mut environment)| {
            environment.diagnostics = diagnostics.into_sorted();
            environment
        })
        .collect();
    CheckReport { environments }
}

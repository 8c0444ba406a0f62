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
use crate::read::SpecSource;
use crate::validate::SchemaSet;

/// Checks `environments` of the platform `source` holds.
pub fn check(source: &dyn SpecSource, environments: &[String]) -> CheckReport {
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
    for name in environments {
        let mut compilation = pipeline::compile_checked(source, name, footprinting);
        let footprint = compilation.footprint.take();
        members.push(shared_cluster::Member::of(&compilation, footprint));
        replicas.push(replica_sources::Member::of(&compilation));
        checked.push((
            compilation.diagnostics,
            EnvironmentCheck {
                name: name.clone(),
                diagnostics: Vec::new(),
                sources: compilation.sources,
                policy: compilation.policy,
            },
        ));
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

//! The `check` stage over a selection of environments: compile each one
//! (load → analyze → lower, as `render` does, without emitting), run the policy
//! rules over each environment that compiled, and gather everything into a
//! [`CheckReport`]: per environment for JSON, merged across environments for
//! text and SARIF. Pure: it must not print or choose an output format.

mod entry;
mod report;
pub mod report_json;
pub mod sarif;

pub use entry::Entry;
pub use report::{CheckReport, CheckStatus, EnvironmentCheck};

use crate::pipeline;
use crate::read::SpecSource;

/// Checks `environments` of the platform `source` holds.
pub fn check(source: &dyn SpecSource, environments: &[String]) -> CheckReport {
    let environments = environments
        .iter()
        .map(|name| {
            let compilation = pipeline::compile_checked(source, name);
            EnvironmentCheck {
                name: name.clone(),
                diagnostics: compilation.diagnostics.into_sorted(),
                sources: compilation.sources,
                policy: compilation.policy,
            }
        })
        .collect();
    CheckReport { environments }
}

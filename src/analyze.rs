//! Semantic analysis: checks that need the whole spec (references, names, ports,
//! scaling, exposure) and builds the resolved [`crate::model::PlatformModel`].
//! Reads the spec, writes diagnostics; never panics on user input.

mod analyzer;
mod context;
mod exposure;
mod names;
mod references;
mod workload;

pub use analyzer::analyze;
use context::Context;

//! platformgen: compiles a typed platform spec (`platform.yaml` plus an overlay
//! per environment) into validated, deterministic Kubernetes manifests.
//!
//! The pipeline, one module per stage (see docs/architecture.md):
//! `read` → `yaml` → `merge` → `spec` → `analyze` → `model` → `lower` →
//! `object` → `emit`, driven by `pipeline`. `check` adds the `policy` stage
//! after `lower` (`render` never runs it). `cli` and `run` are the edge.

pub mod analyze;
pub mod capabilities;
pub mod check;
pub mod cli;
pub mod diagnostic;
pub mod diff;
pub mod emit;
pub mod explain;
pub mod graph;
pub mod init;
pub mod lower;
pub mod merge;
pub mod model;
pub mod object;
pub mod parallel;
pub mod pipeline;
pub mod policy;
pub mod read;
pub mod run;
pub mod schema;
pub mod source;
pub mod spec;
pub mod template;
#[cfg(test)]
mod testing;
pub mod validate;
pub mod yaml;

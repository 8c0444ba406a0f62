//! platformgen: compiles a typed platform spec (`platform.yaml` plus an overlay
//! per environment) into validated, deterministic Kubernetes manifests.
//!
//! The pipeline, one module per stage (see docs/architecture.md):
//! `source` → `yaml` → `merge` → `spec` → `analyze` → `model` → `lower` →
//! `manifest` → `emit`, driven by `pipeline`. `check` adds the `policy` stage
//! after `lower` (`render` never runs it). `cli` and `run` are the edge.

pub mod analyze;
pub mod check;
pub mod cli;
pub mod diagnostic;
pub mod diff;
pub mod emit;
pub mod explain;
pub mod graph;
pub mod lower;
pub mod manifest;
pub mod merge;
pub mod model;
pub mod pipeline;
pub mod policy;
pub mod redaction;
pub mod resource_key;
pub mod run;
pub mod schema;
pub mod source;
pub mod spec;
pub mod yaml;

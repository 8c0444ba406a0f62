//! platformgen: compiles a typed platform spec (`platform.yaml` plus an overlay
//! per environment) into validated, deterministic Kubernetes manifests.
//!
//! The pipeline, one module per stage (see docs/architecture.md):
//! `source` → `yaml` → `merge` → `spec` → `analyze` → `model` → `lower` →
//! `manifest` → `emit`, driven by `pipeline`. `cli` and `run` are the edge.

pub mod analyze;
pub mod cli;
pub mod diagnostic;
pub mod emit;
pub mod explain;
pub mod lower;
pub mod manifest;
pub mod merge;
pub mod model;
pub mod pipeline;
pub mod run;
pub mod schema;
pub mod source;
pub mod spec;
pub mod yaml;

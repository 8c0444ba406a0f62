//! The one integration-test binary (one link step for every test). Each module
//! is a behaviour of the `platformgen` binary or of its output.

pub mod support;

mod determinism;
mod error_messages;
mod example_render;
mod explain;
mod out_dir;
mod schema;
mod validation;
mod yaml_safety;

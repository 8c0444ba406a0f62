//! Emission: manifests to text. `yaml` is the only YAML formatter; `stream` and
//! `tree` shape the output; `write` is the only code that writes to disk.

mod kustomize;
mod output;
mod stream;
mod tree;
pub mod write;
pub mod yaml;

pub use kustomize::{BASE_DIR, OVERLAYS_DIR, kustomize};
pub use output::OutputTree;
pub use stream::{stream, write_stream};
pub use tree::{KUSTOMIZATION, tree};

//! Emission: manifests to text. `yaml` is the only YAML formatter; `stream` and
//! `tree` shape the output; `write` is the only code that writes to disk.

mod kustomize;
mod output;
mod render_dir;
mod stream;
mod tree;
pub mod write;

pub use kustomize::{BASE_DIR, OVERLAYS_DIR, kustomize};
pub use output::{OutputPathError, OutputTree};
pub use render_dir::{
    RenderDirError, RenderedFile, is_directory, is_render_dir, read_render_dir,
    rendered_subdirectories,
};
pub use stream::{stream, write_stream};
pub use tree::{KUSTOMIZATION, tree};

//! Emission: manifests to text. `yaml` is the only YAML formatter; `stream` and
//! `tree` shape the output; `write` is the only code that writes to disk,
//! but for `new_files`, which creates the files of a new platform.

mod kustomize;
mod new_files;
mod output;
mod render_dir;
mod reserved;
mod stream;
mod tree;
pub mod write;

pub use kustomize::{BASE_DIR, OVERLAYS_DIR, kustomize};
pub use new_files::{NewFilesError, create_new_files};
pub use output::{OutputPathError, OutputTree};
pub use render_dir::{
    RenderDirError, RenderedFile, is_directory, is_render_dir, read_render_dir,
    rendered_subdirectories,
};
pub use stream::{json_list, stream, write_stream};
pub use tree::{KUSTOMIZATION, tree};

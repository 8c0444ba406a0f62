//! Loaded input text and positions in it. Only `loader` (spec files),
//! `git_revision` (spec files at a git revision) and `render_dir` (a previous
//! render, for `diff`) read input.

mod git_revision;
mod loader;
mod render_dir;
mod source_file;
mod sources;
mod span;

pub use git_revision::{GitError, GitRevision};
pub use loader::{ENVIRONMENTS_DIR, LoadError, Loader, PLATFORM_FILE, read_text};
pub use render_dir::{RenderDirError, RenderedFile, is_render_dir, read_render_dir};
pub use source_file::SourceFile;
pub use sources::Sources;
pub use span::{FileId, Span};

//! Reading the spec: from the working tree (`Loader`) or from a git revision
//! (`GitRevision`), both behind [`SpecSource`]. The only code that reads spec
//! files; a previous render is read back by `emit::render_dir`.

mod git_revision;
mod loader;
mod spec_source;

pub use git_revision::{GitError, GitRevision};
pub use loader::{ENVIRONMENTS_DIR, LoadError, Loader, PLATFORM_FILE, read_text};
pub use spec_source::SpecSource;

//! Reading the spec: from the working tree (`Loader`) or from a git revision
//! (`GitRevision`), both behind [`SpecSource`], and the values given on the
//! command line (`Override`). The only code that reads spec
//! files; a previous render is read back by `emit::render_dir`.

mod command_line;
mod git_revision;
mod loader;
mod parse_once;
mod shared_parse;
mod spec_source;

pub use command_line::{Override, OverrideFlag};
pub use git_revision::{GitError, GitRevision};
pub use loader::{ENVIRONMENTS_DIR, LoadError, Loader, PLATFORM_FILE, TEMPLATES_DIR, read_text};
pub use parse_once::ParsedOnce;
pub use shared_parse::SharedParse;
pub use spec_source::SpecSource;

//! Loaded input text and positions in it. Only `loader` touches the file system.

mod loader;
mod source_file;
mod sources;
mod span;

pub use loader::{ENVIRONMENTS_DIR, LoadError, Loader, PLATFORM_FILE, read_text};
pub use source_file::SourceFile;
pub use sources::Sources;
pub use span::{FileId, Span};

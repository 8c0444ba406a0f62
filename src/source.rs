//! Loaded input text and positions in it. Only `loader` touches the file system.

mod loader;
mod source_file;
mod sources;
mod span;

pub use loader::{LoadError, Loader};
pub use source_file::SourceFile;
pub use sources::Sources;
pub use span::{FileId, Span};

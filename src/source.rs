//! Loaded input text and positions in it: what diagnostics point into. Reading
//! files is `read`'s; this module holds only the text once read.

mod source_file;
mod sources;
mod span;

pub use source_file::SourceFile;
pub use sources::Sources;
pub use span::{FileId, Span};

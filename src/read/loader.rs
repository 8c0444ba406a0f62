//! `Loader`: reads the spec files of one platform directory. The only code that
//! reads spec input from disk; everything after it works on [`Sources`].
//! Paths given to the rest of the program are relative to the platform root and
//! `/`-separated, so no message or output depends on where the checkout lives.

#![allow(
    clippy::disallowed_methods,
    reason = "the only reader of spec files: one of the two places that touch the file system"
)]

use std::path::{Path, PathBuf};

use crate::diagnostic::{Code, Diagnostic};
use crate::source::{FileId, SourceFile, Sources, Span};

/// The base spec's file name, relative to the platform root.
pub const PLATFORM_FILE: &str = "platform.yaml";
/// The directory of environment overlays, relative to the platform root.
pub const ENVIRONMENTS_DIR: &str = "environments";

/// A failure to read the platform directory itself (not a problem in a spec
/// file, which is a [`Diagnostic`]).
#[derive(Debug, thiserror::Error)]
pub enum LoadError {
    #[error("cannot read directory `{path}`")]
    ReadDir {
        path: PathBuf,
        #[source]
        source: std::io::Error,
    },
}

#[derive(Debug, Clone)]
pub struct Loader {
    root: PathBuf,
}

impl Loader {
    pub fn new(root: impl Into<PathBuf>) -> Self {
        Self { root: root.into() }
    }

    pub fn root(&self) -> &Path {
        &self.root
    }

    /// The environments that have an overlay file, sorted by name.
    pub fn environments(&self) -> Result<Vec<String>, LoadError> {
        let dir = self.root.join(ENVIRONMENTS_DIR);
        let entries = match std::fs::read_dir(&dir) {
            Ok(entries) => entries,
            Err(error) if error.kind() == std::io::ErrorKind::NotFound => return Ok(Vec::new()),
            Err(source) => return Err(LoadError::ReadDir { path: dir, source }),
        };
        let mut names = Vec::new();
        for entry in entries {
            let entry = entry.map_err(|source| LoadError::ReadDir {
                path: dir.clone(),
                source,
            })?;
            let file_name = entry.file_name();
            if let Some(name) = file_name.to_str().and_then(|n| n.strip_suffix(".yaml"))
                && !name.starts_with('.')
            {
                names.push(name.to_owned());
            }
        }
        names.sort();
        Ok(names)
    }

    /// The overlay file of `environment`, relative to the root.
    pub fn environment_file(environment: &str) -> String {
        format!("{ENVIRONMENTS_DIR}/{environment}.yaml")
    }

    /// Reads `relative` into `sources`. Problems (missing file, unreadable file,
    /// invalid UTF-8) come back as diagnostics, with the file still added when
    /// there is text to point at.
    pub fn read(&self, relative: &str, sources: &mut Sources) -> Result<FileId, Diagnostic> {
        let path = self.root.join(relative);
        let bytes = match std::fs::read(&path) {
            Ok(bytes) => bytes,
            Err(error) if error.kind() == std::io::ErrorKind::NotFound => {
                return Err(Diagnostic::error(
                    Code::MissingFile,
                    format!("`{relative}` does not exist"),
                )
                .with_note(format!("looked in `{}`", self.root.display())));
            }
            Err(error) => {
                return Err(Diagnostic::error(
                    Code::Io,
                    format!("cannot read `{relative}`: {error}"),
                ));
            }
        };
        read_text(relative, bytes, sources)
    }
}

/// Adds `bytes` as a file named `relative`, checking they are UTF-8.
pub fn read_text(
    relative: &str,
    bytes: Vec<u8>,
    sources: &mut Sources,
) -> Result<FileId, Diagnostic> {
    match String::from_utf8(bytes) {
        Ok(text) => Ok(sources.add(SourceFile::new(relative, text))),
        Err(error) => {
            let offset = error.utf8_error().valid_up_to();
            let text = String::from_utf8_lossy(error.as_bytes()).into_owned();
            let id = sources.add(SourceFile::new(relative, text));
            // The lossy text replaces the bad byte with U+FFFD, three bytes long,
            // at the same offset: point at it.
            Err(Diagnostic::error(
                Code::InvalidUtf8,
                format!("`{relative}` is not valid UTF-8"),
            )
            .at(Span::new(id, offset, offset + 3), "invalid byte here"))
        }
    }
}

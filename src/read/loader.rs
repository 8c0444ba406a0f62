//! `Loader`: reads the spec files of one platform directory. The only code that
//! reads spec input from disk; everything after it works on [`Sources`].
//! Paths given to the rest of the program are relative to the platform root and
//! `/`-separated, so no message or output depends on where the checkout lives.

#![allow(
    clippy::disallowed_methods,
    reason = "the only reader of spec files: one of the two places that touch the file system"
)]

use std::path::{Path, PathBuf};

use super::Override;
use crate::diagnostic::{Code, Diagnostic};
use crate::source::{FileId, SourceFile, Sources, Span};

/// The base spec's file name, relative to the platform root.
pub const PLATFORM_FILE: &str = "platform.yaml";
/// The directory of environment overlays, relative to the platform root.
pub const ENVIRONMENTS_DIR: &str = "environments";
/// The directory of user templates, relative to the platform root.
pub const TEMPLATES_DIR: &str = "templates";

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
    #[error(
        "`{ENVIRONMENTS_DIR}/{file}` does not name an environment: names are lowercase letters, \
         digits and `-`, starting with a letter or digit and at most 63 characters \
         (they become directory names and labels)"
    )]
    InvalidEnvironmentName { file: String },
    #[error(
        "`{ENVIRONMENTS_DIR}/{name}.yaml` and `{ENVIRONMENTS_DIR}/{name}.yml` are both there: \
         keep one overlay per environment"
    )]
    TwoOverlays { name: String },
}

/// The environment an overlay file name stands for: `prod.yaml` or
/// `prod.yml` is `prod`.
pub(super) fn overlay_name(file_name: &str) -> Option<&str> {
    file_name
        .strip_suffix(".yaml")
        .or_else(|| file_name.strip_suffix(".yml"))
}

/// Whether `name` can name an environment: an RFC 1123 label, since it
/// becomes a directory of `render --all --out` and a label value.
fn is_environment_name(name: &str) -> bool {
    !name.is_empty()
        && name.len() <= 63
        && name
            .bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-')
        && !name.starts_with('-')
        && !name.ends_with('-')
}

#[derive(Debug, Clone)]
pub struct Loader {
    root: PathBuf,
    overrides: Vec<Override>,
}

impl Loader {
    pub fn new(root: impl Into<PathBuf>) -> Self {
        Self {
            root: root.into(),
            overrides: Vec::new(),
        }
    }

    /// The same directory, with values from the command line applied over
    /// every environment's overlay, in order.
    #[must_use]
    pub fn with_overrides(mut self, overrides: Vec<Override>) -> Self {
        self.overrides = overrides;
        self
    }

    /// The platform directory for a command run in `cwd` without `--dir`:
    /// the nearest of `cwd` and its ancestors that holds a `platform.yaml`,
    /// as a relative path (`.`, `..`, `../..`) so messages stay short; `.`
    /// when none does, for the command to report what is missing there.
    pub fn discover(cwd: &Path) -> PathBuf {
        cwd.ancestors()
            .position(|dir| {
                std::fs::symlink_metadata(dir.join(PLATFORM_FILE))
                    .is_ok_and(|metadata| metadata.is_file())
            })
            .map_or_else(
                || PathBuf::from("."),
                |up| match up {
                    0 => PathBuf::from("."),
                    up => (0..up).map(|_| "..").collect(),
                },
            )
    }

    /// The command-line values, in the order they apply.
    pub fn overrides(&self) -> &[Override] {
        &self.overrides
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
            let file_name = file_name.to_string_lossy();
            if let Some(name) = overlay_name(&file_name)
                && !name.starts_with('.')
            {
                if !is_environment_name(name) {
                    return Err(LoadError::InvalidEnvironmentName {
                        file: file_name.escape_debug().to_string(),
                    });
                }
                names.push(name.to_owned());
            }
        }
        names.sort();
        if let Some(pair) = names.windows(2).find(|pair| pair[0] == pair[1]) {
            return Err(LoadError::TwoOverlays {
                name: pair[0].clone(),
            });
        }
        Ok(names)
    }

    /// The template files (`templates/*.yaml` and `*.yml`, not in
    /// subdirectories, not hidden), root-relative, sorted.
    pub fn templates(&self) -> Result<Vec<String>, LoadError> {
        let dir = self.root.join(TEMPLATES_DIR);
        let entries = match std::fs::read_dir(&dir) {
            Ok(entries) => entries,
            Err(error) if error.kind() == std::io::ErrorKind::NotFound => return Ok(Vec::new()),
            Err(source) => return Err(LoadError::ReadDir { path: dir, source }),
        };
        let mut files = Vec::new();
        for entry in entries {
            let entry = entry.map_err(|source| LoadError::ReadDir {
                path: dir.clone(),
                source,
            })?;
            let file_name = entry.file_name().to_string_lossy().into_owned();
            if overlay_name(&file_name).is_some() && !file_name.starts_with('.') {
                files.push(format!("{TEMPLATES_DIR}/{file_name}"));
            }
        }
        files.sort();
        Ok(files)
    }

    /// The overlay file of `environment`, relative to the root:
    /// `environments/<env>.yaml`, or `.yml` when only that exists.
    pub fn overlay_file(&self, environment: &str) -> String {
        let yml = format!("{ENVIRONMENTS_DIR}/{environment}.yml");
        let yaml = format!("{ENVIRONMENTS_DIR}/{environment}.yaml");
        let exists = |relative: &str| std::fs::symlink_metadata(self.root.join(relative)).is_ok();
        if !exists(&yaml) && exists(&yml) {
            yml
        } else {
            yaml
        }
    }

    /// Reads `relative` into `sources`. Problems (missing file, unreadable file,
    /// invalid UTF-8) come back as diagnostics, with the file still added when
    /// there is text to point at.
    pub fn read(&self, relative: &str, sources: &mut Sources) -> Result<FileId, Diagnostic> {
        let path = self.root.join(relative);
        self.check_inside(relative, &path)?;
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

impl Loader {
    /// Refuses a file that resolves (through symbolic links) outside the
    /// platform directory: a spec under review must not be able to make
    /// platformgen read and quote any other file of the machine. A missing
    /// file passes here and is reported by the read.
    fn check_inside(&self, relative: &str, path: &Path) -> Result<(), Diagnostic> {
        let (Ok(root), Ok(resolved)) = (
            std::fs::canonicalize(&self.root),
            std::fs::canonicalize(path),
        ) else {
            return Ok(());
        };
        if resolved.starts_with(&root) {
            return Ok(());
        }
        Err(Diagnostic::error(
            Code::OutsideTree,
            format!("`{relative}` leads outside the platform directory"),
        )
        .with_note("it is a symbolic link (or inside a linked directory) pointing elsewhere")
        .with_help("copy the file into the platform directory, or link to a file inside it"))
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

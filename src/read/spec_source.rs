//! `SpecSource`: where the spec files come from.

use crate::diagnostic::{Code, Diagnostic};
use crate::source::{FileId, Sources};

use super::shared_parse::SharedParse;
use super::{Loader, Override};

/// Where the spec files come from: a directory on disk, or any other source of
/// file contents (a git revision, for `diff --against-ref`).
pub trait SpecSource {
    /// Environments that have an overlay, sorted.
    fn environments(&self) -> Result<Vec<String>, Diagnostic>;
    /// The overlay file of `environment`, root-relative:
    /// `environments/<env>.yaml`, or `.yml` when only that exists.
    fn overlay_file(&self, environment: &str) -> String;
    /// Reads `relative` (root-relative, `/`-separated) into `sources`.
    fn read(&self, relative: &str, sources: &mut Sources) -> Result<FileId, Diagnostic>;
    /// The user templates (`templates/*.yaml`), root-relative, sorted.
    fn templates(&self) -> Result<Vec<String>, Diagnostic> {
        Ok(Vec::new())
    }
    /// Values given on the command line, applied over the overlay in order.
    /// Only the working tree takes them: a git revision is compared as it
    /// was committed.
    fn overrides(&self) -> &[Override] {
        &[]
    }
    /// The parse of the platform file that several compilations share, for
    /// a source wrapped in [`super::ParsedOnce`].
    fn shared_parse(&self) -> Option<&SharedParse> {
        None
    }
}

impl SpecSource for Loader {
    fn environments(&self) -> Result<Vec<String>, Diagnostic> {
        Loader::environments(self).map_err(|error| {
            Diagnostic::error(
                Code::Io,
                format!(
                    "{error}: {}",
                    std::error::Error::source(&error).map_or(String::new(), ToString::to_string)
                ),
            )
        })
    }

    fn overlay_file(&self, environment: &str) -> String {
        Loader::overlay_file(self, environment)
    }

    fn templates(&self) -> Result<Vec<String>, Diagnostic> {
        Loader::templates(self).map_err(|error| {
            Diagnostic::error(
                Code::Io,
                format!(
                    "{error}: {}",
                    std::error::Error::source(&error).map_or(String::new(), ToString::to_string)
                ),
            )
        })
    }

    fn read(&self, relative: &str, sources: &mut Sources) -> Result<FileId, Diagnostic> {
        Loader::read(self, relative, sources)
    }

    fn overrides(&self) -> &[Override] {
        Loader::overrides(self)
    }
}

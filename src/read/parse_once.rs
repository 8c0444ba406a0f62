//! The platform file parsed once for every environment a command compiles.
//! `check --all`, `render --all`, `kustomize` and `diff --all` compile each
//! environment over the same `platform.yaml` (10 MB of YAML at 10,000
//! services), and each compilation used to parse it again.

use crate::diagnostic::Diagnostic;
use crate::source::{FileId, Sources};

use super::shared_parse::SharedParse;
use super::{Override, SpecSource};

/// `source`, for `compilations` compilations that share one parse of the
/// platform file (see [`SharedParse`]).
pub struct ParsedOnce<'s, S: ?Sized> {
    source: &'s S,
    parse: SharedParse,
}

impl<'s, S: SpecSource + ?Sized> ParsedOnce<'s, S> {
    pub fn new(source: &'s S, compilations: usize) -> Self {
        Self {
            source,
            parse: SharedParse::for_uses(compilations),
        }
    }
}

impl<S: SpecSource + ?Sized> SpecSource for ParsedOnce<'_, S> {
    fn environments(&self) -> Result<Vec<String>, Diagnostic> {
        self.source.environments()
    }

    fn overlay_file(&self, environment: &str) -> String {
        self.source.overlay_file(environment)
    }

    fn read(&self, relative: &str, sources: &mut Sources) -> Result<FileId, Diagnostic> {
        self.source.read(relative, sources)
    }

    fn templates(&self) -> Result<Vec<String>, Diagnostic> {
        self.source.templates()
    }

    fn overrides(&self) -> &[Override] {
        self.source.overrides()
    }

    fn shared_parse(&self) -> Option<&SharedParse> {
        Some(&self.parse)
    }
}

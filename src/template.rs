//! User templates (`templates/*.yaml`): objects the spec has no words for,
//! written as Kubernetes YAML with minijinja expressions, rendered for each
//! environment with the merged spec as context, then read with platformgen's
//! own YAML reader and added to the render like every other object (sorted,
//! patched, judged by the policy rules, written, diffed).
//!
//! Undefined variables are errors (strict undefined), never empty text, and
//! every error points into the template or into its rendered text. The only
//! user of minijinja.

mod documents;
mod render;

use crate::diagnostic::Diagnostic;
use crate::object::Manifest;
use crate::read::SpecSource;
use crate::source::Sources;
use crate::yaml::Node;

/// The objects of every template of `source` for `environment`, whose merged
/// (and interpolated) spec is `tree`; all problems at once.
pub fn objects(
    source: &dyn SpecSource,
    tree: &Node,
    environment: &str,
    sources: &mut Sources,
) -> Result<Vec<Manifest>, Vec<Diagnostic>> {
    let files = source.templates().map_err(|diagnostic| vec![diagnostic])?;
    if files.is_empty() {
        return Ok(Vec::new());
    }
    let context = render::Context::new(tree, environment);
    let mut objects = Vec::new();
    let mut errors = Vec::new();
    for relative in files {
        let file = match source.read(&relative, sources) {
            Ok(file) => file,
            Err(diagnostic) => {
                errors.push(diagnostic);
                continue;
            }
        };
        let rendered = match render::render(&relative, file, &context, sources) {
            Ok(rendered) => rendered,
            Err(diagnostic) => {
                errors.push(diagnostic);
                continue;
            }
        };
        match documents::objects(&relative, rendered, sources) {
            Ok(found) => objects.extend(found),
            Err(found) => errors.extend(found),
        }
    }
    if errors.is_empty() {
        Ok(objects)
    } else {
        Err(errors)
    }
}

//! Compiling every selected environment, with each one's diagnostics printed.

use crate::pipeline::Compilation;
use crate::read::Loader;

use super::output::Printer;

/// How one environment is compiled: [`crate::pipeline::compile`] (objects
/// kept for inspection) or [`crate::pipeline::compile_to_text`] (output only).
pub(super) type CompileFn = fn(&dyn crate::read::SpecSource, &str) -> Compilation;

/// Compiles every selected environment and prints their diagnostics; `None`
/// when any of them had errors (then nothing must be written).
pub(super) fn compile_all(
    loader: &Loader,
    names: &[String],
    printer: &Printer,
    compile: CompileFn,
) -> Option<Vec<Compilation>> {
    // Two at a time: one compilation leaves a core idle while it reads and
    // analyses the spec, and only its lowering uses both.
    // The platform file is parsed once for all of them.
    let source = crate::read::ParsedOnce::new(loader, names.len());
    let compilations: Vec<Compilation> =
        crate::parallel::map_in_order(names, 1, |name| compile(&source, name)).collect();
    let mut failed = false;
    for compilation in &compilations {
        failed |= printer.diagnostics(compilation);
    }
    (!failed).then_some(compilations)
}

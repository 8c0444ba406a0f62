//! What `--check` found stale in an output directory, on standard error.

use std::path::Path;

use crate::emit::write;

use super::output::Printer;

/// Prints what is stale under `dir`; true when anything is.
pub(super) fn report_check(dir: &Path, report: &write::CheckReport, printer: &Printer) -> bool {
    if report.is_fresh() {
        printer.status(&format!("{} is up to date", dir.display()));
        return false;
    }
    say!("{} is stale:", dir.display());
    for (label, paths) in [
        ("missing", &report.missing),
        ("changed", &report.changed),
        ("no longer rendered", &report.extra),
    ] {
        for path in paths {
            say!("  {label}: {path}");
        }
    }
    say!("run `platformgen render` with the same --out to update it");
    true
}

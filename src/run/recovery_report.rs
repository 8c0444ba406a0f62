//! What a command says about a write an interrupted run left unfinished.

use std::path::Path;

use crate::emit::write;

use super::output::Printer;

/// Says what was done about a write into `dir` that an earlier run left
/// unfinished, so that a user who killed a render knows what they have.
pub(super) fn report_recovery(dir: &Path, report: &write::WriteReport, printer: &Printer) {
    match report.recovered {
        Some(write::Recovery::Finished) => printer.status(&format!(
            "{}: finished the write an interrupted run had committed",
            dir.display()
        )),
        Some(write::Recovery::Discarded) => printer.status(&format!(
            "{}: discarded the files an interrupted run had staged (the tree was unchanged)",
            dir.display()
        )),
        None => {}
    }
}

//! `Entry`: one line item of a check report merged across environments: a
//! diagnostic or a policy finding, the environments it occurs in, and the
//! sources to draw it from. A problem in the base file that every environment
//! shares is one entry, not one per environment.

use crate::diagnostic::Diagnostic;
use crate::policy::Finding;
use crate::source::Sources;

#[derive(Debug, Clone)]
pub struct Entry<'a> {
    pub diagnostic: &'a Diagnostic,
    /// The policy finding, when the entry is one (with its suppression).
    pub finding: Option<&'a Finding>,
    /// The sources of the first environment it occurs in (the spans of the
    /// base file are the same in every environment).
    pub sources: &'a Sources,
    /// The environments it occurs in, in the order they were checked.
    pub environments: Vec<&'a str>,
}

impl Entry<'_> {
    pub fn is_suppressed(&self) -> bool {
        self.finding.is_some_and(Finding::is_suppressed)
    }

    /// The diagnostic as a person reads it: when several environments were
    /// checked, a note names the ones it occurs in.
    pub fn annotated(&self, environments_checked: usize) -> Diagnostic {
        let mut diagnostic = self.diagnostic.clone();
        if environments_checked > 1 {
            diagnostic.notes.push(format!(
                "in environment{} {}",
                if self.environments.len() == 1 {
                    ""
                } else {
                    "s"
                },
                self.environments.join(", ")
            ));
        }
        diagnostic
    }
}

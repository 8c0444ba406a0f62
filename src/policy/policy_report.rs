//! `PolicyReport`: what the policy stage found in one environment: the findings
//! (suppressed ones included, marked), and which waivers were used, so a report
//! over several environments can tell a waiver unused everywhere (stale) from
//! one that is needed elsewhere.

use crate::diagnostic::Diagnostic;
use crate::source::Span;

use super::Finding;

#[derive(Debug, Clone, Default)]
pub struct PolicyReport {
    /// Findings of rules that are not off in this environment, sorted by place.
    pub findings: Vec<Finding>,
    /// Waivers that covered a finding (the span of their `rule` value), even a
    /// finding of a rule that is off here.
    pub used_waivers: Vec<Span>,
    /// A PG4900 warning for each waiver that covered nothing here.
    pub unused_waivers: Vec<Diagnostic>,
}

impl PolicyReport {
    /// Errors no waiver covers: what makes `check` fail.
    pub fn blocking(&self) -> usize {
        self.findings.iter().filter(|f| f.is_blocking()).count()
    }
}

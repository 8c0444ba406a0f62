//! `WaiverModel`: a policy waiver of the spec that applies to one workload,
//! resolved to the rule's code. Lowering writes it onto the workload's
//! objects as the skip annotations of external scanners (Checkov,
//! kube-linter), so their scans accept what `check` accepts, for the same
//! reason, without a second list to keep in step.

use crate::diagnostic::Code;

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct WaiverModel {
    /// The waived rule (PG4xxx).
    pub code: Code,
    /// The waiver's reason, on one line.
    pub reason: String,
}

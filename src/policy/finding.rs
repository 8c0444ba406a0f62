//! `Finding`: one violation of a policy rule, as a [`Diagnostic`] at a spec span
//! plus what waivers and fingerprints need: the workload and namespace it is
//! about and a stable subject. Rules build findings; the engine sets their
//! severity from the rule's level and attaches a waiver's suppression.

use crate::diagnostic::{Code, Diagnostic, Severity};
use crate::source::Span;

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Finding {
    /// The report: code, message, primary label at the spec span, help.
    pub diagnostic: Diagnostic,
    /// The workload (or generated object) the finding is about, for waivers.
    pub workload: Option<String>,
    /// The namespace the finding is about, for waivers.
    pub namespace: Option<String>,
    /// What the finding is about, stable across runs and edits elsewhere in the
    /// spec (`Deployment/shop/web/web/image`): the basis of SARIF fingerprints.
    pub subject: String,
    /// Set when a waiver covers the finding.
    pub suppression: Option<Suppression>,
}

/// A waiver that covers a finding.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Suppression {
    pub reason: String,
    /// The waiver in the spec.
    pub span: Span,
}

impl Finding {
    /// A finding of `code` at `span`. Its severity is provisional until the
    /// engine applies the rule's level.
    pub fn new(
        code: Code,
        subject: impl Into<String>,
        message: impl Into<String>,
        span: Span,
        label: impl Into<String>,
    ) -> Self {
        Self {
            diagnostic: Diagnostic::error(code, message).at(span, label),
            workload: None,
            namespace: None,
            subject: subject.into(),
            suppression: None,
        }
    }

    #[must_use]
    pub fn workload(mut self, workload: Option<&str>) -> Self {
        self.workload = workload.map(str::to_owned);
        self
    }

    #[must_use]
    pub fn namespace(mut self, namespace: Option<&str>) -> Self {
        self.namespace = namespace.map(str::to_owned);
        self
    }

    #[must_use]
    pub fn help(mut self, help: impl Into<String>) -> Self {
        self.diagnostic = self.diagnostic.with_help(help);
        self
    }

    #[must_use]
    pub fn note(mut self, note: impl Into<String>) -> Self {
        self.diagnostic = self.diagnostic.with_note(note);
        self
    }

    #[must_use]
    pub fn secondary(mut self, span: Span, label: impl Into<String>) -> Self {
        self.diagnostic = self.diagnostic.with_secondary(span, label);
        self
    }

    pub fn code(&self) -> Code {
        self.diagnostic.code
    }

    pub fn severity(&self) -> Severity {
        self.diagnostic.severity
    }

    pub fn is_suppressed(&self) -> bool {
        self.suppression.is_some()
    }

    /// An error that no waiver covers: what makes `check` exit 1.
    pub fn is_blocking(&self) -> bool {
        self.diagnostic.is_error() && !self.is_suppressed()
    }
}

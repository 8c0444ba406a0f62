//! `CheckReport`: the result of checking some environments, per environment (as
//! compiled) and merged across them ([`Entry`]), and the exit status it
//! implies: invalid input first, then policy errors.

use std::collections::{BTreeMap, BTreeSet};

use crate::diagnostic::Diagnostic;
use crate::diagnostic::render::{self, RenderOptions};
use crate::policy::PolicyReport;
use crate::source::{Sources, Span};

use super::Entry;

/// One environment, checked.
#[derive(Debug, Clone)]
pub struct EnvironmentCheck {
    pub name: String,
    pub sources: Sources,
    /// What compiling it reported (load, spec, analysis, lowering), sorted.
    pub diagnostics: Vec<Diagnostic>,
    /// The policy stage's result; `None` when the environment did not compile.
    pub policy: Option<PolicyReport>,
}

#[derive(Debug, Clone, Default)]
pub struct CheckReport {
    pub environments: Vec<EnvironmentCheck>,
}

/// What a check concluded, worst first.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum CheckStatus {
    /// Some environment's input is invalid (exit code 2).
    Invalid,
    /// Everything compiled, and a policy error is not waived (exit code 1).
    PolicyErrors,
    /// Nothing but warnings and waived findings (exit code 0).
    Clean,
}

impl CheckStatus {
    pub fn as_str(self) -> &'static str {
        match self {
            CheckStatus::Invalid => "invalid",
            CheckStatus::PolicyErrors => "policy-errors",
            CheckStatus::Clean => "clean",
        }
    }
}

/// Entries of a merged report by severity.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Counts {
    pub errors: usize,
    pub warnings: usize,
    pub suppressed: usize,
}

impl CheckReport {
    pub fn status(&self) -> CheckStatus {
        let invalid = self
            .environments
            .iter()
            .any(|env| env.diagnostics.iter().any(Diagnostic::is_error));
        if invalid {
            CheckStatus::Invalid
        } else if self
            .environments
            .iter()
            .filter_map(|env| env.policy.as_ref())
            .any(|policy| policy.blocking() > 0)
        {
            CheckStatus::PolicyErrors
        } else {
            CheckStatus::Clean
        }
    }

    /// The unused-waiver warnings of `environment`, except for waivers another
    /// checked environment used: a waiver in the base file may be needed in
    /// prod only, and is not stale because dev has nothing to waive.
    pub fn unused_waivers<'a>(
        &'a self,
        environment: &'a EnvironmentCheck,
    ) -> impl Iterator<Item = &'a Diagnostic> {
        let used: BTreeSet<(&str, u32)> = self
            .environments
            .iter()
            .filter_map(|env| {
                env.policy
                    .as_ref()
                    .map(|p| p.used_waivers.iter().map(|span| place(&env.sources, *span)))
            })
            .flatten()
            .collect();
        environment
            .policy
            .iter()
            .flat_map(|p| &p.unused_waivers)
            .filter(move |d| {
                d.primary
                    .as_ref()
                    .is_none_or(|label| !used.contains(&place(&environment.sources, label.span)))
            })
    }

    /// Everything reported, merged across environments: an item that reads the
    /// same in several environments (a problem in the base file) is one entry
    /// naming them all. Sorted by file, place and code.
    pub fn entries(&self) -> Vec<Entry<'_>> {
        let mut entries: Vec<Entry<'_>> = Vec::new();
        let mut seen: BTreeMap<EntryKey<'_>, usize> = BTreeMap::new();
        for env in &self.environments {
            let findings = env.policy.iter().flat_map(|p| &p.findings);
            let items = env
                .diagnostics
                .iter()
                .map(|d| (d, None))
                .chain(findings.map(|f| (&f.diagnostic, Some(f))))
                .chain(self.unused_waivers(env).map(|d| (d, None)));
            for (diagnostic, finding) in items {
                // Identical text means the same problem at the same place: the
                // base file is the same file in every environment.
                let text = render::render(diagnostic, &env.sources, RenderOptions::default());
                let suppression = finding
                    .and_then(|f| f.suppression.as_ref())
                    .map(|s| (s.reason.clone(), place(&env.sources, s.span)));
                match seen.get(&(text.clone(), suppression.clone())) {
                    Some(&index) => entries[index].environments.push(&env.name),
                    None => {
                        seen.insert((text, suppression), entries.len());
                        entries.push(Entry {
                            diagnostic,
                            finding,
                            sources: &env.sources,
                            environments: vec![&env.name],
                        });
                    }
                }
            }
        }
        entries.sort_by(|a, b| sort_key(a).cmp(&sort_key(b)));
        entries
    }

    /// Counts of [`Self::entries`].
    pub fn counts(entries: &[Entry<'_>]) -> Counts {
        let mut counts = Counts::default();
        for entry in entries {
            if entry.is_suppressed() {
                counts.suppressed += 1;
            } else if entry.diagnostic.is_error() {
                counts.errors += 1;
            } else {
                counts.warnings += 1;
            }
        }
        counts
    }
}

/// What makes two entries one: their text as rendered (code, message, place,
/// labels, notes) and the waiver covering them (reason and place), if any.
type EntryKey<'a> = (String, Option<(String, (&'a str, u32))>);

/// A span as (file path, offset): comparable across environments, whose
/// `Sources` number files independently.
fn place(sources: &Sources, span: Span) -> (&str, u32) {
    let path = sources.try_get(span.file).map_or("", |f| f.path.as_str());
    (path, span.start)
}

fn sort_key<'a>(entry: &'a Entry<'_>) -> impl Ord + 'a {
    let place = entry
        .diagnostic
        .primary
        .as_ref()
        .map(|label| place(entry.sources, label.span));
    (
        place,
        entry.diagnostic.code,
        entry.diagnostic.severity,
        entry.diagnostic.message.as_str(),
        entry.is_suppressed(),
        entry.environments.clone(),
    )
}

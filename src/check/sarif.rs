//! `platformgen check --format sarif`: a [`CheckReport`] as SARIF 2.1.0, the
//! format GitHub code scanning reads
//! (<https://docs.oasis-open.org/sarif/sarif/v2.1.0/sarif-v2.1.0.html>).
//!
//! Owns the SARIF shape only: one run whose driver lists every policy rule
//! (with its documentation as help) and any other code reported; one result per
//! entry of the report merged across environments, with its environments in
//! `properties`, a stable `partialFingerprints` value and, for a waived
//! finding, a `suppressions` entry carrying the waiver's reason. Must not print
//! or decide exit codes. Keys serialize sorted and results follow the report's
//! order, so the output is deterministic.

use serde_json::{Value, json};
use sha2::{Digest, Sha256};

use crate::capabilities;
use crate::check::{CheckReport, Entry};
use crate::diagnostic::json::location;
use crate::diagnostic::{Code, Label, Severity};
use crate::policy::{self, Rule};
use crate::source::Sources;
use crate::spec::RuleLevel;

const SCHEMA: &str = "https://json.schemastore.org/sarif-2.1.0.json";
/// The key of our fingerprint in `partialFingerprints`; bump the version if
/// what goes into it changes, so code scanning does not match unlike results.
const FINGERPRINT: &str = "platformgen/v1";

pub fn to_sarif(report: &CheckReport) -> Value {
    let entries = report.entries();
    // Every policy rule, so a viewer can show rules that found nothing; then the
    // other codes this report uses, in code order.
    let mut codes: Vec<Code> = capabilities::rules().iter().map(|rule| rule.code).collect();
    let mut others: Vec<Code> = entries
        .iter()
        .map(|entry| entry.diagnostic.code)
        .filter(|code| capabilities::rule(*code).is_none())
        .collect();
    others.sort_unstable();
    others.dedup();
    codes.extend(others);

    let rules: Vec<Value> = codes.iter().map(|code| rule_descriptor(*code)).collect();
    let results: Vec<Value> = entries
        .iter()
        .map(|entry| {
            let index = codes
                .iter()
                .position(|code| *code == entry.diagnostic.code)
                .expect("every reported code is listed");
            result(entry, index)
        })
        .collect();
    let mut driver = json!({
        "name": "platformgen",
        "version": env!("CARGO_PKG_VERSION"),
        "semanticVersion": env!("CARGO_PKG_VERSION"),
        "rules": rules,
    });
    let information = [env!("CARGO_PKG_HOMEPAGE"), env!("CARGO_PKG_REPOSITORY")]
        .into_iter()
        .find(|uri| !uri.is_empty());
    if let (Some(uri), Value::Object(map)) = (information, &mut driver) {
        map.insert("informationUri".to_owned(), json!(uri));
    }
    json!({
        "$schema": SCHEMA,
        "version": "2.1.0",
        "runs": [{
            "tool": { "driver": driver },
            // Our columns count characters, not UTF-16 code units (SARIF's default).
            "columnKind": "unicodeCodePoints",
            "results": results,
        }],
    })
}

fn rule_descriptor(code: Code) -> Value {
    let Some(rule) = capabilities::rule(code) else {
        return json!({
            "id": code.id(),
            "name": code.name(),
            "shortDescription": { "text": code.explanation() },
            "defaultConfiguration": { "level": "error" },
            "properties": { "tags": ["platformgen"] },
        });
    };
    json!({
        "id": rule.id(),
        "name": rule.name(),
        "shortDescription": { "text": rule.summary },
        "fullDescription": { "text": rule.rationale },
        "help": { "text": policy::rule_text(rule), "markdown": policy::rule_markdown(rule) },
        "defaultConfiguration": { "level": level(rule.levels.strictest()) },
        "properties": {
            "tags": ["platformgen", "policy"],
            "levels": levels(rule),
        },
    })
}

fn levels(rule: &Rule) -> Value {
    json!({
        "development": rule.levels.development.as_str(),
        "staging": rule.levels.staging.as_str(),
        "production": rule.levels.production.as_str(),
    })
}

fn level(level: RuleLevel) -> &'static str {
    match level {
        RuleLevel::Error => "error",
        RuleLevel::Warning => "warning",
        RuleLevel::Off => "none",
    }
}

fn result(entry: &Entry<'_>, rule_index: usize) -> Value {
    let diagnostic = entry.diagnostic;
    let mut text = diagnostic.message.clone();
    if let Some(help) = &diagnostic.help {
        text.push_str(&format!("\nhelp: {help}"));
    }
    for note in &diagnostic.notes {
        text.push_str(&format!("\nnote: {note}"));
    }
    let mut result = json!({
        "ruleId": diagnostic.code.id(),
        "ruleIndex": rule_index,
        "level": match diagnostic.severity {
            Severity::Error => "error",
            Severity::Warning => "warning",
        },
        "message": { "text": text },
        "locations": diagnostic
            .primary
            .iter()
            .map(|label| physical(label, entry.sources))
            .collect::<Vec<_>>(),
        "partialFingerprints": { FINGERPRINT: fingerprint(entry) },
        "properties": {
            "environments": entry.environments,
            "workload": entry.finding.and_then(|f| f.workload.as_deref()),
            "namespace": entry.finding.and_then(|f| f.namespace.as_deref()),
        },
    });
    let Value::Object(map) = &mut result else {
        unreachable!("a result is an object")
    };
    if !diagnostic.secondary.is_empty() {
        let related: Vec<Value> = diagnostic
            .secondary
            .iter()
            .enumerate()
            .map(|(id, label)| {
                let mut location = physical(label, entry.sources);
                if let Value::Object(location) = &mut location {
                    location.insert("id".to_owned(), json!(id));
                }
                location
            })
            .collect();
        map.insert("relatedLocations".to_owned(), json!(related));
    }
    if let Some(suppression) = entry.finding.and_then(|f| f.suppression.as_ref()) {
        let waiver = physical(
            &Label {
                span: suppression.span,
                message: "waiver".to_owned(),
            },
            entry.sources,
        );
        map.insert(
            "suppressions".to_owned(),
            json!([{
                "kind": "inSource",
                "status": "accepted",
                "justification": suppression.reason,
                "location": waiver,
            }]),
        );
    }
    result
}

/// A SARIF location: the root-relative file and the region, with lines and
/// columns from the same clamped span the text and JSON outputs use.
fn physical(label: &Label, sources: &Sources) -> Value {
    let place = location(label.span, sources);
    json!({
        "physicalLocation": {
            "artifactLocation": { "uri": place["file"] },
            "region": {
                "startLine": place["line"],
                "startColumn": place["column"],
                "endLine": place["endLine"],
                "endColumn": place["endColumn"],
            },
        },
        "message": { "text": label.message },
    })
}

/// Stable across runs and unrelated edits: a finding is identified by its rule,
/// the environments it occurs in and its subject (object, container, setting),
/// not by its line; other diagnostics by code, file and message.
fn fingerprint(entry: &Entry<'_>) -> String {
    let mut hasher = Sha256::new();
    let mut part = |text: &str| {
        hasher.update((text.len() as u64).to_le_bytes());
        hasher.update(text.as_bytes());
    };
    part(entry.diagnostic.code.id());
    part(&entry.environments.join(","));
    match entry.finding {
        Some(finding) => {
            part(finding.workload.as_deref().unwrap_or(""));
            part(finding.namespace.as_deref().unwrap_or(""));
            part(&finding.subject);
        }
        None => {
            let file = entry
                .diagnostic
                .primary
                .as_ref()
                .and_then(|label| entry.sources.try_get(label.span.file))
                .map_or("", |file| file.path.as_str());
            part(file);
            part(&entry.diagnostic.message);
        }
    }
    crate::object::hex::lower_hex(&hasher.finalize(), 32)
}

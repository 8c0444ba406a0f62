//! `platformgen check --format json`: a [`CheckReport`] as JSON, per
//! environment. Each environment lists its `diagnostics` (spec problems, policy
//! findings, unused waivers) and, apart, the `suppressed` findings a waiver
//! covers, so a consumer that only counts `diagnostics` by severity never
//! counts a waived finding as an error.
//!
//! Owns this shape only; the shape of one diagnostic is `json.rs`'s, extended
//! here with `environment`, `rule`, `workload`, `namespace` and `suppression`
//! (always present, `null` when they do not apply). Fields may be added, never
//! renamed or removed. Keys serialize sorted, so output is deterministic.
//!
//! ```json
//! {"environments": {"prod": {"diagnostics": [...], "suppressed": [...],
//!                            "summary": {"errors": 1, "warnings": 0, "suppressed": 2}}},
//!  "summary": {"errors": 1, "warnings": 0, "suppressed": 2, "status": "policy-errors"}}
//! ```

use serde_json::{Map, Value, json};

use crate::capabilities;
use crate::check::{CheckReport, EnvironmentCheck};
use crate::diagnostic::Diagnostic;
use crate::diagnostic::json::{diagnostic_json, location};
use crate::policy::Finding;

pub fn to_json(report: &CheckReport) -> Value {
    let mut environments = Map::new();
    let (mut errors, mut warnings, mut suppressed) = (0, 0, 0);
    for env in &report.environments {
        let findings = env.policy.iter().flat_map(|p| &p.findings);
        let mut reported: Vec<(&Diagnostic, Option<&Finding>)> = env
            .diagnostics
            .iter()
            .map(|d| (d, None))
            .chain(
                findings
                    .clone()
                    .filter(|f| !f.is_suppressed())
                    .map(|f| (&f.diagnostic, Some(f))),
            )
            .chain(report.unused_waivers(env).map(|d| (d, None)))
            .collect();
        reported.sort_by(|a, b| a.0.sort_key().cmp(&b.0.sort_key()));
        let waived: Vec<Value> = findings
            .filter(|f| f.is_suppressed())
            .map(|f| item(env, &f.diagnostic, Some(f)))
            .collect();
        let env_errors = reported.iter().filter(|(d, _)| d.is_error()).count();
        let env_warnings = reported.len() - env_errors;
        errors += env_errors;
        warnings += env_warnings;
        suppressed += waived.len();
        environments.insert(
            env.name.clone(),
            json!({
                "summary": { "errors": env_errors, "warnings": env_warnings, "suppressed": waived.len() },
                "diagnostics": reported.iter().map(|(d, f)| item(env, d, *f)).collect::<Vec<_>>(),
                "suppressed": waived,
            }),
        );
    }
    json!({
        "environments": environments,
        "summary": {
            "errors": errors,
            "warnings": warnings,
            "suppressed": suppressed,
            "status": report.status().as_str(),
        },
    })
}

fn item(env: &EnvironmentCheck, diagnostic: &Diagnostic, finding: Option<&Finding>) -> Value {
    let mut value = diagnostic_json(diagnostic, &env.sources);
    let rule = capabilities::rule(diagnostic.code).map(|rule| {
        json!({
            "id": rule.id(),
            "name": rule.name(),
            "summary": rule.summary,
            "levels": {
                "development": rule.levels.development.as_str(),
                "staging": rule.levels.staging.as_str(),
                "production": rule.levels.production.as_str(),
            },
        })
    });
    let suppression = finding.and_then(|f| f.suppression.as_ref()).map(|s| {
        json!({
            "kind": "waiver",
            "justification": s.reason,
            "location": location(s.span, &env.sources),
        })
    });
    if let Value::Object(map) = &mut value {
        map.insert("environment".to_owned(), json!(env.name));
        map.insert("rule".to_owned(), rule.unwrap_or(Value::Null));
        map.insert(
            "workload".to_owned(),
            json!(finding.and_then(|f| f.workload.as_deref())),
        );
        map.insert(
            "namespace".to_owned(),
            json!(finding.and_then(|f| f.namespace.as_deref())),
        );
        map.insert("suppression".to_owned(), suppression.unwrap_or(Value::Null));
    }
    value
}

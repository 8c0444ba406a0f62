//! Annotation keys written in the spec (`podAnnotations`, `annotations`,
//! `serviceAccount.annotations`): each must be a Kubernetes qualified name,
//! and none may be one platformgen sets itself, which would be overwritten
//! without a word.

use std::collections::BTreeMap;

use crate::diagnostic::{Code, Diagnostic};

use super::Context;

/// Annotation keys (or prefixes, ending in `/` or `-`) platformgen sets on a
/// workload's objects: ArgoCD's ordering, the scanners' skips of waivers.
const OBJECT_RESERVED: &[&str] = &[
    "argocd.argoproj.io/sync-wave",
    "argocd.argoproj.io/hook",
    "argocd.argoproj.io/hook-delete-policy",
    "checkov.io/skip",
    "ignore-check.kube-linter.io/",
];

/// Annotation keys platformgen sets on pod templates: the config checksum
/// that rolls the pods, and the scanners' skips.
const POD_RESERVED: &[&str] = &[
    "checksum/config",
    "checkov.io/skip",
    "ignore-check.kube-linter.io/",
];

/// Which object the annotations of a spec field land on.
#[derive(Debug, Clone, Copy)]
pub(super) enum Target {
    /// The Deployment, StatefulSet, Job or CronJob.
    Workload,
    /// The pod template.
    Pods,
    /// The ServiceAccount (platformgen sets no annotation of its own there).
    ServiceAccount,
}

/// Checks every key of `annotations`, written at `path` in the spec.
pub(super) fn check(
    ctx: &mut Context<'_>,
    path: &[&str],
    annotations: &BTreeMap<String, String>,
    target: Target,
) {
    let reserved: &[&str] = match target {
        Target::Workload => OBJECT_RESERVED,
        Target::Pods => POD_RESERVED,
        Target::ServiceAccount => &[],
    };
    for key in annotations.keys() {
        let mut key_path = path.to_vec();
        key_path.push(key);
        if let Some(problem) = qualified_name_problem(key) {
            let span = ctx.key(&key_path);
            ctx.report(
                Diagnostic::error(Code::InvalidValue, format!("invalid annotation key `{key}`"))
                    .at(span, problem)
                    .with_help(
                        "an annotation key is a name of at most 63 characters (letters, digits, `-`, `_`, `.`), optionally after a DNS prefix and `/`, e.g. `example.com/owner`",
                    ),
            );
        } else if let Some(taken) = reserved.iter().find(|reserved| {
            if reserved.ends_with('/') || **reserved == "checkov.io/skip" {
                key.starts_with(**reserved)
            } else {
                key == *reserved
            }
        }) {
            let span = ctx.key(&key_path);
            ctx.report(
                Diagnostic::error(
                    Code::ReservedAnnotation,
                    format!("annotation `{key}` is set by platformgen"),
                )
                .at(span, format!("`{taken}` is platformgen's own"))
                .with_help(match *taken {
                    "checksum/config" => "the config checksum rolls the pods when `config` changes; remove this key",
                    "checkov.io/skip" | "ignore-check.kube-linter.io/" => {
                        "scanner skips follow the spec's policy waivers: waive the rule under `policy.waivers`"
                    }
                    _ => "the sync order follows `job.runBefore`; remove this key",
                }),
            );
        }
    }
}

/// Why `key` is not a Kubernetes qualified name (`[prefix/]name`), if it is not.
pub(super) fn qualified_name_problem(key: &str) -> Option<String> {
    let (prefix, name) = match key.rsplit_once('/') {
        Some((prefix, name)) => (Some(prefix), name),
        None => (None, key),
    };
    if let Some(prefix) = prefix {
        if prefix.is_empty() || prefix.len() > 253 {
            return Some("the prefix before `/` must be a DNS name of 1 to 253 characters".into());
        }
        let label_ok = |label: &str| {
            !label.is_empty()
                && label.len() <= 63
                && label
                    .chars()
                    .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-')
                && !label.starts_with('-')
                && !label.ends_with('-')
        };
        if !prefix.split('.').all(label_ok) {
            return Some(format!(
                "the prefix `{prefix}` is not a DNS name (lowercase letters, digits, `-` and `.`)"
            ));
        }
    }
    if name.is_empty() || name.len() > 63 {
        return Some("the name must be 1 to 63 characters long".into());
    }
    if let Some(bad) = name
        .chars()
        .find(|c| !(c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | '.')))
    {
        return Some(format!("`{bad}` is not allowed in the name"));
    }
    if !name.starts_with(|c: char| c.is_ascii_alphanumeric())
        || !name.ends_with(|c: char| c.is_ascii_alphanumeric())
    {
        return Some("the name must start and end with a letter or digit".into());
    }
    None
}

#[cfg(test)]
mod tests {
    use super::qualified_name_problem;

    #[test]
    fn qualified_names_follow_the_api_server() {
        for valid in [
            "eks.amazonaws.com/role-arn",
            "prometheus.io/scrape",
            "owner",
            "a",
            "Example_Key.1",
            "reloader.stakater.com/auto",
        ] {
            assert_eq!(qualified_name_problem(valid), None, "{valid}");
        }
        for invalid in [
            "",
            "/name",
            "Example.com/name",
            "example.com/",
            "-name",
            "name-",
            "a/b/c",
            "has space",
            &"x".repeat(64),
        ] {
            assert!(qualified_name_problem(invalid).is_some(), "{invalid}");
        }
    }
}

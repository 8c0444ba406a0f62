//! Name rules: Kubernetes object names, port names, environment variable names
//! and ConfigMap keys, checked where the user wrote them.

use crate::diagnostic::{Code, Diagnostic};
use crate::spec::WorkloadKind;

use super::Context;

/// Room left for the suffixes platformgen appends (`-headless`, `-config`), so
/// every generated name stays a valid 63-character label.
pub(super) const MAX_WORKLOAD_NAME: usize = 54;

/// The longest name of a Job or CronJob workload: a Job's name gets `-` and a
/// 10-character hash of its content, and Kubernetes caps CronJob names at 52
/// (the Jobs it starts append `-` and the minute they were scheduled for).
pub(super) const MAX_BATCH_WORKLOAD_NAME: usize = 52;

/// Why `name` is not a DNS-1123 label of at most `max` characters, if it is not.
pub(crate) fn label_problem(name: &str, max: usize) -> Option<String> {
    if name.is_empty() {
        return Some("it is empty".to_owned());
    }
    if name.len() > max {
        return Some(format!(
            "it is {} characters long; the limit is {max}",
            name.len()
        ));
    }
    if let Some(bad) = name
        .chars()
        .find(|c| !(c.is_ascii_lowercase() || c.is_ascii_digit() || *c == '-'))
    {
        return Some(format!(
            "`{bad}` is not allowed: use lowercase letters, digits and `-`"
        ));
    }
    if !name.starts_with(|c: char| c.is_ascii_lowercase()) {
        return Some("it must start with a lowercase letter".to_owned());
    }
    if name.ends_with('-') {
        return Some("it must end with a letter or digit".to_owned());
    }
    None
}

/// Why `name` is not a valid port name (IANA service name), if it is not.
pub(super) fn port_name_problem(name: &str) -> Option<String> {
    if let Some(problem) = label_problem(name, 15) {
        return Some(problem);
    }
    if name.contains("--") {
        return Some("it must not contain `--`".to_owned());
    }
    None
}

pub(super) fn check(ctx: &mut Context<'_>) {
    let spec = ctx.spec;
    if let Some(problem) = label_problem(&spec.platform.name, 63) {
        let span = ctx.value(&["platform", "name"]);
        ctx.report(
            Diagnostic::error(
                Code::InvalidName,
                format!("invalid platform name `{}`", spec.platform.name),
            )
            .at(span, problem),
        );
    }
    for name in spec.namespaces.keys() {
        if let Some(problem) = label_problem(name, 63) {
            let span = ctx.key(&["namespaces", name]);
            ctx.report(
                Diagnostic::error(
                    Code::InvalidName,
                    format!("invalid namespace name `{name}`"),
                )
                .at(span, problem),
            );
        }
    }
    for (name, workload) in &spec.workloads {
        let batch = workload.kind.is_some_and(WorkloadKind::runs_to_completion);
        let max = if batch {
            MAX_BATCH_WORKLOAD_NAME
        } else {
            MAX_WORKLOAD_NAME
        };
        if let Some(problem) = label_problem(name, max) {
            let span = ctx.key(&["workloads", name]);
            let note = if batch {
                "a Job's name gets a hash of its content appended, and the Jobs a CronJob starts get the time they were scheduled for"
            } else {
                "workload names become object names, with suffixes such as `-headless` appended"
            };
            ctx.report(
                Diagnostic::error(Code::InvalidName, format!("invalid workload name `{name}`"))
                    .at(span, problem)
                    .with_note(note),
            );
        }
        for port in workload.ports.keys() {
            if let Some(problem) = port_name_problem(port) {
                let span = ctx.key(&["workloads", name, "ports", port]);
                ctx.report(
                    Diagnostic::error(Code::InvalidName, format!("invalid port name `{port}`"))
                        .at(span, problem),
                );
            }
        }
        for variable in workload.env.keys() {
            if variable.is_empty()
                || variable.contains('=')
                || variable.chars().any(char::is_control)
            {
                let span = ctx.key(&["workloads", name, "env", variable]);
                ctx.report(
                    Diagnostic::error(
                        Code::InvalidName,
                        format!("invalid environment variable name `{variable}`"),
                    )
                    .at(span, "must be non-empty, without `=` or control characters"),
                );
            }
        }
        if let Some(config) = &workload.config {
            for key in config.env.keys() {
                if config.files.contains_key(key) {
                    let span = ctx.key(&["workloads", name, "config", "files", key]);
                    let first = ctx.key(&["workloads", name, "config", "env", key]);
                    ctx.report(
                        Diagnostic::error(
                            Code::DuplicateName,
                            format!("config key `{key}` is both a variable and a file"),
                        )
                        .at(span, "file")
                        .with_secondary(first, "variable")
                        .with_note(
                            "both live in the workload's one ConfigMap, so their keys must differ",
                        ),
                    );
                }
                if workload.env.contains_key(key) {
                    let span = ctx.key(&["workloads", name, "config", "env", key]);
                    let first = ctx.key(&["workloads", name, "env", key]);
                    ctx.report(
                        Diagnostic::error(
                            Code::DuplicateName,
                            format!("environment variable `{key}` is set twice"),
                        )
                        .at(span, "in `config.env`")
                        .with_secondary(first, "in `env`"),
                    );
                }
            }
            for (section, keys) in [("env", config.env.keys()), ("files", config.files.keys())] {
                for key in keys {
                    if let Some(problem) = config_key_problem(key) {
                        let span = ctx.key(&["workloads", name, "config", section, key]);
                        ctx.report(
                            Diagnostic::error(
                                Code::InvalidName,
                                format!("invalid config key `{}`", key.escape_debug()),
                            )
                            .at(span, problem),
                        );
                    }
                }
            }
        }
    }
}

/// Why `key` cannot be a ConfigMap key, as the API server's validation
/// decides: letters, digits, `-`, `_` and `.`, at most 253 characters, not
/// `.` or `..`, and no `..` prefix (the kubelet keeps `..data` and the like
/// for its own atomic-update links in the mounted directory).
pub(super) fn config_key_problem(key: &str) -> Option<&'static str> {
    if key.is_empty() || key.len() > 253 {
        return Some("use 1 to 253 characters");
    }
    if !key
        .chars()
        .all(|c| c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | '.'))
    {
        return Some("use letters, digits, `-`, `_` and `.`");
    }
    if key == "." || key.starts_with("..") {
        return Some("`.`, `..` and names starting with `..` are reserved by Kubernetes");
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn config_keys_follow_the_api_server() {
        for valid in ["app.conf", ".env", "a..b", "LOG_LEVEL", "x-y"] {
            assert_eq!(config_key_problem(valid), None, "{valid}");
        }
        for invalid in [
            "",
            ".",
            "..",
            "..data",
            "..2024",
            "a/b",
            "a b",
            &"a".repeat(254),
        ] {
            assert!(config_key_problem(invalid).is_some(), "{invalid}");
        }
    }

    #[track_caller]
    fn case(name: &str, valid: bool) {
        assert_eq!(label_problem(name, 63).is_none(), valid, "{name}");
    }

    #[test]
    fn dns_labels() {
        case("health-api", true);
        case("a1", true);
        case("Health", false);
        case("1abc", false);
        case("abc-", false);
        case("a_b", false);
        case("", false);
        case(&"a".repeat(64), false);
    }
}

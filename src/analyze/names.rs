//! Name rules: Kubernetes object names, port names, environment variable names
//! and ConfigMap keys, checked where the user wrote them.

use crate::diagnostic::{Code, Diagnostic};

use super::Context;

/// Room left for the suffixes platformgen appends (`-headless`, `-config`), so
/// every generated name stays a valid 63-character label.
pub(super) const MAX_WORKLOAD_NAME: usize = 54;

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
fn port_name_problem(name: &str) -> Option<String> {
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
        if let Some(problem) = label_problem(name, MAX_WORKLOAD_NAME) {
            let span = ctx.key(&["workloads", name]);
            ctx.report(
                Diagnostic::error(Code::InvalidName, format!("invalid workload name `{name}`"))
                    .at(span, problem)
                    .with_note("workload names become object names, with suffixes such as `-headless` appended"),
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
                    let valid = !key.is_empty()
                        && key.len() <= 253
                        && key
                            .chars()
                            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | '.'));
                    if !valid {
                        let span = ctx.key(&["workloads", name, "config", section, key]);
                        ctx.report(
                            Diagnostic::error(
                                Code::InvalidName,
                                format!("invalid config key `{key}`"),
                            )
                            .at(span, "use letters, digits, `-`, `_` and `.`"),
                        );
                    }
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

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

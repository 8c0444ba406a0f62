//! Kubernetes name rules beyond the DNS-1123 label of `names.rs`: subdomain
//! names (StorageClass, PriorityClass, Secret), qualified keys (labels,
//! taints), label values and environment variable names. Pure functions that
//! say what is wrong, for the check families to report.

/// Why `name` is not a DNS-1123 subdomain (dot-separated labels, at most 253
/// characters), if it is not.
pub(crate) fn subdomain_problem(name: &str) -> Option<String> {
    if name.is_empty() {
        return Some("it is empty".to_owned());
    }
    if name.len() > 253 {
        return Some(format!(
            "it is {} characters long; the limit is 253",
            name.len()
        ));
    }
    if let Some(bad) = name
        .chars()
        .find(|c| !(c.is_ascii_lowercase() || c.is_ascii_digit() || matches!(c, '-' | '.')))
    {
        return Some(format!(
            "`{bad}` is not allowed: use lowercase letters, digits, `-` and `.`"
        ));
    }
    for part in name.split('.') {
        let alphanumeric = |c: char| c.is_ascii_lowercase() || c.is_ascii_digit();
        if !part.starts_with(alphanumeric) || !part.ends_with(alphanumeric) {
            return Some(
                "each dot-separated part must start and end with a letter or digit".to_owned(),
            );
        }
    }
    None
}

/// Why `key` is not a qualified key (`[prefix/]name`, as label and taint keys
/// are), if it is not.
pub(super) fn qualified_key_problem(key: &str) -> Option<String> {
    let (prefix, name) = match key.rsplit_once('/') {
        Some((prefix, name)) => (Some(prefix), name),
        None => (None, key),
    };
    if let Some(prefix) = prefix
        && let Some(problem) = subdomain_problem(prefix)
    {
        return Some(format!(
            "its prefix `{prefix}` is not a DNS subdomain: {problem}"
        ));
    }
    if name.is_empty() || name.len() > 63 {
        return Some("the name part must be 1 to 63 characters".to_owned());
    }
    label_value_problem(name)
}

/// Why `value` is not a label value (at most 63 characters of letters, digits,
/// `-`, `_` and `.`, starting and ending with a letter or digit; may be empty),
/// if it is not.
pub(super) fn label_value_problem(value: &str) -> Option<String> {
    if value.is_empty() || crate::model::labels::is_label_value(value) {
        return None;
    }
    Some(
        "use at most 63 letters, digits, `-`, `_` and `.`, starting and ending with a letter or digit"
            .to_owned(),
    )
}

/// Whether `name` may be an environment variable name (the rule `names.rs`
/// applies to `env`).
pub(crate) fn is_env_name(name: &str) -> bool {
    !name.is_empty() && !name.contains('=') && !name.chars().any(char::is_control)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[track_caller]
    fn case(valid: bool, problem: Option<String>, what: &str) {
        assert_eq!(problem.is_none(), valid, "{what}: {problem:?}");
    }

    #[test]
    fn subdomains() {
        for (name, valid) in [
            ("fast-ssd", true),
            ("gp3.encrypted", true),
            ("health-platform-data", true),
            ("Fast", false),
            ("-a", false),
            ("a..b", false),
            ("a_b", false),
            ("", false),
        ] {
            case(valid, subdomain_problem(name), name);
        }
    }

    #[test]
    fn qualified_keys() {
        for (key, valid) in [
            ("node-pool", true),
            ("nvidia.com/gpu", true),
            ("doks.digitalocean.com/node-pool", true),
            ("eks.amazonaws.com/capacityType", true),
            ("Bad Key", false),
            ("/name", false),
            ("prefix/", false),
        ] {
            case(valid, qualified_key_problem(key), key);
        }
    }
}

//! The formats of a secret's own values: the keys of a Secret's data, and the
//! Go durations of an ExternalSecret's refresh interval. Pure functions that
//! say what is wrong, for the secrets analysis to report.

/// Why `key` is not a valid key of a Secret's data, if it is not.
pub(super) fn secret_key_problem(key: &str) -> Option<String> {
    let valid = !key.is_empty()
        && key.len() <= 253
        && key
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | '.'));
    (!valid).then(|| "use 1 to 253 letters, digits, `-`, `_` and `.`".to_owned())
}

/// Whether `text` is a Go duration as the External Secrets Operator reads it:
/// `0`, or numbers each followed by a unit (`ns`, `us`, `µs`, `ms`, `s`, `m`,
/// `h`), e.g. `1h30m` or `1.5h`.
pub(super) fn is_go_duration(text: &str) -> bool {
    if text == "0" {
        return true;
    }
    let mut rest = text;
    if rest.is_empty() {
        return false;
    }
    while !rest.is_empty() {
        let digits = rest
            .find(|c: char| !(c.is_ascii_digit() || c == '.'))
            .unwrap_or(rest.len());
        let number = &rest[..digits];
        if number.is_empty() || number.starts_with('.') || number.matches('.').count() > 1 {
            return false;
        }
        rest = &rest[digits..];
        let unit = ["ns", "us", "µs", "ms", "s", "m", "h"]
            .into_iter()
            .filter(|unit| rest.starts_with(unit))
            .max_by_key(|unit| unit.len());
        let Some(unit) = unit else {
            return false;
        };
        rest = &rest[unit.len()..];
    }
    true
}

#[cfg(test)]
mod tests {
    use super::*;

    #[track_caller]
    fn case(valid: bool, problem: Option<String>, what: &str) {
        assert_eq!(problem.is_none(), valid, "{what}: {problem:?}");
    }

    #[test]
    fn secret_keys() {
        for (key, valid) in [
            ("password", true),
            ("POSTGRES_PASSWORD", true),
            ("tls.crt", true),
            ("a/b", false),
            ("", false),
        ] {
            case(valid, secret_key_problem(key), key);
        }
    }

    #[test]
    fn go_durations() {
        for (text, valid) in [
            ("1h", true),
            ("1h0m0s", true),
            ("30m", true),
            ("1.5h", true),
            ("10s", true),
            ("500ms", true),
            ("0", true),
            ("0s", true),
            ("", false),
            ("1", false),
            ("1d", false),
            ("h", false),
            ("1h 30m", false),
            ("-1h", false),
        ] {
            assert_eq!(is_go_duration(text), valid, "{text}");
        }
    }
}

//! The shapes of MinIO's names: release tags and bucket names.

/// `RELEASE.YYYY-MM-DDTHH-MM-SSZ`, optionally with a suffix (`.fips`): the
/// tags MinIO publishes.
pub(super) fn is_release(version: &str) -> bool {
    let Some(stamp) = version.strip_prefix("RELEASE.") else {
        return false;
    };
    let bytes = stamp.as_bytes();
    let shape = b"0000-00-00T00-00-00Z";
    bytes.len() >= shape.len()
        && shape.iter().zip(bytes).all(|(want, got)| match want {
            b'0' => got.is_ascii_digit(),
            _ => want == got,
        })
        && (bytes.len() == shape.len() || matches!(bytes[shape.len()], b'.' | b'-'))
}

/// Why `name` is not a valid S3 bucket name, if it is not.
pub(super) fn bucket_problem(name: &str) -> Option<String> {
    if !(3..=63).contains(&name.len()) {
        return Some(format!(
            "it is {} character{} long",
            name.len(),
            if name.len() == 1 { "" } else { "s" }
        ));
    }
    if let Some(bad) = name
        .chars()
        .find(|c| !(c.is_ascii_lowercase() || c.is_ascii_digit() || matches!(c, '-' | '.')))
    {
        return Some(format!("`{bad}` is not allowed"));
    }
    let alphanumeric = |c: char| c.is_ascii_lowercase() || c.is_ascii_digit();
    if !name.starts_with(alphanumeric) || !name.ends_with(alphanumeric) {
        return Some("it must start and end with a letter or digit".to_owned());
    }
    if name.contains("..") {
        return Some("it has two dots in a row".to_owned());
    }
    if name.split('.').count() == 4 && name.split('.').all(|part| part.parse::<u8>().is_ok()) {
        return Some("it has the form of an IP address".to_owned());
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn releases() {
        for valid in [
            "RELEASE.2025-04-08T15-41-24Z",
            "RELEASE.2024-10-13T13-34-11Z.fips",
        ] {
            assert!(is_release(valid), "{valid}");
        }
        for invalid in [
            "latest",
            "2025-04-08",
            "RELEASE.2025-04-08",
            "RELEASE.2025-04-08T15:41:24Z",
        ] {
            assert!(!is_release(invalid), "{invalid}");
        }
    }

    #[test]
    fn bucket_names() {
        for valid in ["backups", "health-platform-data-lake", "logs.2026", "a1b"] {
            assert_eq!(bucket_problem(valid), None, "{valid}");
        }
        for invalid in [
            "ab",
            "Backups",
            "-backups",
            "backups-",
            "a..b",
            "192.168.1.1",
            "data_lake",
        ] {
            assert!(bucket_problem(invalid).is_some(), "{invalid}");
        }
    }
}

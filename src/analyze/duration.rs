//! Durations written `<whole number><unit>`: retention periods (`30d`,
//! `72h`), pauses and retry intervals (`30s`, `10m`), and how Kubernetes'
//! `Duration` fields print them (`720h0m0s`).

/// `text` as a whole, positive number followed by one of `units` (each with
/// its length), in the units' measure; `None` when malformed, zero or too
/// long to count.
fn whole_duration(text: &str, units: &[(char, u64)]) -> Option<u64> {
    let unit = text.chars().last()?;
    let (_, length) = units.iter().find(|(name, _)| *name == unit)?;
    let number = &text[..text.len() - unit.len_utf8()];
    if number.is_empty() || !number.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    let count: u64 = number.parse().ok()?;
    (count > 0).then_some(count)?.checked_mul(*length)
}

/// A duration with unit `m`, `h`, `d` or `w` (`30d`, `72h`), in minutes.
pub(crate) fn duration_minutes(text: &str) -> Option<u64> {
    whole_duration(
        text,
        &[('m', 1), ('h', 60), ('d', 60 * 24), ('w', 60 * 24 * 7)],
    )
}

/// A duration with unit `s`, `m` or `h` (`30s`, `10m`, `1h`), in seconds:
/// what Argo Rollouts' pauses and ArgoCD's retries take.
pub(crate) fn duration_seconds(text: &str) -> Option<u64> {
    whole_duration(text, &[('s', 1), ('m', 60), ('h', 3600)])
}

/// Minutes as a Go duration (`720h0m0s`), the form Kubernetes' `Duration`
/// fields are printed in.
pub(crate) fn go_duration(minutes: u64) -> String {
    format!("{}h{}m0s", minutes / 60, minutes % 60)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn durations() {
        assert_eq!(duration_minutes("30d"), Some(30 * 24 * 60));
        assert_eq!(duration_minutes("72h"), Some(72 * 60));
        assert_eq!(duration_minutes("2w"), Some(14 * 24 * 60));
        assert_eq!(duration_minutes("90m"), Some(90));
        for invalid in ["", "0d", "d", "30", "1.5h", "-1d", "30s", "1h30m"] {
            assert_eq!(duration_minutes(invalid), None, "{invalid}");
        }
        assert_eq!(duration_seconds("30s"), Some(30));
        assert_eq!(duration_seconds("10m"), Some(600));
        assert_eq!(duration_seconds("2h"), Some(7200));
        for invalid in [
            "", "0s", "m", "10", "1.5m", "-1m", "1d", "1h30m", "manual", "5é",
        ] {
            assert_eq!(duration_seconds(invalid), None, "{invalid}");
        }
        assert_eq!(go_duration(30 * 24 * 60), "720h0m0s");
        assert_eq!(go_duration(90), "1h30m0s");
    }
}

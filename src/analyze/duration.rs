//! Retention periods as the spec writes them (`30d`, `72h`) and as
//! Kubernetes' `Duration` fields print them (`720h0m0s`).

/// A duration written `<number><unit>` with unit `m`, `h`, `d` or `w`
/// (`30d`, `72h`), in minutes; `None` when malformed or zero.
pub(crate) fn duration_minutes(text: &str) -> Option<u64> {
    let unit = text.chars().last()?;
    let minutes_per = match unit {
        'm' => 1,
        'h' => 60,
        'd' => 60 * 24,
        'w' => 60 * 24 * 7,
        _ => return None,
    };
    let number = &text[..text.len() - 1];
    if number.is_empty() || !number.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    let count: u64 = number.parse().ok()?;
    (count > 0).then_some(count)?.checked_mul(minutes_per)
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
        assert_eq!(go_duration(30 * 24 * 60), "720h0m0s");
        assert_eq!(go_duration(90), "1h30m0s");
    }
}

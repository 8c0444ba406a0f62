//! Durations as Argo Rollouts reads them in a pause or an analysis interval:
//! a whole number with `s`, `m` or `h` (`30s`, `10m`, `1h`).

/// `text` in seconds; `None` when malformed or zero.
pub(super) fn seconds(text: &str) -> Option<u64> {
    let unit = text.chars().last()?;
    let per_unit = match unit {
        's' => 1,
        'm' => 60,
        'h' => 3600,
        _ => return None,
    };
    let number = &text[..text.len() - 1];
    if number.is_empty() || !number.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    let count: u64 = number.parse().ok()?;
    (count > 0).then_some(count)?.checked_mul(per_unit)
}

/// A latency bound (`500ms`, `2s`) in seconds; `None` when malformed or
/// zero.
pub(super) fn latency_seconds(text: &str) -> Option<f64> {
    let (number, per_unit) = if let Some(number) = text.strip_suffix("ms") {
        (number, 0.001)
    } else if let Some(number) = text.strip_suffix('s') {
        (number, 1.0)
    } else {
        return None;
    };
    if number.is_empty() || !number.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    let count: u32 = number.parse().ok()?;
    (count > 0).then(|| f64::from(count) * per_unit)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pause_durations() {
        assert_eq!(seconds("30s"), Some(30));
        assert_eq!(seconds("10m"), Some(600));
        assert_eq!(seconds("2h"), Some(7200));
        for invalid in ["", "0s", "m", "10", "1.5m", "-1m", "1d", "1h30m", "manual"] {
            assert_eq!(seconds(invalid), None, "{invalid}");
        }
    }

    #[test]
    fn latencies() {
        assert_eq!(latency_seconds("500ms"), Some(0.5));
        assert_eq!(latency_seconds("2s"), Some(2.0));
        for invalid in ["", "0ms", "ms", "1.5s", "1m", "fast"] {
            assert_eq!(latency_seconds(invalid), None, "{invalid}");
        }
    }
}

//! Latency bounds of an analysis (`500ms`, `2s`). Pauses and intervals are
//! `analyze::duration_seconds`.

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
    fn latencies() {
        assert_eq!(latency_seconds("500ms"), Some(0.5));
        assert_eq!(latency_seconds("2s"), Some(2.0));
        for invalid in ["", "0ms", "ms", "1.5s", "1m", "fast"] {
            assert_eq!(latency_seconds(invalid), None, "{invalid}");
        }
    }
}

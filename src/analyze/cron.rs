//! Cron expressions as Kubernetes controllers read them (robfig/cron's
//! standard parser: minute, hour, day of month, month, day of week), checked
//! field by field so a typo is caught at the spec line instead of by a
//! controller that logs it and never runs the schedule.

/// Names allowed in place of numbers in the month and day-of-week fields.
const MONTHS: [&str; 12] = [
    "jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec",
];
const DAYS: [&str; 7] = ["sun", "mon", "tue", "wed", "thu", "fri", "sat"];

/// What is wrong with `expression`, if anything. The `@daily`-style
/// descriptors are accepted too.
pub(crate) fn cron_problem(expression: &str) -> Option<String> {
    if let Some(descriptor) = expression.strip_prefix('@') {
        return (!matches!(
            descriptor,
            "yearly" | "annually" | "monthly" | "weekly" | "daily" | "midnight" | "hourly"
        ))
        .then(|| format!("unknown descriptor `@{descriptor}`"));
    }
    let fields: Vec<&str> = expression.split_whitespace().collect();
    if fields.len() != 5 {
        return Some(format!(
            "{} fields, expected 5 (minute, hour, day of month, month, day of week)",
            fields.len()
        ));
    }
    let bounds: [(&str, u32, u32, &[&str]); 5] = [
        ("minute", 0, 59, &[]),
        ("hour", 0, 23, &[]),
        ("day of month", 1, 31, &[]),
        ("month", 1, 12, &MONTHS),
        ("day of week", 0, 7, &DAYS),
    ];
    for (field, (what, low, high, names)) in fields.iter().zip(bounds) {
        if !field_valid(field, low, high, names) {
            return Some(format!("`{field}` is not a valid {what} ({low}-{high})"));
        }
    }
    None
}

/// One field: a comma-separated list of `*`, `?`, a value or a range, each
/// with an optional `/step`.
fn field_valid(field: &str, low: u32, high: u32, names: &[&str]) -> bool {
    let value = |text: &str| -> Option<u32> {
        if let Some(index) = names.iter().position(|n| n.eq_ignore_ascii_case(text)) {
            // Months count from 1, days from 0.
            let offset = if names.len() == 12 { 1 } else { 0 };
            return u32::try_from(index).ok().map(|i| i + offset);
        }
        if text.is_empty() || !text.bytes().all(|b| b.is_ascii_digit()) {
            return None;
        }
        text.parse().ok().filter(|n| (low..=high).contains(n))
    };
    field.split(',').all(|item| {
        let (range, step) = match item.split_once('/') {
            Some((range, step)) => (range, Some(step)),
            None => (item, None),
        };
        let step_valid = step.is_none_or(|step| {
            !step.is_empty()
                && step.bytes().all(|b| b.is_ascii_digit())
                && step.parse::<u32>().is_ok_and(|s| s >= 1)
        });
        let range_valid = match range {
            "*" | "?" => true,
            _ => match range.split_once('-') {
                Some((from, to)) => {
                    matches!((value(from), value(to)), (Some(a), Some(b)) if a <= b)
                }
                None => value(range).is_some(),
            },
        };
        step_valid && range_valid
    })
}

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
    fn valid_expressions() {
        for valid in [
            "0 2 * * *",
            "*/15 1-5 * * 1,3",
            "30 2 1 jan-mar mon-fri",
            "0 0 * * 7",
            "@daily",
            "0 8-20/2 * * *",
        ] {
            assert_eq!(cron_problem(valid), None, "{valid}");
        }
    }

    #[test]
    fn invalid_expressions() {
        for invalid in [
            "0 2 * *",
            "0 0 2 * * *",
            "60 * * * *",
            "0 24 * * *",
            "0 0 0 * *",
            "0 0 * 13 *",
            "0 0 * * 8",
            "5-1 * * * *",
            "*/0 * * * *",
            "x * * * *",
            "@sometimes",
        ] {
            assert!(cron_problem(invalid).is_some(), "{invalid}");
        }
    }

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

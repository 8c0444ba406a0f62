//! The cron schedules and time zones Kubernetes accepts for a CronJob, checked
//! where the user wrote them rather than when the API server rejects the
//! CronJob at apply time.
//!
//! The CronJob controller parses `spec.schedule` with robfig/cron's standard
//! parser: five fields, or a descriptor (`@daily`, …). The same rules here:
//! each field a list of `*` (or `?`, its synonym), a value or a range `a-b`,
//! each with an optional `/step`; months and weekdays also by their English
//! three-letter names. `@every <duration>` is left out: it is not cron, and
//! it drifts with the controller's restarts.

/// The descriptors accepted instead of five fields.
pub(super) const MACROS: &[&str] = &[
    "@yearly",
    "@annually",
    "@monthly",
    "@weekly",
    "@daily",
    "@midnight",
    "@hourly",
];

/// One of the five fields.
struct Field {
    name: &'static str,
    min: u32,
    max: u32,
    /// Names accepted for values, from `min` on.
    names: &'static [&'static str],
}

const FIELDS: [Field; 5] = [
    Field {
        name: "minute",
        min: 0,
        max: 59,
        names: &[],
    },
    Field {
        name: "hour",
        min: 0,
        max: 23,
        names: &[],
    },
    Field {
        name: "day of month",
        min: 1,
        max: 31,
        names: &[],
    },
    Field {
        name: "month",
        min: 1,
        max: 12,
        names: &[
            "jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec",
        ],
    },
    Field {
        name: "day of week",
        min: 0,
        max: 6,
        names: &["sun", "mon", "tue", "wed", "thu", "fri", "sat"],
    },
];

/// Why `schedule` is not a schedule the CronJob controller accepts, if it is
/// not.
pub(crate) fn schedule_problem(schedule: &str) -> Option<String> {
    let schedule = schedule.trim();
    if schedule.starts_with("TZ=") || schedule.starts_with("CRON_TZ=") {
        return Some(
            "a time zone in the schedule is not supported: give it in its own field".to_owned(),
        );
    }
    if let Some(descriptor) = schedule.strip_prefix('@') {
        if MACROS.contains(&schedule) {
            return None;
        }
        if descriptor.starts_with("every") {
            return Some("`@every` is not supported: write the five cron fields".to_owned());
        }
        return Some(format!(
            "unknown descriptor `{schedule}`: use one of {}",
            MACROS.join(", ")
        ));
    }
    let fields: Vec<&str> = schedule.split_whitespace().collect();
    if fields.len() != FIELDS.len() {
        return Some(format!(
            "{} field(s); a schedule has 5: minute, hour, day of month, month, day of week",
            fields.len()
        ));
    }
    FIELDS
        .iter()
        .zip(fields)
        .find_map(|(field, text)| field_problem(field, text))
}

/// Why `text` is not a valid value of `field`, if it is not.
fn field_problem(field: &Field, text: &str) -> Option<String> {
    for item in text.split(',') {
        let (range, step) = match item.split_once('/') {
            Some((range, step)) => (range, Some(step)),
            None => (item, None),
        };
        if let Some(step) = step {
            match step.parse::<u32>() {
                Ok(0) => return Some(format!("{}: a step of 0 never repeats", field.name)),
                Ok(_) => {}
                Err(_) => {
                    return Some(format!(
                        "{}: step `{step}` is not a positive number",
                        field.name
                    ));
                }
            }
        }
        if range == "*" || range == "?" {
            continue;
        }
        let (start, end) = match range.split_once('-') {
            Some((start, end)) => (start, Some(end)),
            None => (range, None),
        };
        let start = match value(field, start) {
            Ok(start) => start,
            Err(problem) => return Some(problem),
        };
        if let Some(end) = end {
            let end = match value(field, end) {
                Ok(end) => end,
                Err(problem) => return Some(problem),
            };
            if start > end {
                return Some(format!(
                    "{}: range `{range}` starts after it ends",
                    field.name
                ));
            }
        }
    }
    None
}

/// The number `text` stands for in `field`, or why it stands for none.
fn value(field: &Field, text: &str) -> Result<u32, String> {
    if let Some(index) = field
        .names
        .iter()
        .position(|name| name.eq_ignore_ascii_case(text))
    {
        return Ok(field.min + u32::try_from(index).unwrap_or(0));
    }
    let Ok(number) = text.parse::<u32>() else {
        let expected = if field.names.is_empty() {
            String::new()
        } else {
            format!(
                " or a name such as `{}`",
                field.names[0].to_ascii_uppercase()
            )
        };
        return Err(format!(
            "{}: `{text}` is not a number{expected}",
            field.name
        ));
    };
    if !(field.min..=field.max).contains(&number) {
        return Err(format!(
            "{}: {number} is out of range {}-{}",
            field.name, field.min, field.max
        ));
    }
    Ok(number)
}

/// Why `zone` does not look like an IANA time zone name (`UTC`, `Etc/UTC`,
/// `America/Argentina/Buenos_Aires`), if it does not. Whether the zone exists
/// is for the API server's time zone database; this catches abbreviations,
/// offsets and typing slips.
pub(crate) fn time_zone_problem(zone: &str) -> Option<String> {
    if zone.is_empty() {
        return Some("it is empty".to_owned());
    }
    if zone.starts_with(['+', '-']) || zone.contains(':') {
        return Some("an offset is not a time zone: use a name such as `Europe/Berlin`".to_owned());
    }
    if zone.eq_ignore_ascii_case("local") {
        return Some(
            "`Local` is the controller's own zone: leave `timeZone` out for that".to_owned(),
        );
    }
    for part in zone.split('/') {
        if part.is_empty() {
            return Some("it has an empty part between `/`".to_owned());
        }
        if !part.starts_with(|c: char| c.is_ascii_alphabetic()) {
            return Some(format!("`{part}` must start with a letter"));
        }
        if let Some(bad) = part
            .chars()
            .find(|c| !(c.is_ascii_alphanumeric() || matches!(c, '_' | '-' | '+')))
        {
            return Some(format!("`{bad}` does not occur in time zone names"));
        }
    }
    // The time zone database names a few zones in capitals (`CET`, `EST`,
    // `PST8PDT`); any other all-caps word is an abbreviation (`PST`, `CEST`,
    // `BST`) the API server does not accept.
    const CAPITAL_ZONES: &[&str] = &[
        "UTC", "UCT", "GMT", "GMT0", "CET", "EET", "MET", "WET", "EST", "HST", "MST", "PRC", "ROC",
        "ROK", "NZ", "W-SU", "CST6CDT", "EST5EDT", "MST7MDT", "PST8PDT", "GB", "NZ-CHAT",
    ];
    if !zone.contains('/')
        && !CAPITAL_ZONES.contains(&zone)
        && !zone.chars().any(|c| c.is_ascii_lowercase())
    {
        return Some(format!(
            "`{zone}` looks like an abbreviation: use a name such as `Europe/Berlin` or `UTC`"
        ));
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    #[track_caller]
    fn schedule(text: &str, problem: Option<&str>) {
        assert_eq!(schedule_problem(text).as_deref(), problem, "{text}");
    }

    #[test]
    fn schedules() {
        schedule("30 2 * * *", None);
        schedule("*/15 * * * *", None);
        schedule("0 9-17/2 * * MON-FRI", None);
        schedule("0 0 1,15 jan,jul ?", None);
        schedule("0 3 ? * sun", None);
        schedule("@daily", None);
        schedule("@hourly", None);
        schedule("5 4 * * 6", None);
        schedule("0 24 * * *", Some("hour: 24 is out of range 0-23"));
        schedule(
            "* * * *",
            Some("4 field(s); a schedule has 5: minute, hour, day of month, month, day of week"),
        );
        schedule("0 0 0 * *", Some("day of month: 0 is out of range 1-31"));
        schedule("0 0 * * 7", Some("day of week: 7 is out of range 0-6"));
        schedule("*/0 * * * *", Some("minute: a step of 0 never repeats"));
        schedule(
            "0 5-2 * * *",
            Some("hour: range `5-2` starts after it ends"),
        );
        schedule(
            "0 0 * foo *",
            Some("month: `foo` is not a number or a name such as `JAN`"),
        );
        schedule("? * * * *", None);
        schedule("0 0 L * *", Some("day of month: `L` is not a number"));
        schedule(
            "@every 1h",
            Some("`@every` is not supported: write the five cron fields"),
        );
        schedule(
            "@nightly",
            Some(
                "unknown descriptor `@nightly`: use one of @yearly, @annually, @monthly, @weekly, @daily, @midnight, @hourly",
            ),
        );
        schedule(
            "TZ=UTC 0 0 * * *",
            Some("a time zone in the schedule is not supported: give it in its own field"),
        );
    }

    #[test]
    fn time_zones() {
        for zone in [
            "UTC",
            "Etc/UTC",
            "Europe/Berlin",
            "America/Argentina/Buenos_Aires",
            "Etc/GMT+5",
            "America/Port-au-Prince",
        ] {
            assert_eq!(time_zone_problem(zone), None, "{zone}");
        }
        for zone in ["CET", "EST5EDT", "Japan"] {
            assert_eq!(time_zone_problem(zone), None, "{zone}");
        }
        for zone in [
            "",
            "PST",
            "CEST",
            "+01:00",
            "Europe//Berlin",
            "Europe/Berlin time",
            "Local",
            "1Zone",
        ] {
            assert!(time_zone_problem(zone).is_some(), "{zone}");
        }
    }
}

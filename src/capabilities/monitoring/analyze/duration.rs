//! Prometheus durations (`30s`, `1m30s`, `5m`, `1h`, `500ms`): units from
//! the largest to the smallest, each at most once, as Prometheus's
//! `model.ParseDuration` accepts them.

use crate::analyze::Context;
use crate::diagnostic::{Code, Diagnostic};

/// Units in the order they must appear, with their length in milliseconds.
const UNITS: [(&str, u64); 7] = [
    ("y", 365 * 24 * 3_600_000),
    ("w", 7 * 24 * 3_600_000),
    ("d", 24 * 3_600_000),
    ("h", 3_600_000),
    ("m", 60_000),
    ("s", 1_000),
    ("ms", 1),
];

/// The duration in milliseconds, or why `text` is not one. Zero is refused:
/// no interval, timeout or wait here may be empty.
fn parse(text: &str) -> Result<u64, &'static str> {
    let mut rest = text;
    let mut total: u64 = 0;
    let mut next_unit = 0;
    if rest.is_empty() {
        return Err("empty; write a number and a unit, e.g. `30s`");
    }
    while !rest.is_empty() {
        let digits = rest.bytes().take_while(u8::is_ascii_digit).count();
        if digits == 0 {
            return Err("expected a number, then a unit (`ms`, `s`, `m`, `h`, `d`, `w`, `y`)");
        }
        let (number, after) = rest.split_at(digits);
        let letters = after.bytes().take_while(u8::is_ascii_alphabetic).count();
        let (unit, after) = after.split_at(letters);
        if unit.is_empty() {
            return Err("a unit must follow the number: `ms`, `s`, `m`, `h`, `d`, `w` or `y`");
        }
        let Some(position) = UNITS.iter().position(|(name, _)| *name == unit) else {
            return Err("unknown unit; use `ms`, `s`, `m`, `h`, `d`, `w` or `y`");
        };
        if position < next_unit {
            return Err("units must go from the largest to the smallest, each once");
        }
        next_unit = position + 1;
        let value: u64 = number.parse().map_err(|_| "number too large")?;
        total = value
            .checked_mul(UNITS[position].1)
            .and_then(|ms| total.checked_add(ms))
            .ok_or("duration too large")?;
        rest = after;
    }
    if total == 0 {
        return Err("must be longer than zero");
    }
    Ok(total)
}

/// The duration at `path` in milliseconds, reported when invalid.
pub(super) fn checked(ctx: &mut Context<'_>, path: &[&str], text: &str) -> Option<u64> {
    match parse(text) {
        Ok(ms) => Some(ms),
        Err(problem) => {
            let span = ctx.value(path);
            ctx.report(
                Diagnostic::error(Code::InvalidValue, format!("invalid duration `{text}`"))
                    .at(span, problem)
                    .with_help("a Prometheus duration such as `30s`, `1m30s` or `5m`"),
            );
            None
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[track_caller]
    fn case(text: &str, expected: Result<u64, ()>) {
        assert_eq!(parse(text).map_err(|_| ()), expected, "{text}");
    }

    #[test]
    fn durations() {
        case("30s", Ok(30_000));
        case("1m30s", Ok(90_000));
        case("5m", Ok(300_000));
        case("1h", Ok(3_600_000));
        case("500ms", Ok(500));
        case("1d2h", Ok(26 * 3_600_000));
        case("", Err(()));
        case("30", Err(()));
        case("s", Err(()));
        case("30sec", Err(()));
        case("30s1m", Err(()));
        case("1m1m", Err(()));
        case("0s", Err(()));
        case("-1s", Err(()));
        case("1.5s", Err(()));
        case("99999999999999999999s", Err(()));
        case("9999999999999y", Err(()));
    }
}

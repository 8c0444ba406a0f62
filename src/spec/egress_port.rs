//! `EgressPort`: a destination port of an egress rule, one number (`443`) or
//! an inclusive range (`8000-8100`, a NetworkPolicy `port` with `endPort`).
//! Read as written; the analysis checks both ends are ports and in order, so
//! the error points at the value.

use std::fmt;

use schemars::JsonSchema;
use serde::Deserialize;
use serde::de::{self, Deserializer};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct EgressPort {
    pub start: u32,
    /// The last port of a range; `None` for a single port.
    pub end: Option<u32>,
}

impl EgressPort {
    fn parse(text: &str) -> Option<EgressPort> {
        let number = |s: &str| {
            let s = s.trim();
            (!s.is_empty() && s.len() <= 10 && s.bytes().all(|b| b.is_ascii_digit()))
                .then(|| s.parse::<u32>().ok())
                .flatten()
        };
        match text.split_once('-') {
            Some((start, end)) => Some(EgressPort {
                start: number(start)?,
                end: Some(number(end)?),
            }),
            None => Some(EgressPort {
                start: number(text)?,
                end: None,
            }),
        }
    }
}

impl fmt::Display for EgressPort {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.end {
            Some(end) => write!(f, "{}-{end}", self.start),
            None => write!(f, "{}", self.start),
        }
    }
}

impl<'de> Deserialize<'de> for EgressPort {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let text = String::deserialize(deserializer)?;
        EgressPort::parse(&text).ok_or_else(|| {
            de::Error::invalid_value(
                de::Unexpected::Str(&text),
                &"a port such as `443`, or a range such as `8000-8100`",
            )
        })
    }
}

impl JsonSchema for EgressPort {
    fn schema_name() -> std::borrow::Cow<'static, str> {
        "EgressPort".into()
    }

    fn json_schema(_: &mut schemars::SchemaGenerator) -> schemars::Schema {
        schemars::json_schema!({
            "description": "A port (`443`), or an inclusive range of ports (`8000-8100`).",
            "anyOf": [
                {"type": "integer", "minimum": 1, "maximum": 65535},
                {"type": "string", "pattern": "^[0-9]{1,5}-[0-9]{1,5}$"}
            ]
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[track_caller]
    fn case(text: &str, expected: Option<(u32, Option<u32>)>) {
        assert_eq!(
            EgressPort::parse(text),
            expected.map(|(start, end)| EgressPort { start, end }),
            "{text}"
        );
    }

    #[test]
    fn numbers_and_ranges() {
        case("443", Some((443, None)));
        case("8000-8100", Some((8000, Some(8100))));
        case("8000 - 8100", Some((8000, Some(8100))));
        // Read as written: the analysis reports reversed or out-of-range ends.
        case("9000-8000", Some((9000, Some(8000))));
        case("70000", Some((70000, None)));
        case("http", None);
        case("80-", None);
        case("-80", None);
        case("1-2-3", None);
        case("+80", None);
        case("", None);
    }
}

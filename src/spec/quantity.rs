//! `Quantity`: a Kubernetes resource quantity (`250m`, `1`, `512Mi`), checked
//! when the spec is read so mistakes point at the spec, not at the API server.

use std::fmt;

use schemars::JsonSchema;
use serde::{Deserialize, Deserializer, de};

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Quantity {
    text: String,
    /// The value in thousandths of the unit (millicores, millibytes), for
    /// comparisons such as request <= limit.
    milli: u128,
}

impl Quantity {
    pub fn parse(text: &str) -> Option<Quantity> {
        let number_end = text
            .find(|c: char| !(c.is_ascii_digit() || c == '.'))
            .unwrap_or(text.len());
        let (number, suffix) = text.split_at(number_end);
        if number.is_empty() || number.starts_with('.') && number.len() == 1 {
            return None;
        }
        let (whole, fraction) = number.split_once('.').unwrap_or((number, ""));
        if fraction.contains('.') || fraction.len() > 3 {
            return None;
        }
        let multiplier: u128 = match suffix {
            "m" => 1,
            "" => 1_000,
            "k" => 1_000_000,
            "M" => 1_000_000_000,
            "G" => 1_000_000_000_000,
            "T" => 1_000_000_000_000_000,
            "Ki" => 1_024_000,
            "Mi" => 1_024 * 1_024_000,
            "Gi" => 1_024 * 1_024 * 1_024_000,
            "Ti" => 1_024 * 1_024 * 1_024 * 1_024_000,
            _ => return None,
        };
        let whole: u128 = if whole.is_empty() {
            0
        } else {
            whole.parse().ok()?
        };
        let fraction_milli: u128 = if fraction.is_empty() {
            0
        } else {
            format!("{fraction:0<3}").parse().ok()?
        };
        // `1.5m` would be a fraction of a milli-unit, which Kubernetes rounds up;
        // rejecting it is clearer.
        if suffix == "m" && fraction_milli != 0 {
            return None;
        }
        let milli = whole
            .checked_mul(multiplier)?
            .checked_add(fraction_milli * multiplier / 1_000)?;
        Some(Quantity {
            text: text.to_owned(),
            milli,
        })
    }

    pub fn as_str(&self) -> &str {
        &self.text
    }

    pub fn milli(&self) -> u128 {
        self.milli
    }
}

impl fmt::Display for Quantity {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.text)
    }
}

impl<'de> Deserialize<'de> for Quantity {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let text = String::deserialize(deserializer)?;
        Quantity::parse(&text).ok_or_else(|| {
            de::Error::invalid_value(
                de::Unexpected::Str(&text),
                &"a Kubernetes quantity such as `250m`, `1`, `512Mi` or `2Gi`",
            )
        })
    }
}

impl JsonSchema for Quantity {
    fn schema_name() -> std::borrow::Cow<'static, str> {
        "Quantity".into()
    }

    fn json_schema(_: &mut schemars::SchemaGenerator) -> schemars::Schema {
        schemars::json_schema!({
            "description": "A Kubernetes quantity: a number with an optional suffix (m, k, M, G, T, Ki, Mi, Gi, Ti).",
            "anyOf": [
                {"type": "string", "pattern": "^[0-9]+(\\.[0-9]{1,3})?(m|k|M|G|T|Ki|Mi|Gi|Ti)?$"},
                {"type": "integer", "minimum": 0}
            ]
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[track_caller]
    fn case(text: &str, expected: Option<u128>) {
        assert_eq!(Quantity::parse(text).map(|q| q.milli()), expected, "{text}");
    }

    #[test]
    fn parses_kubernetes_quantities() {
        case("250m", Some(250));
        case("1", Some(1_000));
        case("1.5", Some(1_500));
        case("0.5", Some(500));
        case("512Mi", Some(512 * 1_024 * 1_024_000));
        case("1Gi", Some(1_024 * 1_024 * 1_024_000));
        case("2G", Some(2_000_000_000_000));
        case("", None);
        case("-1", None);
        case("1.2.3", None);
        case("12 Mi", None);
        case("1mi", None);
        case("1.5m", None);
        case(".", None);
    }

    #[test]
    fn limits_compare_across_units() {
        let one_gi = Quantity::parse("1Gi").map(|q| q.milli());
        let thousand_mi = Quantity::parse("1000Mi").map(|q| q.milli());
        assert!(one_gi > thousand_mi);
    }
}

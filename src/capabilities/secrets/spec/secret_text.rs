//! `SecretText`: a secret value written in the spec (a `plain` secret's value).
//! It reads like text but never shows itself: its `Debug` prints `***`, so a
//! stray `{:?}` of a spec or model cannot put the value into a log or a
//! message. Only lowering reads it, through [`SecretText::expose`].

use std::fmt;

use schemars::JsonSchema;
use serde::{Deserialize, Deserializer};

#[derive(Clone, PartialEq, Eq)]
pub struct SecretText(String);

impl SecretText {
    pub fn new(text: impl Into<String>) -> Self {
        Self(text.into())
    }

    /// The value itself. Named so that every use is easy to find and review.
    pub fn expose(&self) -> &str {
        &self.0
    }
}

impl fmt::Debug for SecretText {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(crate::spec::redaction::MASK)
    }
}

impl<'de> Deserialize<'de> for SecretText {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        String::deserialize(deserializer).map(SecretText)
    }
}

impl JsonSchema for SecretText {
    fn schema_name() -> std::borrow::Cow<'static, str> {
        "SecretText".into()
    }

    fn json_schema(_: &mut schemars::SchemaGenerator) -> schemars::Schema {
        schemars::json_schema!({
            "description": "A secret value in clear text. Allowed only in development environments.",
            "type": "string"
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn debug_never_shows_the_value() {
        let text = SecretText::new("hunter2");
        assert_eq!(format!("{text:?}"), "***");
        assert_eq!(text.expose(), "hunter2");
    }
}

//! `KubernetesVersion`: the Kubernetes minor version a render targets.

use std::fmt;

use schemars::JsonSchema;
use serde::{Deserialize, Deserializer, de};

/// A supported Kubernetes minor version, written `"1.33"`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub struct KubernetesVersion {
    pub minor: u32,
}

impl KubernetesVersion {
    pub const OLDEST_MINOR: u32 = 33;
    pub const NEWEST_MINOR: u32 = 37;
}

impl fmt::Display for KubernetesVersion {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "1.{}", self.minor)
    }
}

impl<'de> Deserialize<'de> for KubernetesVersion {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let text = String::deserialize(deserializer)?;
        let expected = "a supported Kubernetes version, \"1.33\" to \"1.37\"";
        let minor = text
            .trim()
            .strip_prefix("v")
            .unwrap_or(text.trim())
            .strip_prefix("1.")
            .and_then(|minor| minor.parse::<u32>().ok())
            .ok_or_else(|| de::Error::invalid_value(de::Unexpected::Str(&text), &expected))?;
        if !(Self::OLDEST_MINOR..=Self::NEWEST_MINOR).contains(&minor) {
            return Err(de::Error::invalid_value(
                de::Unexpected::Str(&text),
                &expected,
            ));
        }
        Ok(Self { minor })
    }
}

impl JsonSchema for KubernetesVersion {
    fn schema_name() -> std::borrow::Cow<'static, str> {
        "KubernetesVersion".into()
    }

    fn json_schema(_: &mut schemars::SchemaGenerator) -> schemars::Schema {
        schemars::json_schema!({
            "description": "Kubernetes minor version, \"1.33\" to \"1.37\". Quote it, so YAML tools other than platformgen read it as text.",
            "type": "string",
            "enum": ["1.33", "1.34", "1.35", "1.36", "1.37"]
        })
    }
}

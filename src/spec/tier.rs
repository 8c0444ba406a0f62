//! `Tier`: how strict an environment is. Secure-by-default rules key off it, not
//! off the environment's name, so `integration` or `qa` environments fit too.

use schemars::JsonSchema;
use serde::Deserialize;

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Deserialize, JsonSchema)]
#[serde(rename_all = "camelCase")]
pub enum Tier {
    /// Local and shared development clusters: single replicas, relaxed rules.
    Development,
    /// Pre-production: production rules, smaller sizes.
    Staging,
    /// Production: every rule enforced.
    Production,
}

impl Tier {
    /// The tier implied by a conventional environment name.
    pub fn from_environment_name(name: &str) -> Option<Tier> {
        match name {
            "dev" | "development" | "local" => Some(Tier::Development),
            "staging" | "stage" => Some(Tier::Staging),
            "prod" | "production" => Some(Tier::Production),
            _ => None,
        }
    }

    pub fn as_str(self) -> &'static str {
        match self {
            Tier::Development => "development",
            Tier::Staging => "staging",
            Tier::Production => "production",
        }
    }
}

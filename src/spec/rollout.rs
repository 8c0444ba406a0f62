//! `Rollout`: how a new version replaces the pods. `recreate` stops every
//! old pod before starting new ones (a Deployment that cannot run two
//! versions side by side); a mapping tunes the rolling update: `maxSurge` and
//! `maxUnavailable` of a Deployment (a GPU service on a full pool needs
//! `maxSurge: 0`, or the surge pod waits forever for a GPU), `partition` of a
//! StatefulSet (only pods with an ordinal at or above it are updated: a
//! canary of the highest ordinals).

use std::fmt;

use schemars::JsonSchema;
use serde::Deserialize;
use serde::de::{self, Deserializer, IntoDeserializer, MapAccess, Visitor};

/// How the pods of a new version replace the old ones.
#[derive(Debug, Clone, PartialEq, Eq, JsonSchema)]
#[serde(untagged)]
pub enum Rollout {
    /// `recreate`: every old pod stops before new ones start (Deployment only).
    Recreate(RecreateWord),
    /// A rolling update, tuned.
    Rolling(RollingUpdate),
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, JsonSchema)]
#[serde(rename_all = "camelCase")]
pub enum RecreateWord {
    Recreate,
}

#[derive(Debug, Clone, Default, PartialEq, Eq, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
pub struct RollingUpdate {
    /// Deployment: pods started above the replica count during a rollout, a
    /// count or a percentage of the replicas (`25%` when unset). `0` for a
    /// workload whose nodes have no room for one more pod (GPUs).
    #[serde(default)]
    pub max_surge: Option<IntOrPercent>,
    /// Deployment: pods that may be unavailable during a rollout, a count or
    /// a percentage (`25%` when unset). Not `0` together with `maxSurge: 0`.
    #[serde(default)]
    pub max_unavailable: Option<IntOrPercent>,
    /// StatefulSet: only pods with an ordinal at or above this number are
    /// updated; lower it step by step to roll the rest. Default `0` (all).
    #[serde(default)]
    pub partition: Option<u32>,
}

/// A count of pods (`1`) or a percentage of the replicas (`25%`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum IntOrPercent {
    Count(u32),
    Percent(u8),
}

impl IntOrPercent {
    pub fn is_zero(self) -> bool {
        matches!(self, IntOrPercent::Count(0) | IntOrPercent::Percent(0))
    }

    fn parse(text: &str) -> Option<IntOrPercent> {
        let digits_only = |s: &str| !s.is_empty() && s.chars().all(|c| c.is_ascii_digit());
        match text.strip_suffix('%') {
            Some(number) if digits_only(number) => number
                .parse::<u8>()
                .ok()
                .filter(|percent| *percent <= 100)
                .map(IntOrPercent::Percent),
            Some(_) => None,
            None if digits_only(text) => text.parse().ok().map(IntOrPercent::Count),
            None => None,
        }
    }
}

impl fmt::Display for IntOrPercent {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            IntOrPercent::Count(count) => write!(f, "{count}"),
            IntOrPercent::Percent(percent) => write!(f, "{percent}%"),
        }
    }
}

impl<'de> Deserialize<'de> for IntOrPercent {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let text = String::deserialize(deserializer)?;
        IntOrPercent::parse(&text).ok_or_else(|| {
            de::Error::invalid_value(
                de::Unexpected::Str(&text),
                &"a number of pods such as `1`, or a percentage from `0%` to `100%`",
            )
        })
    }
}

impl JsonSchema for IntOrPercent {
    fn schema_name() -> std::borrow::Cow<'static, str> {
        "IntOrPercent".into()
    }

    fn json_schema(_: &mut schemars::SchemaGenerator) -> schemars::Schema {
        schemars::json_schema!({
            "description": "A number of pods, or a percentage of the replicas such as `25%`.",
            "anyOf": [
                {"type": "integer", "minimum": 0},
                {"type": "string", "pattern": "^([0-9]{1,2}|100)%$"}
            ]
        })
    }
}

/// The word `recreate`, or a mapping tuning the rolling update. Written by
/// hand (not `#[serde(untagged)]`) so a misspelt word gets a did-you-mean and
/// a bad key points at the key.
impl<'de> Deserialize<'de> for Rollout {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        deserializer.deserialize_any(RolloutVisitor)
    }
}

struct RolloutVisitor;

const EXPECTED: &[&str] = &["recreate", "{ maxSurge, maxUnavailable }", "{ partition }"];

impl<'de> Visitor<'de> for RolloutVisitor {
    type Value = Rollout;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("`recreate`, `{ maxSurge, maxUnavailable }` or `{ partition }`")
    }

    fn visit_str<E: de::Error>(self, word: &str) -> Result<Rollout, E> {
        let deserializer: de::value::StrDeserializer<'_, E> = word.into_deserializer();
        RecreateWord::deserialize(deserializer)
            .map(Rollout::Recreate)
            .map_err(|_: E| E::unknown_variant(word, EXPECTED))
    }

    fn visit_map<A: MapAccess<'de>>(self, map: A) -> Result<Rollout, A::Error> {
        RollingUpdate::deserialize(de::value::MapAccessDeserializer::new(map)).map(Rollout::Rolling)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::source::{SourceFile, Sources};
    use crate::yaml::{Limits, parse};

    #[derive(Debug, Deserialize)]
    struct Holder {
        rollout: Rollout,
    }

    fn rollout(text: &str) -> Result<Rollout, Vec<String>> {
        let mut sources = Sources::default();
        let file = sources.add(SourceFile::new("test.yaml", format!("rollout: {text}\n")));
        let node = parse(file, &sources.get(file).text, &Limits::default()).expect("valid YAML");
        crate::spec::from_tree::<Holder>(&node)
            .map(|holder| holder.rollout)
            .map_err(|errors| errors.into_iter().map(|d| d.message).collect())
    }

    #[track_caller]
    fn error(text: &str, want: &str) {
        match rollout(text) {
            Err(got) => assert!(got.iter().any(|m| m.contains(want)), "{text}: {got:?}"),
            Ok(got) => panic!("{text}: accepted as {got:?}"),
        }
    }

    #[test]
    fn words_and_mappings() {
        assert_eq!(
            rollout("recreate"),
            Ok(Rollout::Recreate(RecreateWord::Recreate))
        );
        assert_eq!(
            rollout("{ maxSurge: 0, maxUnavailable: 25% }"),
            Ok(Rollout::Rolling(RollingUpdate {
                max_surge: Some(IntOrPercent::Count(0)),
                max_unavailable: Some(IntOrPercent::Percent(25)),
                partition: None,
            }))
        );
        assert_eq!(
            rollout("{ partition: 2 }"),
            Ok(Rollout::Rolling(RollingUpdate {
                partition: Some(2),
                ..RollingUpdate::default()
            }))
        );
        error("recreat", "unknown value `recreat`");
        error("{ maxSurge: 101% }", "percentage");
        error("{ maxSurge: -1 }", "percentage");
        error("{ maxSurge: 1.5 }", "percentage");
        error("{ maxSurge: \"%\" }", "percentage");
        error("{ surge: 1 }", "surge");
    }
}

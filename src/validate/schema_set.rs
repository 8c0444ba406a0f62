//! `SchemaSet`: the compiled schemas of one Kubernetes version, built from the
//! embedded schema file once per process and shared by every environment
//! checked.

use std::collections::BTreeMap;
use std::sync::OnceLock;

use serde_json::Value;
use serde_json::value::RawValue;

use super::schema_check::{Definitions, Violation};

/// The vendored schemas: per version, which body of each definition it uses,
/// and the kinds' root definitions (see `scripts/vendor_kubernetes_schemas.py`).
const SCHEMAS: &str = include_str!("../../k8s-schemas/kubernetes.json");

/// The versions the schema file holds, oldest first; `platform.kubernetesVersion`
/// accepts exactly these.
const MINORS: std::ops::RangeInclusive<u32> = 33..=37;

/// `k8s-schemas/kubernetes.json`, its definitions left unparsed.
#[derive(serde::Deserialize)]
struct SchemaFile {
    #[serde(borrow)]
    versions: BTreeMap<&'static str, VersionIndex>,
    #[serde(borrow)]
    definitions: BTreeMap<&'static str, Vec<&'static RawValue>>,
}

/// One version: which body of each definition it uses, and each kind's root.
#[derive(serde::Deserialize)]
struct VersionIndex {
    #[serde(borrow)]
    kinds: BTreeMap<&'static str, &'static str>,
    #[serde(borrow)]
    definitions: BTreeMap<&'static str, usize>,
}

/// Why an object could not be validated at all.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum SchemaError {
    #[error("no schema of {api_version} {kind} is known for Kubernetes 1.{minor}")]
    UnknownKind {
        api_version: String,
        kind: String,
        minor: u32,
    },
    #[error("Kubernetes 1.{0} is not a version platformgen has schemas for")]
    UnknownVersion(u32),
    #[error("the schemas of Kubernetes 1.{0} are malformed: {1}")]
    Broken(u32, String),
}

/// The schemas of one Kubernetes version: every definition it uses, and
/// each kind's root definition.
pub struct SchemaSet {
    minor: u32,
    definitions: Definitions,
    /// `apps/v1/Deployment` (`v1/Service` for the core group) → the name of
    /// its root definition.
    kinds: BTreeMap<String, String>,
}

impl std::fmt::Debug for SchemaSet {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("SchemaSet")
            .field("minor", &self.minor)
            .field("kinds", &self.kinds.keys().collect::<Vec<_>>())
            .finish()
    }
}

impl SchemaSet {
    /// The schemas of Kubernetes `1.<minor>`, read once per process.
    pub fn for_version(minor: u32) -> Result<&'static SchemaSet, SchemaError> {
        static SETS: [OnceLock<Result<SchemaSet, SchemaError>>; 5] = [const { OnceLock::new() }; 5];
        if !MINORS.contains(&minor) {
            return Err(SchemaError::UnknownVersion(minor));
        }
        let slot = &SETS[(minor - MINORS.start()) as usize];
        slot.get_or_init(|| Self::build(minor))
            .as_ref()
            .map_err(Clone::clone)
    }

    fn build(minor: u32) -> Result<SchemaSet, SchemaError> {
        let broken = |message: String| SchemaError::Broken(minor, message);
        // Borrowed from the embedded text: definitions are parsed when a
        // value reaches them (see `Definitions`).
        let file: SchemaFile = serde_json::from_str(SCHEMAS).map_err(|e| broken(e.to_string()))?;
        let version = file
            .versions
            .get(format!("1.{minor}").as_str())
            .ok_or(SchemaError::UnknownVersion(minor))?;
        let mut definitions = BTreeMap::new();
        for (name, index) in &version.definitions {
            let body = file
                .definitions
                .get(name)
                .and_then(|variants| variants.get(*index))
                .ok_or_else(|| broken(format!("definition {name} is missing")))?;
            definitions.insert(*name, *body);
        }
        let kinds = version
            .kinds
            .iter()
            .map(|(key, root)| ((*key).to_owned(), (*root).to_owned()))
            .collect();
        Ok(SchemaSet {
            minor,
            definitions: Definitions::new(definitions),
            kinds,
        })
    }

    pub fn minor(&self) -> u32 {
        self.minor
    }

    /// Every kind the set has a schema for, as `apps/v1/Deployment`.
    pub fn kinds(&self) -> impl Iterator<Item = &str> {
        self.kinds.keys().map(String::as_str)
    }

    /// Every violation of the schema of `kind` in `api_version` by `value`,
    /// sorted by path.
    pub fn violations(
        &self,
        api_version: &str,
        kind: &str,
        value: &Value,
    ) -> Result<Vec<Violation>, SchemaError> {
        let root = self
            .kinds
            .get(&format!("{api_version}/{kind}"))
            .and_then(|root| self.definitions.index_of(root))
            .ok_or_else(|| SchemaError::UnknownKind {
                api_version: api_version.to_owned(),
                kind: kind.to_owned(),
                minor: self.minor,
            })?;
        let mut found = self.definitions.violations(root, value);
        found.sort();
        found.dedup();
        Ok(found)
    }

    #[cfg(test)]
    pub(super) fn definitions(&self) -> &Definitions {
        &self.definitions
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn every_pattern_of_every_version_compiles() {
        for minor in super::MINORS {
            let set = super::SchemaSet::for_version(minor).expect("schemas");
            let patterns = set.definitions().patterns();
            assert!(!patterns.is_empty());
            for pattern in patterns {
                assert!(regex::Regex::new(&pattern).is_ok(), "1.{minor}: {pattern}");
            }
        }
    }
}

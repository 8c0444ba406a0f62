//! `SchemaSet`: the compiled schemas of one Kubernetes version, built from the
//! embedded schema file once per process and shared by every environment
//! checked.

use std::borrow::Cow;
use std::collections::BTreeMap;
use std::sync::OnceLock;

use serde_json::Value;

use super::json_index::{JsonIndex, Kind};
use super::schema_check::{Definitions, Violation};

/// The vendored schemas: per version, which body of each definition it uses,
/// and the kinds' root definitions (see `scripts/vendor_kubernetes_schemas.py`).
const SCHEMAS: &str = include_str!("../../k8s-schemas/kubernetes.json");

/// The versions the schema file holds, oldest first; `platform.kubernetesVersion`
/// accepts exactly these.
const MINORS: std::ops::RangeInclusive<u32> = 33..=37;

/// How deep the schema file is indexed at start: the root, `definitions`
/// and `versions`, each definition's list of bodies and each version, and
/// then the bodies and each version's tables as text. A body is indexed
/// when a value first reaches it (`schema_node::Compiler`).
const FILE_DEPTH: usize = 3;

/// `k8s-schemas/kubernetes.json`, indexed down to `FILE_DEPTH`: shared by
/// every version, read once per process.
struct SchemaFile {
    index: JsonIndex<'static>,
    /// Each definition's list of bodies (one per distinct body across
    /// versions), by name (borrowed from the embedded text unless written
    /// with escapes).
    definitions: BTreeMap<Cow<'static, str>, usize>,
}

impl SchemaFile {
    fn get() -> Result<&'static SchemaFile, String> {
        static FILE: OnceLock<Result<SchemaFile, String>> = OnceLock::new();
        FILE.get_or_init(Self::read).as_ref().map_err(Clone::clone)
    }

    fn read() -> Result<SchemaFile, String> {
        let index = JsonIndex::to_depth(SCHEMAS, FILE_DEPTH).map_err(|e| e.to_string())?;
        let definitions = index.pointer("/definitions").ok_or("no definitions")?;
        let definitions = index.members(definitions).collect();
        Ok(SchemaFile { index, definitions })
    }

    /// The text of `table` (`kinds` or `definitions`) of the version
    /// `1.<minor>`, or `None` when the file has no such version.
    fn table(&self, minor: u32, table: &str) -> Option<&'static str> {
        let at = self
            .index
            .pointer(&format!("/versions/1.{minor}/{table}"))?;
        Some(self.index.text(at))
    }

    /// The text of body `body` of the definition `name`.
    fn body(&self, name: &str, body: usize) -> Option<&'static str> {
        let bodies = *self.definitions.get(name)?;
        let at = self.index.elements(bodies).nth(body)?;
        match self.index.kind(at) {
            Kind::Object | Kind::Unindexed | Kind::Literal => Some(self.index.text(at)),
            Kind::Array | Kind::String | Kind::Number => None,
        }
    }
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
    /// Starts reading the schema file on a thread of its own, so that the
    /// read overlaps whatever the caller does before it validates the first
    /// object (for `check`, reading, analysing and lowering the spec).
    /// Whoever needs the file first waits for the read under way; without a
    /// thread, the file is read when first needed.
    pub fn read_ahead() {
        let _ = std::thread::Builder::new()
            .name("schemas".to_owned())
            .spawn(|| {
                let _ = SchemaFile::get();
            });
    }

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
        let file = SchemaFile::get().map_err(broken)?;
        let table = |name: &str| {
            file.table(minor, name)
                .ok_or(SchemaError::UnknownVersion(minor))
        };
        let kinds: BTreeMap<&'static str, &'static str> =
            serde_json::from_str(table("kinds")?).map_err(|e| broken(e.to_string()))?;
        let bodies: BTreeMap<&'static str, usize> =
            serde_json::from_str(table("definitions")?).map_err(|e| broken(e.to_string()))?;
        let mut definitions = BTreeMap::new();
        for (name, body) in bodies {
            let text = file
                .body(name, body)
                .ok_or_else(|| broken(format!("definition {name} is missing")))?;
            definitions.insert(name, text);
        }
        let kinds = kinds
            .into_iter()
            .map(|(key, root)| (key.to_owned(), root.to_owned()))
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

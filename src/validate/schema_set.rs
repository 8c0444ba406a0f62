//! `SchemaSet`: the compiled schemas of one Kubernetes version, built from the
//! embedded schema file once per process and shared by every environment
//! checked.

use std::collections::BTreeMap;
use std::sync::OnceLock;

use jsonschema::{Draft, Registry, Validator};
use serde_json::{Map, Value};

/// The vendored schemas: per version, which body of each definition it uses,
/// and the kinds' root definitions (see `scripts/vendor_kubernetes_schemas.py`).
const SCHEMAS: &str = include_str!("../../k8s-schemas/kubernetes.json");

/// The versions the schema file holds, oldest first; `platform.kubernetesVersion`
/// accepts exactly these.
const MINORS: std::ops::RangeInclusive<u32> = 33..=37;

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
    #[error("the schema of {0} does not compile: {1}")]
    Broken(String, String),
}

/// The schemas of one Kubernetes version. A kind's validator is compiled the
/// first time an object of that kind is validated, so a render pays only for
/// the kinds it holds.
pub struct SchemaSet {
    minor: u32,
    /// The version's definitions, kinds' roots included, as one document.
    registry: Registry<'static>,
    /// `apps/v1/Deployment` (`v1/Service` for the core group) → its root
    /// definition's name, and its validator once compiled.
    kinds: BTreeMap<String, (String, OnceLock<Result<Validator, String>>)>,
}

impl std::fmt::Debug for SchemaSet {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("SchemaSet")
            .field("minor", &self.minor)
            .field("kinds", &self.kinds.keys().collect::<Vec<_>>())
            .finish()
    }
}

/// The base URI the version's definitions are registered under; nothing is
/// ever fetched from it.
fn document_uri(minor: u32) -> String {
    format!("https://kubernetes.io/platformgen/schemas/v1.{minor}")
}

impl SchemaSet {
    /// The schemas of Kubernetes `1.<minor>`, built once per process.
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
        let broken =
            |message: String| SchemaError::Broken(format!("Kubernetes 1.{minor}"), message);
        let mut file: Value = serde_json::from_str(SCHEMAS).map_err(|e| broken(e.to_string()))?;
        let version = file
            .get_mut("versions")
            .and_then(|versions| versions.get_mut(format!("1.{minor}")))
            .map(Value::take)
            .ok_or(SchemaError::UnknownVersion(minor))?;
        let mut bodies = file
            .get_mut("definitions")
            .map(Value::take)
            .and_then(|d| match d {
                Value::Object(map) => Some(map),
                _ => None,
            })
            .ok_or_else(|| broken("no definitions".to_owned()))?;
        let mut definitions = Map::new();
        if let Some(Value::Object(chosen)) = version.get("definitions") {
            for (name, index) in chosen {
                let index = index.as_u64().unwrap_or(0) as usize;
                let body = bodies
                    .get_mut(name)
                    .and_then(|variants| variants.get_mut(index))
                    .map(Value::take)
                    .ok_or_else(|| broken(format!("definition {name} is missing")))?;
                definitions.insert(name.clone(), body);
            }
        }
        let document = serde_json::json!({
            "$schema": "https://json-schema.org/draft/2020-12/schema",
            "$defs": definitions,
        });
        let registry = Registry::new()
            .draft(Draft::Draft202012)
            .add(document_uri(minor), document)
            .and_then(|builder| builder.prepare())
            .map_err(|e| broken(e.to_string()))?;
        let kinds = match version.get("kinds") {
            Some(Value::Object(kinds)) => kinds
                .iter()
                .filter_map(|(key, root)| {
                    Some((key.clone(), (root.as_str()?.to_owned(), OnceLock::new())))
                })
                .collect(),
            _ => BTreeMap::new(),
        };
        Ok(SchemaSet {
            minor,
            registry,
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

    /// The validator of `kind` in `api_version`, compiled on first use.
    pub fn validator(&self, api_version: &str, kind: &str) -> Result<&Validator, SchemaError> {
        let key = format!("{api_version}/{kind}");
        let Some((root, compiled)) = self.kinds.get(&key) else {
            return Err(SchemaError::UnknownKind {
                api_version: api_version.to_owned(),
                kind: kind.to_owned(),
                minor: self.minor,
            });
        };
        compiled
            .get_or_init(|| {
                let schema = serde_json::json!({
                    "$schema": "https://json-schema.org/draft/2020-12/schema",
                    "$ref": format!("{}#/$defs/{root}", document_uri(self.minor)),
                });
                jsonschema::options()
                    .with_draft(Draft::Draft202012)
                    .with_registry(&self.registry)
                    .build(&schema)
                    .map_err(|e| e.to_string())
            })
            .as_ref()
            .map_err(|message| SchemaError::Broken(key, message.clone()))
    }
}

//! `SchemaNode`: one JSON Schema, read into the keywords validation uses.
//! Walking a schema as a JSON tree looks every keyword up in a map at every
//! value it checks; read into fields, a keyword the schema does not have
//! costs nothing, `$ref`s point at their definition by index and patterns
//! are compiled regexes. Sub-schemas stay positions in the index of their
//! definition's text (`JsonIndex`) until a value reaches them: a
//! CloudNativePG `Cluster` schema is larger than most renders, and a render
//! reaches little of it.

use std::collections::BTreeMap;
use std::sync::{Mutex, OnceLock};

use regex::Regex;
use serde_json::Value;

use super::json_index::{IndexError, JsonIndex, Kind, ValueId};

/// A schema, as validation reads it. `x-kubernetes-*`, `format`, `default`,
/// `nullable` and descriptions constrain nothing the API server's strict
/// decoding checks, so they are not read.
#[derive(Debug, Default)]
pub(super) struct SchemaNode {
    /// `true` accepts every value, `false` none; `None` for an object schema.
    pub(super) constant: Option<bool>,
    pub(super) reference: Option<Reference>,
    pub(super) types: Option<Types>,
    pub(super) allowed: Option<Vec<Value>>,
    pub(super) any_of: Option<Vec<LazyNode>>,
    pub(super) one_of: Option<Vec<LazyNode>>,
    pub(super) all_of: Vec<LazyNode>,
    /// `not`: the schema, and its JSON for the message.
    pub(super) not: Option<(LazyNode, Value)>,
    pub(super) min_items: Option<u64>,
    pub(super) max_items: Option<u64>,
    pub(super) items: Option<LazyNode>,
    pub(super) min_length: Option<u64>,
    pub(super) max_length: Option<u64>,
    pub(super) pattern: Option<Pattern>,
    pub(super) minimum: Option<f64>,
    pub(super) maximum: Option<f64>,
    pub(super) required: Vec<String>,
    pub(super) min_properties: Option<u64>,
    pub(super) max_properties: Option<u64>,
    /// Sorted by name, as the object keys they are looked up with.
    pub(super) properties: Option<BTreeMap<String, LazyNode>>,
    pub(super) additional: Additional,
}

/// Where a schema is: a value of the index of one definition's text.
#[derive(Debug, Clone, Copy)]
pub(super) struct At {
    /// The definition, by index (see `Definitions`).
    pub(super) definition: u32,
    pub(super) value: u32,
}

/// A sub-schema: where it is, read into a node the first time a value
/// reaches it.
#[derive(Debug)]
pub(super) struct LazyNode {
    at: At,
    node: OnceLock<Box<SchemaNode>>,
}

impl LazyNode {
    pub(super) fn new(at: At) -> Self {
        Self {
            at,
            node: OnceLock::new(),
        }
    }

    /// The node, read on first use with `compiler`'s definitions and patterns.
    pub(super) fn get(&self, compiler: &Compiler) -> &SchemaNode {
        self.node
            .get_or_init(|| Box::new(compiler.compile(self.at)))
    }

    /// Where the schema is, for tests that read every schema.
    #[cfg(test)]
    pub(super) fn at(&self) -> At {
        self.at
    }
}

/// Where a `$ref` points.
#[derive(Debug)]
pub(super) enum Reference {
    /// The index of the definition (see `Definitions`).
    Definition(usize),
    /// A reference to no definition of the set, kept as written for the
    /// message.
    Unresolvable(String),
}

/// What `additionalProperties` says of keys `properties` does not name.
#[derive(Debug, Default)]
pub(super) enum Additional {
    /// Not said: any key, any value.
    #[default]
    Unchecked,
    /// `false`: no other key.
    Forbidden,
    /// A schema every other key's value must meet.
    Schema(LazyNode),
}

/// `type`: the JSON types a value may have, and how a message names them.
#[derive(Debug)]
pub(super) struct Types {
    mask: u8,
    /// `'string'` or `'integer', 'string'`, as Python's `jsonschema` writes them.
    pub(super) names: String,
}

/// A `pattern`, as written (for the message) and compiled; a pattern the
/// regex engine cannot read constrains nothing (the vendored schemas have
/// none, a unit test compiles them all).
#[derive(Debug)]
pub(super) struct Pattern {
    pub(super) source: String,
    pub(super) regex: Option<Regex>,
}

const OBJECT: u8 = 1;
const ARRAY: u8 = 1 << 1;
const STRING: u8 = 1 << 2;
const BOOLEAN: u8 = 1 << 3;
const NULL: u8 = 1 << 4;
const NUMBER: u8 = 1 << 5;
const INTEGER: u8 = 1 << 6;
/// A type name JSON Schema does not define: it accepts every value.
const ANY: u8 = 1 << 7;

impl Types {
    fn of(types: &Value) -> Option<Types> {
        let bit = |name: &str| match name {
            "object" => OBJECT,
            "array" => ARRAY,
            "string" => STRING,
            "boolean" => BOOLEAN,
            "null" => NULL,
            "number" => NUMBER,
            "integer" => INTEGER,
            _ => ANY,
        };
        match types {
            Value::String(name) => Some(Types {
                mask: bit(name),
                names: format!("'{name}'"),
            }),
            Value::Array(names) => {
                let names: Vec<&str> = names.iter().filter_map(Value::as_str).collect();
                Some(Types {
                    mask: names.iter().fold(0, |mask, name| mask | bit(name)),
                    names: names
                        .iter()
                        .map(|name| format!("'{name}'"))
                        .collect::<Vec<_>>()
                        .join(", "),
                })
            }
            // Not a type list: constrains nothing.
            _ => None,
        }
    }

    /// Whether `value` has one of the types.
    pub(super) fn admit(&self, value: &Value) -> bool {
        if self.mask & ANY != 0 {
            return true;
        }
        let bits = match value {
            Value::Object(_) => OBJECT,
            Value::Array(_) => ARRAY,
            Value::String(_) => STRING,
            Value::Bool(_) => BOOLEAN,
            Value::Null => NULL,
            Value::Number(number) => {
                // As Python's jsonschema: 2.0 is an integer.
                let integer = number.is_i64()
                    || number.is_u64()
                    || number.as_f64().is_some_and(|f| f.fract() == 0.0);
                if integer { NUMBER | INTEGER } else { NUMBER }
            }
        };
        self.mask & bits != 0
    }
}

/// Reads schemas into nodes: indexes each definition's text when a value
/// first reaches it, resolves `$ref`s to definition indexes and compiles
/// each distinct pattern once.
pub(super) struct Compiler {
    /// The index of each definition by name.
    pub(super) definitions: BTreeMap<&'static str, usize>,
    /// Each definition's text, by index.
    pub(super) texts: Vec<&'static str>,
    /// Each definition's text indexed, on first use.
    pub(super) indexes: Vec<OnceLock<Result<JsonIndex<'static>, IndexError>>>,
    /// Every pattern compiled so far, by its source.
    pub(super) patterns: Mutex<BTreeMap<String, Option<Regex>>>,
}

/// Where definitions are referred to from.
pub(super) const REF_PREFIX: &str = "#/$defs/";

/// Why a schema's keywords are not of the shapes validation reads.
#[derive(Debug, thiserror::Error)]
pub(super) enum ReadError {
    #[error("the definition is not JSON: {0}")]
    Index(IndexError),
    #[error("`{0}` is not of the expected shape")]
    Shape(&'static str),
    #[error("`{0}`: {1}")]
    Value(&'static str, serde_json::Error),
}

/// A keyword's value, read from its text.
fn parse(keyword: &'static str, text: &str) -> Result<Value, ReadError> {
    serde_json::from_str(text).map_err(|e| ReadError::Value(keyword, e))
}

impl Compiler {
    /// The node of the schema at `at`. A schema that is not an object is
    /// `false` (rejects everything) or accepts everything; an object schema
    /// whose keywords are not of the expected shapes constrains nothing
    /// (a unit test reads every vendored schema strictly).
    pub(super) fn compile(&self, at: At) -> SchemaNode {
        self.read(at).unwrap_or_default()
    }

    /// The index of the definition `definition`'s text, built on first use.
    fn index(&self, definition: u32) -> Result<&JsonIndex<'static>, ReadError> {
        let definition = definition as usize;
        self.indexes[definition]
            .get_or_init(|| JsonIndex::new(self.texts[definition]))
            .as_ref()
            .map_err(|e| ReadError::Index(e.clone()))
    }

    /// The text of the schema at `at`, for messages.
    #[cfg(test)]
    pub(super) fn text(&self, at: At) -> &'static str {
        self.index(at.definition)
            .map(|index| index.text(at.value as usize))
            .unwrap_or(self.texts[at.definition as usize])
    }

    /// The node of the schema at `at`, or why its keywords are not of the
    /// shapes validation reads.
    pub(super) fn read(&self, at: At) -> Result<SchemaNode, ReadError> {
        let index = self.index(at.definition)?;
        let id = at.value as usize;
        if index.kind(id) != Kind::Object {
            return Ok(SchemaNode {
                constant: Some(index.text(id).trim() != "false"),
                ..SchemaNode::default()
            });
        }
        let here = |value: ValueId| At {
            definition: at.definition,
            // Ids of an index fit in `u32` (`JsonIndex` refuses more).
            value: value as u32,
        };
        let lazy = |value: ValueId| LazyNode::new(here(value));
        let list = |keyword: &'static str, value: ValueId| {
            if index.kind(value) != Kind::Array {
                return Err(ReadError::Shape(keyword));
            }
            Ok(index.elements(value).map(lazy).collect::<Vec<_>>())
        };
        let mut node = SchemaNode::default();
        for (key, value) in index.members(id) {
            let text = index.text(value);
            let number = |keyword| parse(keyword, text).map(|v| v.as_u64());
            let float = |keyword| parse(keyword, text).map(|v| v.as_f64());
            match key.as_ref() {
                "$ref" => {
                    let Value::String(reference) = parse("$ref", text)? else {
                        return Err(ReadError::Shape("$ref"));
                    };
                    node.reference = Some(
                        match reference
                            .strip_prefix(REF_PREFIX)
                            .and_then(|name| self.definitions.get(name))
                        {
                            Some(index) => Reference::Definition(*index),
                            None => Reference::Unresolvable(reference),
                        },
                    );
                }
                "type" => node.types = Types::of(&parse("type", text)?),
                "enum" => {
                    node.allowed = match parse("enum", text)? {
                        Value::Array(allowed) => Some(allowed),
                        _ => None,
                    }
                }
                "anyOf" => node.any_of = Some(list("anyOf", value)?),
                "oneOf" => node.one_of = Some(list("oneOf", value)?),
                "allOf" => node.all_of = list("allOf", value)?,
                "not" => node.not = Some((lazy(value), parse("not", text)?)),
                "minItems" => node.min_items = number("minItems")?,
                "maxItems" => node.max_items = number("maxItems")?,
                "items" => node.items = Some(lazy(value)),
                "minLength" => node.min_length = number("minLength")?,
                "maxLength" => node.max_length = number("maxLength")?,
                "pattern" => {
                    node.pattern = match parse("pattern", text)? {
                        Value::String(source) => Some(self.pattern(source)),
                        _ => None,
                    }
                }
                "minimum" => node.minimum = float("minimum")?,
                "maximum" => node.maximum = float("maximum")?,
                "required" => {
                    node.required = match parse("required", text)? {
                        Value::Array(required) => required
                            .into_iter()
                            .filter_map(|name| match name {
                                Value::String(name) => Some(name),
                                _ => None,
                            })
                            .collect(),
                        _ => Vec::new(),
                    }
                }
                "minProperties" => node.min_properties = number("minProperties")?,
                "maxProperties" => node.max_properties = number("maxProperties")?,
                "properties" => {
                    if index.kind(value) != Kind::Object {
                        return Err(ReadError::Shape("properties"));
                    }
                    node.properties = Some(
                        index
                            .members(value)
                            .map(|(name, schema)| (name.into_owned(), lazy(schema)))
                            .collect(),
                    );
                }
                "additionalProperties" => {
                    node.additional = if text.trim() == "false" {
                        Additional::Forbidden
                    } else {
                        Additional::Schema(lazy(value))
                    }
                }
                // Other keywords constrain nothing validation checks.
                _ => {}
            }
        }
        Ok(node)
    }

    fn pattern(&self, source: String) -> Pattern {
        let mut patterns = self.patterns.lock().unwrap_or_else(|e| e.into_inner());
        let regex = patterns
            .entry(source.clone())
            .or_insert_with(|| Regex::new(&source).ok())
            .clone();
        Pattern { source, regex }
    }
}

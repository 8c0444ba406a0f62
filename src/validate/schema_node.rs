//! `SchemaNode`: one JSON Schema, read into the keywords validation uses.
//! Walking a schema as a JSON tree looks every keyword up in a map at every
//! value it checks; read into fields, a keyword the schema does not have
//! costs nothing, `$ref`s point at their definition by index and patterns
//! are compiled regexes. Sub-schemas stay text (borrowed from the embedded
//! schema file) until a value reaches them: a CloudNativePG `Cluster`
//! schema is larger than most renders, and a render reaches little of it.

use std::collections::BTreeMap;
use std::sync::{Mutex, OnceLock};

use regex::Regex;
use serde::Deserialize;
use serde_json::Value;
use serde_json::value::RawValue;

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

/// A sub-schema: its text, read into a node the first time a value
/// reaches it.
#[derive(Debug)]
pub(super) struct LazyNode {
    text: &'static RawValue,
    node: OnceLock<Box<SchemaNode>>,
}

impl LazyNode {
    pub(super) fn new(text: &'static RawValue) -> Self {
        Self {
            text,
            node: OnceLock::new(),
        }
    }

    /// The node, read on first use with `compiler`'s definitions and patterns.
    pub(super) fn get(&self, compiler: &Compiler) -> &SchemaNode {
        self.node
            .get_or_init(|| Box::new(compiler.compile(self.text)))
    }

    /// The schema's text, for tests that read every schema.
    #[cfg(test)]
    pub(super) fn text(&self) -> &'static RawValue {
        self.text
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

/// The keywords of an object schema, as the schema file writes them; the
/// sub-schemas stay text. Other keywords are skipped.
#[derive(Deserialize)]
struct Keywords<'a> {
    #[serde(rename = "$ref")]
    reference: Option<String>,
    #[serde(rename = "type")]
    types: Option<Value>,
    #[serde(rename = "enum")]
    allowed: Option<Value>,
    #[serde(rename = "anyOf", borrow)]
    any_of: Option<Vec<&'a RawValue>>,
    #[serde(rename = "oneOf", borrow)]
    one_of: Option<Vec<&'a RawValue>>,
    #[serde(rename = "allOf", borrow)]
    all_of: Option<Vec<&'a RawValue>>,
    #[serde(borrow)]
    not: Option<&'a RawValue>,
    #[serde(rename = "minItems")]
    min_items: Option<Value>,
    #[serde(rename = "maxItems")]
    max_items: Option<Value>,
    #[serde(borrow)]
    items: Option<&'a RawValue>,
    #[serde(rename = "minLength")]
    min_length: Option<Value>,
    #[serde(rename = "maxLength")]
    max_length: Option<Value>,
    pattern: Option<Value>,
    minimum: Option<Value>,
    maximum: Option<Value>,
    required: Option<Value>,
    #[serde(rename = "minProperties")]
    min_properties: Option<Value>,
    #[serde(rename = "maxProperties")]
    max_properties: Option<Value>,
    #[serde(borrow)]
    properties: Option<&'a RawValue>,
    #[serde(rename = "additionalProperties", borrow)]
    additional: Option<&'a RawValue>,
}

/// Reads schemas into nodes: resolves `$ref`s to definition indexes and
/// compiles each distinct pattern once.
pub(super) struct Compiler {
    /// The index of each definition by name.
    pub(super) definitions: BTreeMap<&'static str, usize>,
    /// Every pattern compiled so far, by its source.
    pub(super) patterns: Mutex<BTreeMap<String, Option<Regex>>>,
}

/// Where definitions are referred to from.
pub(super) const REF_PREFIX: &str = "#/$defs/";

impl Compiler {
    /// The node of the schema `text`. A schema that is not an object is
    /// `false` (rejects everything) or accepts everything; an object schema
    /// whose keywords are not of the expected shapes constrains nothing
    /// (a unit test reads every vendored schema strictly).
    pub(super) fn compile(&self, text: &'static RawValue) -> SchemaNode {
        self.read(text).unwrap_or_default()
    }

    /// The node of the schema `text`, or why its keywords are not of the
    /// shapes validation reads.
    pub(super) fn read(&self, text: &'static RawValue) -> Result<SchemaNode, serde_json::Error> {
        if !text.get().trim_start().starts_with('{') {
            return Ok(SchemaNode {
                constant: Some(text.get().trim() != "false"),
                ..SchemaNode::default()
            });
        }
        let keywords: Keywords<'static> = serde_json::from_str(text.get())?;
        let properties = match keywords.properties {
            Some(properties) => Some(serde_json::from_str::<BTreeMap<String, &'static RawValue>>(
                properties.get(),
            )?),
            None => None,
        };
        Ok(self.node(keywords, properties))
    }

    fn node(
        &self,
        keywords: Keywords<'static>,
        properties: Option<BTreeMap<String, &'static RawValue>>,
    ) -> SchemaNode {
        let number = |value: Option<Value>| value.as_ref().and_then(Value::as_u64);
        let float = |value: Option<Value>| value.as_ref().and_then(Value::as_f64);
        let lazy = |texts: Option<Vec<&'static RawValue>>| {
            texts.map(|texts| texts.into_iter().map(LazyNode::new).collect::<Vec<_>>())
        };
        SchemaNode {
            constant: None,
            reference: keywords.reference.map(|reference| {
                match reference
                    .strip_prefix(REF_PREFIX)
                    .and_then(|name| self.definitions.get(name))
                {
                    Some(index) => Reference::Definition(*index),
                    None => Reference::Unresolvable(reference),
                }
            }),
            types: keywords.types.as_ref().and_then(Types::of),
            allowed: match keywords.allowed {
                Some(Value::Array(allowed)) => Some(allowed),
                _ => None,
            },
            any_of: lazy(keywords.any_of),
            one_of: lazy(keywords.one_of),
            all_of: lazy(keywords.all_of).unwrap_or_default(),
            not: keywords.not.map(|negated| {
                let text = serde_json::from_str(negated.get()).unwrap_or(Value::Null);
                (LazyNode::new(negated), text)
            }),
            min_items: number(keywords.min_items),
            max_items: number(keywords.max_items),
            items: keywords.items.map(LazyNode::new),
            min_length: number(keywords.min_length),
            max_length: number(keywords.max_length),
            pattern: match keywords.pattern {
                Some(Value::String(source)) => Some(self.pattern(source)),
                _ => None,
            },
            minimum: float(keywords.minimum),
            maximum: float(keywords.maximum),
            required: match keywords.required {
                Some(Value::Array(required)) => required
                    .into_iter()
                    .filter_map(|name| match name {
                        Value::String(name) => Some(name),
                        _ => None,
                    })
                    .collect(),
                _ => Vec::new(),
            },
            min_properties: number(keywords.min_properties),
            max_properties: number(keywords.max_properties),
            properties: properties.map(|properties| {
                properties
                    .into_iter()
                    .map(|(name, text)| (name, LazyNode::new(text)))
                    .collect()
            }),
            additional: match keywords.additional {
                None => Additional::Unchecked,
                Some(text) if text.get().trim() == "false" => Additional::Forbidden,
                Some(text) => Additional::Schema(LazyNode::new(text)),
            },
        }
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

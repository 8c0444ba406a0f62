//! `SchemaNode`: one JSON Schema, read once into the keywords validation
//! uses. Walking a schema as a JSON tree looks every keyword up in a map at
//! every value it checks (twenty string comparisons a node); read into
//! fields, a keyword the schema does not have costs nothing, `$ref`s point
//! at their definition by index and patterns are compiled regexes.

use std::collections::BTreeMap;

use regex::Regex;
use serde_json::Value;

/// A schema, as validation reads it. `x-kubernetes-*`, `format`, `default`,
/// `nullable` and descriptions constrain nothing the API server's strict
/// decoding checks, so they are not read (as before this form existed).
#[derive(Debug, Default)]
pub(super) struct SchemaNode {
    /// `true` accepts every value, `false` none; `None` for an object schema.
    pub(super) constant: Option<bool>,
    pub(super) reference: Option<Reference>,
    pub(super) types: Option<Types>,
    pub(super) allowed: Option<Vec<Value>>,
    pub(super) any_of: Option<Vec<SchemaNode>>,
    pub(super) one_of: Option<Vec<SchemaNode>>,
    pub(super) all_of: Vec<SchemaNode>,
    /// `not`: the schema, and its JSON for the message.
    pub(super) not: Option<(Box<SchemaNode>, Value)>,
    pub(super) min_items: Option<u64>,
    pub(super) max_items: Option<u64>,
    pub(super) items: Option<Box<SchemaNode>>,
    pub(super) min_length: Option<u64>,
    pub(super) max_length: Option<u64>,
    pub(super) pattern: Option<Pattern>,
    pub(super) minimum: Option<f64>,
    pub(super) maximum: Option<f64>,
    pub(super) required: Vec<String>,
    pub(super) min_properties: Option<u64>,
    pub(super) max_properties: Option<u64>,
    /// Sorted by name, as the object keys they are looked up with.
    pub(super) properties: Option<BTreeMap<String, SchemaNode>>,
    pub(super) additional: Additional,
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
    Schema(Box<SchemaNode>),
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

/// Reads schemas into nodes: resolves `$ref`s to definition indexes and
/// compiles each distinct pattern once.
pub(super) struct Compiler<'a> {
    /// The index of each definition by name.
    pub(super) definitions: &'a BTreeMap<&'static str, usize>,
    /// Every pattern compiled so far, by its source.
    pub(super) patterns: &'a mut BTreeMap<String, Option<Regex>>,
}

/// Where definitions are referred to from.
pub(super) const REF_PREFIX: &str = "#/$defs/";

impl Compiler<'_> {
    pub(super) fn compile(&mut self, schema: &Value) -> SchemaNode {
        let Value::Object(schema) = schema else {
            // `false` rejects everything; `true`, or anything that is not a
            // schema, accepts everything.
            return SchemaNode {
                constant: Some(!matches!(schema, Value::Bool(false))),
                ..SchemaNode::default()
            };
        };
        let number = |keyword: &str| schema.get(keyword).and_then(Value::as_u64);
        let float = |keyword: &str| schema.get(keyword).and_then(Value::as_f64);
        let mut node = SchemaNode {
            types: schema.get("type").and_then(Types::of),
            allowed: match schema.get("enum") {
                Some(Value::Array(allowed)) => Some(allowed.clone()),
                _ => None,
            },
            min_items: number("minItems"),
            max_items: number("maxItems"),
            min_length: number("minLength"),
            max_length: number("maxLength"),
            minimum: float("minimum"),
            maximum: float("maximum"),
            min_properties: number("minProperties"),
            max_properties: number("maxProperties"),
            required: match schema.get("required") {
                Some(Value::Array(required)) => required
                    .iter()
                    .filter_map(Value::as_str)
                    .map(str::to_owned)
                    .collect(),
                _ => Vec::new(),
            },
            ..SchemaNode::default()
        };
        if let Some(Value::String(reference)) = schema.get("$ref") {
            node.reference = Some(
                match reference
                    .strip_prefix(REF_PREFIX)
                    .and_then(|name| self.definitions.get(name))
                {
                    Some(index) => Reference::Definition(*index),
                    None => Reference::Unresolvable(reference.clone()),
                },
            );
        }
        let mut branches = |keyword: &str| match schema.get(keyword) {
            Some(Value::Array(branches)) => {
                Some(branches.iter().map(|branch| self.compile(branch)).collect())
            }
            _ => None,
        };
        node.any_of = branches("anyOf");
        node.one_of = branches("oneOf");
        node.all_of = branches("allOf").unwrap_or_default();
        node.not = schema
            .get("not")
            .map(|negated| (Box::new(self.compile(negated)), negated.clone()));
        node.items = schema
            .get("items")
            .map(|items| Box::new(self.compile(items)));
        if let Some(Value::String(pattern)) = schema.get("pattern") {
            let regex = self
                .patterns
                .entry(pattern.clone())
                .or_insert_with(|| Regex::new(pattern).ok())
                .clone();
            node.pattern = Some(Pattern {
                source: pattern.clone(),
                regex,
            });
        }
        node.properties = schema
            .get("properties")
            .and_then(Value::as_object)
            .map(|properties| {
                properties
                    .iter()
                    .map(|(name, property)| (name.clone(), self.compile(property)))
                    .collect()
            });
        node.additional = match schema.get("additionalProperties") {
            None => Additional::Unchecked,
            Some(Value::Bool(false)) => Additional::Forbidden,
            Some(additional) => Additional::Schema(Box::new(self.compile(additional))),
        };
        node
    }
}

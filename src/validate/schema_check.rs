//! Validation of a JSON value against one of the vendored schemas, by
//! walking the value and the schema together. The schemas use a small part
//! of JSON Schema (listed in `check`), so they are interpreted rather than
//! compiled: a run pays for the parts of the schemas its objects reach, not
//! for whole schemas (a CloudNativePG `Cluster` schema is larger than most
//! renders). Messages follow Python's `jsonschema`, which the test suite
//! compares against (`scripts/validate_manifests.py`).

use std::collections::BTreeMap;
use std::sync::{Mutex, OnceLock};

use regex::Regex;
use serde_json::Value;
use serde_json::value::RawValue;

/// One violation: the JSON pointer of the value, and what is wrong.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub struct Violation {
    pub pointer: String,
    pub message: String,
}

/// The definitions `$ref`s resolve to, and the patterns compiled so far.
/// Each definition stays text until a value reaches it: a render touches a
/// fraction of the schemas, and building every one as a tree would cost
/// more than the rest of a small `check`.
pub(super) struct Definitions {
    definitions: BTreeMap<&'static str, (&'static RawValue, OnceLock<Option<Value>>)>,
    patterns: Mutex<BTreeMap<String, Option<Regex>>>,
}

const REF_PREFIX: &str = "#/$defs/";

impl Definitions {
    pub(super) fn new(definitions: BTreeMap<&'static str, &'static RawValue>) -> Self {
        Self {
            definitions: definitions
                .into_iter()
                .map(|(name, text)| (name, (text, OnceLock::new())))
                .collect(),
            patterns: Mutex::new(BTreeMap::new()),
        }
    }

    /// The definition `name`, parsed on first use; `None` when there is no
    /// such definition (or its text is not JSON, which the schema file's
    /// tests rule out).
    pub(super) fn get(&self, name: &str) -> Option<&Value> {
        let (text, parsed) = self.definitions.get(name)?;
        parsed
            .get_or_init(|| serde_json::from_str(text.get()).ok())
            .as_ref()
    }

    /// Every violation of `schema` by `value`, `pointer` being where `value`
    /// sits in the object.
    pub(super) fn check(
        &self,
        schema: &Value,
        value: &Value,
        pointer: &mut String,
        out: &mut Vec<Violation>,
    ) {
        let Value::Object(schema) = schema else {
            // `true` accepts everything, `false` nothing.
            if schema == &Value::Bool(false) {
                out.push(violation(
                    pointer,
                    format!("{} is not allowed", short(value)),
                ));
            }
            return;
        };
        if let Some(Value::String(reference)) = schema.get("$ref") {
            match reference
                .strip_prefix(REF_PREFIX)
                .and_then(|name| self.get(name))
            {
                Some(target) => self.check(target, value, pointer, out),
                None => out.push(violation(
                    pointer,
                    format!("unresolvable schema reference {reference}"),
                )),
            }
        }
        if let Some(types) = schema.get("type")
            && !type_matches(types, value)
        {
            out.push(violation(
                pointer,
                format!("{} is not of type {}", short(value), type_names(types)),
            ));
            // Nothing else of the schema means anything for this value.
            return;
        }
        if let Some(Value::Array(allowed)) = schema.get("enum")
            && !allowed.iter().any(|a| json_equal(a, value))
        {
            out.push(violation(
                pointer,
                format!(
                    "{} is not one of {}",
                    short(value),
                    short(&Value::Array(allowed.clone()))
                ),
            ));
        }
        for (keyword, minimum) in [("anyOf", 1), ("oneOf", 1)] {
            let Some(Value::Array(branches)) = schema.get(keyword) else {
                continue;
            };
            let matching = branches
                .iter()
                .filter(|branch| self.valid(branch, value, pointer))
                .count();
            if matching < minimum {
                out.push(violation(
                    pointer,
                    format!(
                        "{} is not valid under any of the given schemas",
                        short(value)
                    ),
                ));
            } else if keyword == "oneOf" && matching > 1 {
                out.push(violation(
                    pointer,
                    format!(
                        "{} is valid under each of more than one of the given schemas",
                        short(value)
                    ),
                ));
            }
        }
        if let Some(Value::Array(branches)) = schema.get("allOf") {
            for branch in branches {
                self.check(branch, value, pointer, out);
            }
        }
        if let Some(negated) = schema.get("not")
            && self.valid(negated, value, pointer)
        {
            out.push(violation(
                pointer,
                format!(
                    "{} should not be valid under {}",
                    short(value),
                    short(negated)
                ),
            ));
        }
        match value {
            Value::Object(map) => self.check_object(schema, map, pointer, out),
            Value::Array(items) => {
                let count = items.len() as u64;
                if let Some(min) = schema.get("minItems").and_then(Value::as_u64)
                    && count < min
                {
                    out.push(violation(
                        pointer,
                        format!("{} should be non-empty", short(value)),
                    ));
                }
                if let Some(max) = schema.get("maxItems").and_then(Value::as_u64)
                    && count > max
                {
                    out.push(violation(
                        pointer,
                        format!("{} has more than {max} items", short(value)),
                    ));
                }
                if let Some(item_schema) = schema.get("items") {
                    for (index, item) in items.iter().enumerate() {
                        let length = pointer.len();
                        pointer.push('/');
                        pointer.push_str(&index.to_string());
                        self.check(item_schema, item, pointer, out);
                        pointer.truncate(length);
                    }
                }
            }
            Value::String(text) => {
                let length = text.chars().count() as u64;
                if let Some(min) = schema.get("minLength").and_then(Value::as_u64)
                    && length < min
                {
                    out.push(violation(pointer, format!("{} is too short", short(value))));
                }
                if let Some(max) = schema.get("maxLength").and_then(Value::as_u64)
                    && length > max
                {
                    out.push(violation(pointer, format!("{} is too long", short(value))));
                }
                if let Some(Value::String(pattern)) = schema.get("pattern")
                    && !self.matches(pattern, text)
                {
                    out.push(violation(
                        pointer,
                        format!("{} does not match '{pattern}'", short(value)),
                    ));
                }
            }
            Value::Number(number) => {
                let number = number.as_f64().unwrap_or(f64::NAN);
                if let Some(min) = schema.get("minimum").and_then(Value::as_f64)
                    && number < min
                {
                    out.push(violation(
                        pointer,
                        format!("{} is less than the minimum of {min}", short(value)),
                    ));
                }
                if let Some(max) = schema.get("maximum").and_then(Value::as_f64)
                    && number > max
                {
                    out.push(violation(
                        pointer,
                        format!("{} is greater than the maximum of {max}", short(value)),
                    ));
                }
            }
            Value::Null | Value::Bool(_) => {}
        }
    }

    fn check_object(
        &self,
        schema: &serde_json::Map<String, Value>,
        map: &serde_json::Map<String, Value>,
        pointer: &mut String,
        out: &mut Vec<Violation>,
    ) {
        if let Some(Value::Array(required)) = schema.get("required") {
            for name in required.iter().filter_map(Value::as_str) {
                if !map.contains_key(name) {
                    out.push(violation(
                        pointer,
                        format!("'{name}' is a required property"),
                    ));
                }
            }
        }
        let count = map.len() as u64;
        if let Some(min) = schema.get("minProperties").and_then(Value::as_u64)
            && count < min
        {
            out.push(violation(pointer, "should be non-empty".to_owned()));
        }
        if let Some(max) = schema.get("maxProperties").and_then(Value::as_u64)
            && count > max
        {
            out.push(violation(
                pointer,
                format!("has more than {max} properties"),
            ));
        }
        let properties = schema.get("properties").and_then(Value::as_object);
        let additional = schema.get("additionalProperties");
        let mut unexpected = Vec::new();
        for (key, item) in map {
            let item_schema = match properties.and_then(|p| p.get(key)) {
                Some(known) => known,
                None => match additional {
                    Some(Value::Bool(false)) => {
                        unexpected.push(key.as_str());
                        continue;
                    }
                    Some(additional) => additional,
                    None => continue,
                },
            };
            let length = pointer.len();
            pointer.push('/');
            pointer.push_str(&key.replace('~', "~0").replace('/', "~1"));
            self.check(item_schema, item, pointer, out);
            pointer.truncate(length);
        }
        if !unexpected.is_empty() {
            let names: Vec<String> = unexpected.iter().map(|name| format!("'{name}'")).collect();
            let verb = if names.len() == 1 { "was" } else { "were" };
            out.push(violation(
                pointer,
                format!(
                    "Additional properties are not allowed ({} {verb} unexpected)",
                    names.join(", ")
                ),
            ));
        }
    }

    /// Whether `value` is valid under `schema`, without collecting why not.
    fn valid(&self, schema: &Value, value: &Value, pointer: &str) -> bool {
        let mut found = Vec::new();
        self.check(schema, value, &mut pointer.to_owned(), &mut found);
        found.is_empty()
    }

    fn matches(&self, pattern: &str, text: &str) -> bool {
        let mut patterns = self.patterns.lock().unwrap_or_else(|e| e.into_inner());
        let compiled = patterns
            .entry(pattern.to_owned())
            .or_insert_with(|| Regex::new(pattern).ok());
        // A pattern the regex engine cannot read constrains nothing here; the
        // vendored schemas have none (a unit test compiles them all).
        compiled.as_ref().is_none_or(|regex| regex.is_match(text))
    }

    /// Every pattern of every definition, for the test that they compile.
    #[cfg(test)]
    pub(super) fn patterns(&self) -> Vec<String> {
        fn collect(node: &Value, out: &mut Vec<String>) {
            match node {
                Value::Object(map) => {
                    for (key, value) in map {
                        match (key.as_str(), value) {
                            ("pattern", Value::String(p)) => out.push(p.clone()),
                            ("enum" | "default" | "example" | "required", _) => {}
                            _ => collect(value, out),
                        }
                    }
                }
                Value::Array(items) => items.iter().for_each(|item| collect(item, out)),
                _ => {}
            }
        }
        let mut out = Vec::new();
        for name in self.definitions.keys() {
            collect(self.get(name).expect("every definition parses"), &mut out);
        }
        out.sort();
        out.dedup();
        out
    }
}

fn violation(pointer: &str, message: String) -> Violation {
    Violation {
        pointer: pointer.to_owned(),
        message,
    }
}

fn type_matches(types: &Value, value: &Value) -> bool {
    let one = |name: &str| match name {
        "object" => value.is_object(),
        "array" => value.is_array(),
        "string" => value.is_string(),
        "boolean" => value.is_boolean(),
        "null" => value.is_null(),
        "number" => value.is_number(),
        // As Python's jsonschema: 2.0 is an integer.
        "integer" => {
            value.is_i64() || value.is_u64() || value.as_f64().is_some_and(|f| f.fract() == 0.0)
        }
        _ => true,
    };
    match types {
        Value::String(name) => one(name),
        Value::Array(names) => names.iter().filter_map(Value::as_str).any(one),
        _ => true,
    }
}

fn type_names(types: &Value) -> String {
    match types {
        Value::String(name) => format!("'{name}'"),
        Value::Array(names) => names
            .iter()
            .filter_map(Value::as_str)
            .map(|name| format!("'{name}'"))
            .collect::<Vec<_>>()
            .join(", "),
        other => other.to_string(),
    }
}

/// JSON equality, numbers by value (`1` equals `1.0`).
fn json_equal(a: &Value, b: &Value) -> bool {
    match (a, b) {
        (Value::Number(x), Value::Number(y)) => x.as_f64() == y.as_f64(),
        _ => a == b,
    }
}

/// A value as a message shows it: JSON, cut at 60 characters.
fn short(value: &Value) -> String {
    let text = match value {
        Value::String(s) => format!("'{s}'"),
        other => other.to_string(),
    };
    if text.chars().count() <= 60 {
        text
    } else {
        let cut: String = text.chars().take(57).collect();
        format!("{cut}...")
    }
}

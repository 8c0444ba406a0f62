//! JSON Schemas of the spec, generated from the spec types, for editors: the
//! base spec's (`schemas/platform.schema.json`) and the environment
//! overlay's (`schemas/environment.schema.json`). Committed, and a test fails
//! when they are stale; another validates every spec file of the repository
//! against them, so an editor shows no error platformgen would not.
//!
//! What the generated schema says is adjusted to how the files are used:
//!
//! - Required fields are required in the *merged* spec, which platformgen
//!   checks; a file on its own may leave one to the other (the base names no
//!   certificate issuer when each environment picks its own). So the base
//!   schema requires only the top-level keys a base must hold, and an
//!   overlay's requires nothing.
//! - In an overlay, `key: null` removes the key: every field also accepts
//!   null there.
//! - `"default": null` says nothing a reader needs, and editors act on it
//!   (yaml-language-server's completion fails on it, and its snippets insert
//!   `null`): it is left out.
//! - Every count is a Kubernetes int32, so its maximum is `i32::MAX`.

use serde_json::{Map, Value};

use crate::capabilities;
use crate::spec::{PlatformSpec, Scope, SectionType};

pub const PLATFORM_SCHEMA_FILE: &str = "schemas/platform.schema.json";
pub const ENVIRONMENT_SCHEMA_FILE: &str = "schemas/environment.schema.json";

pub fn platform_schema() -> Value {
    let mut generator = schemars::SchemaGenerator::default();
    // The capabilities' sections first: the root schema then holds the
    // definitions of their types too.
    let sections: Vec<(SectionType, Value)> = capabilities::sections()
        .into_iter()
        .map(|section| {
            let mut schema =
                serde_json::to_value(section.schema(&mut generator)).expect("schemas serialize");
            // `key:` with nothing after it is the key left out, as for
            // the core's optional fields.
            if schema.get("$ref").is_some() {
                schema = serde_json::json!({ "anyOf": [schema, { "type": "null" }] });
            }
            if let Some(object) = schema.as_object_mut() {
                object.insert("description".to_owned(), Value::from(section.description));
            }
            (section, schema)
        })
        .collect();
    let mut schema = serde_json::to_value(generator.root_schema_for::<PlatformSpec>())
        .expect("schemas serialize");
    for (section, section_schema) in sections {
        let owner = match section.scope {
            Scope::Platform => Some(&mut schema),
            Scope::Workload => schema.pointer_mut("/$defs/Workload"),
            Scope::Namespace => schema.pointer_mut("/$defs/Namespace"),
        };
        if let Some(Value::Object(properties)) = owner.and_then(|owner| owner.get_mut("properties"))
        {
            properties.insert(section.key.to_owned(), section_schema);
        }
    }
    for_each_schema(&mut schema, &mut |object| {
        if object.get("format").and_then(Value::as_str) == Some("uint32") {
            object.insert("maximum".to_owned(), Value::from(i32::MAX));
        }
        if object.get("default") == Some(&Value::Null) {
            object.remove("default");
        }
    });
    if let Some(root) = schema.as_object_mut() {
        let required = root.remove("required");
        for_each_schema_below_root(root, &mut |object| {
            object.remove("required");
        });
        if let Some(required) = required {
            root.insert("required".to_owned(), required);
        }
        root.insert("title".to_owned(), Value::from("platformgen platform spec"));
        root.insert(
            "$id".to_owned(),
            Value::from("https://platformgen.dev/schemas/platform.schema.json"),
        );
    }
    schema
}

pub fn environment_schema() -> Value {
    let mut schema = platform_schema();
    for_each_schema(&mut schema, &mut |object| {
        object.remove("required");
        for key in ["properties", "additionalProperties"] {
            match object.get_mut(key) {
                Some(Value::Object(fields)) if key == "properties" => {
                    fields.values_mut().for_each(accept_null);
                }
                Some(field @ Value::Object(_)) => accept_null(field),
                _ => {}
            }
        }
    });
    if let Some(object) = schema.as_object_mut() {
        object.insert(
            "title".to_owned(),
            Value::from("platformgen environment overlay"),
        );
        object.insert(
            "$id".to_owned(),
            Value::from("https://platformgen.dev/schemas/environment.schema.json"),
        );
    }
    schema
}

/// Makes the field schema `field` accept null too, unless it does already.
fn accept_null(field: &mut Value) {
    let accepts_null = |schema: &Value| match schema.get("type") {
        Some(Value::String(name)) => name == "null",
        Some(Value::Array(names)) => names.iter().any(|name| name == "null"),
        _ => false,
    };
    let nullable = accepts_null(field)
        || field
            .get("anyOf")
            .and_then(Value::as_array)
            .is_some_and(|branches| branches.iter().any(accepts_null));
    if nullable {
        return;
    }
    let Value::Object(object) = field else {
        return;
    };
    // The description stays beside the choice, where editors show it.
    let description = object.remove("description");
    let inner = Value::Object(std::mem::take(object));
    object.insert(
        "anyOf".to_owned(),
        Value::Array(vec![inner, serde_json::json!({ "type": "null" })]),
    );
    if let Some(description) = description {
        object.insert("description".to_owned(), description);
    }
}

/// Calls `f` on every schema object in `schema`, itself included: the
/// schemas of properties, items, definitions and combinators, never the
/// maps that hold them (so a property named `required` is not a keyword).
fn for_each_schema(schema: &mut Value, f: &mut impl FnMut(&mut Map<String, Value>)) {
    let Value::Object(object) = schema else {
        return;
    };
    f(object);
    for_each_schema_below_root(object, f);
}

fn for_each_schema_below_root(
    object: &mut Map<String, Value>,
    f: &mut impl FnMut(&mut Map<String, Value>),
) {
    for (keyword, value) in object.iter_mut() {
        match (keyword.as_str(), value) {
            ("properties" | "$defs" | "definitions" | "patternProperties", Value::Object(map)) => {
                map.values_mut().for_each(|child| for_each_schema(child, f));
            }
            ("anyOf" | "oneOf" | "allOf" | "prefixItems", Value::Array(items)) => {
                items.iter_mut().for_each(|child| for_each_schema(child, f));
            }
            (
                "items"
                | "additionalProperties"
                | "not"
                | "if"
                | "then"
                | "else"
                | "propertyNames"
                | "contains",
                child @ Value::Object(_),
            ) => for_each_schema(child, f),
            _ => {}
        }
    }
}

/// The schema as committed: pretty JSON with a final newline.
pub fn to_text(schema: &Value) -> String {
    let mut text = serde_json::to_string_pretty(schema).expect("schemas serialize");
    text.push('\n');
    text
}

//! JSON Schemas of the spec, generated from the spec types: the base spec's
//! (`schemas/platform.schema.json`) and the environment overlay's
//! (`schemas/environment.schema.json`: the same shape with nothing required, as
//! an overlay states only what it changes). Committed, and a test fails when
//! they are stale.

use serde_json::Value;

use crate::spec::PlatformSpec;

pub const PLATFORM_SCHEMA_FILE: &str = "schemas/platform.schema.json";
pub const ENVIRONMENT_SCHEMA_FILE: &str = "schemas/environment.schema.json";

pub fn platform_schema() -> Value {
    let mut schema =
        serde_json::to_value(schemars::schema_for!(PlatformSpec)).expect("schemas serialize");
    bound_counts(&mut schema);
    if let Some(object) = schema.as_object_mut() {
        object.insert("title".to_owned(), Value::from("platformgen platform spec"));
        object.insert(
            "$id".to_owned(),
            Value::from("https://platformgen.dev/schemas/platform.schema.json"),
        );
    }
    schema
}

pub fn environment_schema() -> Value {
    let mut schema = platform_schema();
    strip_required(&mut schema);
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

/// Every unsigned 32-bit count of the spec ends up in a Kubernetes int32
/// field, so the compiler rejects values above `i32::MAX`; the schema says
/// so too, for editors.
fn bound_counts(value: &mut Value) {
    match value {
        Value::Object(object) => {
            if object.get("format").and_then(Value::as_str) == Some("uint32") {
                object.insert("maximum".to_owned(), Value::from(i32::MAX));
            }
            object.values_mut().for_each(bound_counts);
        }
        Value::Array(items) => items.iter_mut().for_each(bound_counts),
        _ => {}
    }
}

fn strip_required(value: &mut Value) {
    match value {
        Value::Object(object) => {
            object.remove("required");
            object.values_mut().for_each(strip_required);
        }
        Value::Array(items) => items.iter_mut().for_each(strip_required),
        _ => {}
    }
}

/// The schema as committed: pretty JSON with a final newline.
pub fn to_text(schema: &Value) -> String {
    let mut text = serde_json::to_string_pretty(schema).expect("schemas serialize");
    text.push('\n');
    text
}

//! Rendered objects as JSON values, and finding them by kind and name: what
//! the tests of rendered platforms read.

use std::path::Path;

use serde_json::Value;

use super::cli::run;
use super::python;

/// The objects of `environment`'s render of the platform in `dir`.
pub fn render(dir: &Path, environment: &str) -> Vec<Value> {
    let stream = run(dir, &["render", environment]).success().stdout;
    python::documents(&stream)
}

/// The object of `kind` named `name`; panics when there is none.
#[track_caller]
pub fn object<'a>(objects: &'a [Value], kind: &str, name: &str) -> &'a Value {
    objects
        .iter()
        .find(|o| o["kind"] == kind && o["metadata"]["name"] == name)
        .unwrap_or_else(|| panic!("no {kind} {name}"))
}

/// Whether the render holds an object of `kind` named `name`.
pub fn has(objects: &[Value], kind: &str, name: &str) -> bool {
    objects
        .iter()
        .any(|o| o["kind"] == kind && o["metadata"]["name"] == name)
}

/// The environment of the first container of Deployment `deployment`.
#[track_caller]
pub fn env<'a>(objects: &'a [Value], deployment: &str) -> &'a Vec<Value> {
    object(objects, "Deployment", deployment)["spec"]["template"]["spec"]["containers"][0]["env"]
        .as_array()
        .expect("env")
}

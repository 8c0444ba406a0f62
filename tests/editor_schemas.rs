//! The editor schemas agree with platformgen on every spec file of the
//! repository: each base validates against `schemas/platform.schema.json`
//! and each overlay against `schemas/environment.schema.json` (with an
//! independent JSON Schema validator, Python's `jsonschema`, reading the
//! files as YAML 1.2 with ruamel.yaml), so an editor shows no error on a file
//! platformgen accepts. Nothing in them trips editors up (`"default": null`).

use std::path::{Path, PathBuf};

use crate::support::cli::repository;
use crate::support::python;

const VALIDATE: &str = r#"
import json, sys
from jsonschema.validators import validator_for
from ruamel.yaml import YAML
schema = json.load(open(sys.argv[1]))
validator = validator_for(schema)(schema)
failures = []
for path in sys.argv[2:]:
    document = YAML(typ="safe", pure=True).load(open(path).read())
    for error in validator.iter_errors(document if document is not None else {}):
        where = "/".join(str(p) for p in error.absolute_path)
        failures.append(f"{path}: {where}: {error.message}")
print("\n".join(failures))
sys.exit(1 if failures else 0)
"#;

/// Every platform directory of the repository: the built-in example, the
/// examples and the test fixtures.
fn platforms() -> Vec<PathBuf> {
    let root = repository();
    let mut platforms = vec![root.clone()];
    for parent in ["examples", "tests/fixtures"] {
        let Ok(entries) = std::fs::read_dir(root.join(parent)) else {
            continue;
        };
        let mut found: Vec<PathBuf> = entries
            .map(|entry| entry.expect("a directory entry").path())
            .filter(|dir| dir.join("platform.yaml").is_file())
            .collect();
        found.sort();
        platforms.extend(found);
    }
    platforms
}

fn overlays(platform: &Path) -> Vec<PathBuf> {
    let mut files: Vec<PathBuf> = std::fs::read_dir(platform.join("environments"))
        .expect("environments/")
        .map(|entry| entry.expect("a directory entry").path())
        .filter(|path| {
            path.extension()
                .is_some_and(|ext| ext == "yaml" || ext == "yml")
        })
        .collect();
    files.sort();
    files
}

#[track_caller]
fn validate(schema: &str, files: &[PathBuf]) {
    let mut args = vec![repository().join(schema).into_os_string()];
    args.extend(files.iter().map(|file| file.clone().into_os_string()));
    let args: Vec<&std::ffi::OsStr> = args.iter().map(|arg| arg.as_os_str()).collect();
    let output = python::run(VALIDATE, &args, "");
    assert!(
        output.status.success(),
        "{schema} rejects spec files platformgen accepts:\n{}{}",
        String::from_utf8_lossy(&output.stdout),
        String::from_utf8_lossy(&output.stderr)
    );
}

#[test]
fn every_spec_file_validates_against_its_editor_schema() {
    let platforms = platforms();
    assert!(platforms.len() > 5, "found the platforms");
    let bases: Vec<PathBuf> = platforms.iter().map(|p| p.join("platform.yaml")).collect();
    validate("schemas/platform.schema.json", &bases);
    let overlays: Vec<PathBuf> = platforms.iter().flat_map(|p| overlays(p)).collect();
    assert!(overlays.len() > 10, "found the overlays");
    validate("schemas/environment.schema.json", &overlays);
}

#[test]
fn the_schemas_hold_nothing_that_trips_editors_up() {
    for schema in [
        "schemas/platform.schema.json",
        "schemas/environment.schema.json",
    ] {
        let text = std::fs::read_to_string(repository().join(schema)).expect("the schema");
        assert!(
            !text.contains("\"default\": null"),
            "{schema} has a null default"
        );
    }
}

/// The checks above can fail: a mistake in a file is an error.
#[test]
fn a_wrong_key_is_an_editor_error() {
    let dir = tempfile::tempdir().expect("temporary directory");
    let file = dir.path().join("prod.yaml");
    std::fs::write(&file, "workloads:\n  web: { replicaCount: 3 }\n").expect("an overlay");
    let args = [
        repository()
            .join("schemas/environment.schema.json")
            .into_os_string(),
        file.into_os_string(),
    ];
    let args: Vec<&std::ffi::OsStr> = args.iter().map(|arg| arg.as_os_str()).collect();
    let output = python::run(VALIDATE, &args, "");
    assert!(!output.status.success());
    assert!(
        String::from_utf8_lossy(&output.stdout).contains("replicaCount"),
        "{}",
        String::from_utf8_lossy(&output.stdout)
    );
}

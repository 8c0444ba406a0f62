//! Reads YAML back with an independent reader (Python's ruamel.yaml, YAML 1.2),
//! so tests of our output never trust our own parser.

use std::io::Write;
use std::process::{Command, Output, Stdio};

const READ_STREAM: &str = r#"
import json, sys
from ruamel.yaml import YAML
docs = [d for d in YAML(typ="safe", pure=True).load_all(sys.stdin.read()) if d is not None]
json.dump(docs, sys.stdout)
"#;

/// Runs a Python `script` with `args`, feeding it `stdin`. Fails the test,
/// naming the install command, when python3 cannot start.
pub fn run(script: &str, args: &[&std::ffi::OsStr], stdin: &str) -> Output {
    let mut child = Command::new("python3")
        .arg("-c")
        .arg(script)
        .args(args)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("python3 runs (install the test dependencies: scripts/test, or pip install -r requirements-test.txt)");
    child
        .stdin
        .take()
        .expect("stdin is piped")
        .write_all(stdin.as_bytes())
        .expect("write to python3");
    child.wait_with_output().expect("python3 finishes")
}

/// Every document of a multi-document YAML stream, as JSON values.
pub fn documents(stream: &str) -> Vec<serde_json::Value> {
    let output = run(READ_STREAM, &[], stream);
    assert!(
        output.status.success(),
        "reading YAML with ruamel.yaml failed (pip install -r requirements-test.txt?):\n{}",
        String::from_utf8_lossy(&output.stderr)
    );
    serde_json::from_slice(&output.stdout).expect("python3 prints JSON")
}

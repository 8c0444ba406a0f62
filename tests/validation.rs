//! Every rendered object of every environment passes strict Kubernetes OpenAPI
//! validation for the oldest and newest supported versions (1.33 and 1.37), and
//! custom resources pass their upstream CRD schemas.

use crate::support::cli::{MINIMAL_BASE, MINIMAL_PROD, Platform, repository, run};
use crate::support::examples::seed_examples;
use crate::support::external;

#[test]
fn example_renders_are_strictly_valid() {
    let out = tempfile::tempdir().expect("temporary directory");
    let out_dir = out.path().to_str().expect("UTF-8 path");
    run(&repository(), &["render", "--all", "--out", out_dir]).success();
    let report = external::validate_manifests(&[out.path()]);
    assert!(report.contains(", 0 failed"), "{report}");
}

/// Every environment of every seed example, in one validator run.
#[test]
fn seed_example_renders_are_strictly_valid() {
    let out = tempfile::tempdir().expect("temporary directory");
    let mut trees = Vec::new();
    for (name, dir, environments) in seed_examples() {
        let tree = out.path().join(name);
        run(
            &dir,
            &[
                "render",
                "--all",
                "--out",
                tree.to_str().expect("UTF-8 path"),
            ],
        )
        .success();
        for environment in environments {
            assert!(
                tree.join(environment).is_dir(),
                "{name}: {environment} rendered"
            );
        }
        trees.push(tree);
    }
    let paths: Vec<&std::path::Path> = trees.iter().map(std::path::PathBuf::as_path).collect();
    let report = external::validate_manifests(&paths);
    assert!(report.contains(", 0 failed"), "{report}");
}

/// The routing fixture in all three modes: Ingresses with nginx annotations,
/// traefik Middlewares, the Gateway API's Gateway and HTTPRoutes, and the
/// ClusterIssuers of every generated issuer, each against its CRD schema.
#[test]
fn ingress_fixture_renders_are_strictly_valid() {
    let fixture = repository().join("tests/fixtures/ingress");
    let out = tempfile::tempdir().expect("temporary directory");
    let out_dir = out.path().to_str().expect("UTF-8 path");
    run(&fixture, &["render", "--all", "--out", out_dir]).success();
    let report = external::validate_manifests(&[out.path()]);
    assert!(report.contains(", 0 failed"), "{report}");
    // Custom kinds' files carry their API group.
    for kind in [
        "clusterissuer.cert-manager.io",
        "middleware.traefik.io",
        "gateway.gateway.networking.k8s.io",
        "httproute.gateway.networking.k8s.io",
        "ingress",
    ] {
        let found = walk(out.path()).iter().any(|path| {
            path.file_name()
                .is_some_and(|name| name.to_string_lossy().starts_with(&format!("{kind}-")))
        });
        assert!(found, "no {kind} was rendered and validated");
    }
}

fn walk(dir: &std::path::Path) -> Vec<std::path::PathBuf> {
    let mut files = Vec::new();
    for entry in std::fs::read_dir(dir).expect("read rendered tree") {
        let path = entry.expect("directory entry").path();
        if path.is_dir() {
            files.extend(walk(&path));
        } else {
            files.push(path);
        }
    }
    files
}

#[test]
fn minimal_platform_renders_are_strictly_valid() {
    let platform = Platform::with(MINIMAL_BASE, &[("prod", MINIMAL_PROD)]);
    let stream = platform.run(&["render", "prod"]).success().stdout;
    let file = platform.path().join("rendered.yaml");
    std::fs::write(&file, stream).expect("write render");
    let report = external::validate_manifests(&[&file]);
    assert!(report.contains(", 0 failed"), "{report}");
}

/// Jobs, a Job as an ArgoCD hook and CronJobs, with every setting.
#[test]
fn batch_workload_fixture_renders_are_strictly_valid() {
    let fixture = repository().join("tests/fixtures/batch-workloads");
    let out = tempfile::tempdir().expect("temporary directory");
    let out_dir = out.path().to_str().expect("UTF-8 path");
    run(&fixture, &["render", "--all", "--out", out_dir]).success();
    let report = external::validate_manifests(&[out.path()]);
    assert!(report.contains(", 0 failed"), "{report}");
    for kind in ["job-", "cronjob-"] {
        let found = walk(out.path()).iter().any(|path| {
            path.file_name()
                .is_some_and(|name| name.to_string_lossy().starts_with(kind))
        });
        assert!(found, "no {kind} file was rendered and validated");
    }
}

/// Objects no typed struct checked (what a patch or template produces) with
/// an unknown field, a wrong type and an unknown metadata field: the strict
/// Python validation and platformgen's own (what `check` runs) reject the
/// same documents at the same paths.
#[test]
fn built_in_validation_rejects_what_the_python_validation_rejects() {
    let dir = tempfile::tempdir().expect("temporary directory");
    let file = dir.path().join("objects.yaml");
    std::fs::write(
        &file,
        "apiVersion: apps/v1
kind: Deployment
metadata:
  name: api
  namespace: shop
spec:
  selector:
    matchLabels: {app: api}
  template:
    metadata:
      labels: {app: api}
    spec:
      containers:
        - name: api
          image: registry.example.com/api:1.0
          imagePullPolice: Always
---
apiVersion: v1
kind: Service
metadata:
  name: api
  namespace: shop
spec:
  ports:
    - port: http
---
apiVersion: keda.sh/v1alpha1
kind: ScaledObject
metadata:
  name: api
  namespace: shop
  labelz: {}
spec:
  scaleTargetRef: {name: api}
  triggers: []
---
apiVersion: v1
kind: ConfigMap
metadata:
  name: fine
  namespace: shop
data: {key: value}
",
    )
    .expect("write objects");
    let output = std::process::Command::new("python3")
        .arg(repository().join("scripts/validate_manifests.py"))
        .args([
            "--kubernetes-version",
            "1.33",
            "--kubernetes-version",
            "1.37",
        ])
        .arg("--crd-schemas")
        .arg(repository().join("crd-schemas"))
        .arg(&file)
        .output()
        .expect("python3 runs");
    let python = String::from_utf8_lossy(&output.stdout).into_owned();
    assert_eq!(output.status.code(), Some(1), "{python}");
    let built_in = external::built_in_validation(&[&file]).join("\n");
    // Each invalid document, once per version, by both; the ConfigMap by neither.
    for (python_says, built_in_says) in [
        (
            "Deployment/shop/api (version 1.33)",
            "Deployment `shop/api` is not valid for Kubernetes 1.33 at `spec.template.spec.containers[0]`",
        ),
        (
            "Deployment/shop/api (version 1.37)",
            "Deployment `shop/api` is not valid for Kubernetes 1.37 at `spec.template.spec.containers[0]`",
        ),
        (
            "Service/shop/api (version 1.33)",
            "Service `shop/api` is not valid for Kubernetes 1.33 at `spec.ports[0].port`",
        ),
        (
            "ScaledObject/shop/api",
            "ScaledObject `shop/api` is not valid for Kubernetes 1.33 at `metadata`",
        ),
    ] {
        assert!(
            python.contains(python_says),
            "python: {python_says} not in\n{python}"
        );
        assert!(
            built_in.contains(built_in_says),
            "built-in: {built_in_says} not in\n{built_in}"
        );
    }
    assert!(
        built_in.contains("imagePullPolice") && built_in.contains("labelz"),
        "{built_in}"
    );
    assert!(
        !python.contains("ConfigMap") && !built_in.contains("ConfigMap"),
        "{python}\n{built_in}"
    );
    assert_eq!(built_in.lines().count(), 6, "{built_in}");
}

/// A patch adds a field no Rust type checked: `check` rejects the object,
/// naming the path, the field and the patch; `render` does not validate.
#[test]
fn a_patched_object_with_an_unknown_field_is_rejected_by_check() {
    let prod = format!(
        "{MINIMAL_PROD}patches:
  web-typo:
    target: {{ kind: Deployment, namespace: shop, name: web }}
    reason: the image reads its pull policy from here
    merge:
      spec:
        template:
          spec:
            containers:
              - name: web
                imagePullPolice: Always
"
    );
    let platform = Platform::with(MINIMAL_BASE, &[("prod", &prod)]);
    platform.run(&["render", "prod"]).success();
    let run = platform.run(&["check", "prod", "--color", "never"]);
    assert_eq!(run.code, 2, "{}", run.report(platform.path()));
    assert!(
        run.stderr.contains(
            "error[PG5001]: Deployment `shop/web` is not valid for Kubernetes 1.33 at \
             `spec.template.spec.containers[0]`: Additional properties are not allowed \
             ('imagePullPolice' was unexpected)"
        ) && run.stderr.contains("changed by the patches `web-typo`"),
        "{}",
        run.stderr
    );
    let invalid: String = run
        .stderr
        .split("\n\n")
        .filter(|block| block.contains("PG5001"))
        .collect();
    crate::support::snapshot_settings()
        .bind(|| insta::assert_snapshot!("patched_unknown_field", invalid));
}

/// Pull secrets, rollouts, sidecars and init containers, Downward API
/// variables, memory-backed volumes and spread constraints that honour taints.
#[test]
fn pod_spec_fixture_renders_are_strictly_valid() {
    let fixture = repository().join("tests/fixtures/pod-spec");
    let out = tempfile::tempdir().expect("temporary directory");
    let out_dir = out.path().to_str().expect("UTF-8 path");
    run(&fixture, &["render", "--all", "--out", out_dir]).success();
    let report = external::validate_manifests(&[out.path()]);
    assert!(report.contains(", 0 failed"), "{report}");
}

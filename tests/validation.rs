//! Every rendered object of every environment passes strict Kubernetes OpenAPI
//! validation for the oldest and newest supported versions (1.33 and 1.37), and
//! custom resources pass their upstream CRD schemas.

use crate::support::cli::{MINIMAL_BASE, MINIMAL_PROD, Platform, repository, run};
use crate::support::external;

#[test]
fn example_renders_are_strictly_valid() {
    let out = tempfile::tempdir().expect("temporary directory");
    let out_dir = out.path().to_str().expect("UTF-8 path");
    run(&repository(), &["render", "--all", "--out", out_dir]).success();
    let report = external::validate_manifests(&[out.path()]);
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

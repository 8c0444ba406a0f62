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

#[test]
fn minimal_platform_renders_are_strictly_valid() {
    let platform = Platform::with(MINIMAL_BASE, &[("prod", MINIMAL_PROD)]);
    let stream = platform.run(&["render", "prod"]).success().stdout;
    let file = platform.path().join("rendered.yaml");
    std::fs::write(&file, stream).expect("write render");
    let report = external::validate_manifests(&[&file]);
    assert!(report.contains(", 0 failed"), "{report}");
}

//! `patches`: changes to single rendered objects, applied before the policy
//! rules, visible in the render (with the patch named on the object) and
//! strictly valid; every way a patch can go wrong is an error at the patch.

use crate::support::cli::{MINIMAL_BASE, MINIMAL_PROD, Platform};
use crate::support::external;
use crate::support::snapshot_settings;

fn with_patches(patches: &str) -> Platform {
    Platform::with(
        MINIMAL_BASE,
        &[("prod", &format!("{MINIMAL_PROD}patches:\n{patches}"))],
    )
}

const GOOD: &str = "  web-proxy-timeout:
    target: { kind: Deployment, namespace: shop, name: web }
    reason: the image reads its upstream timeout from the environment only
    merge:
      spec:
        template:
          spec:
            containers:
              - name: web
                env:
                  - { name: UPSTREAM_TIMEOUT, value: \"30s\" }
  db-service-topology:
    target: { kind: Service, namespace: shop, name: db }
    reason: keep database traffic in the client's zone
    json:
      - { op: add, path: /spec/trafficDistribution, value: PreferClose }
";

#[test]
fn patches_change_the_render_and_say_so() {
    let platform = with_patches(GOOD);
    let run = platform.run(&["render", "prod"]).success();
    let render = &run.stdout;
    assert!(
        render.contains("- name: UPSTREAM_TIMEOUT\n              value: \"30s\"\n"),
        "{render}"
    );
    assert!(
        render.contains("trafficDistribution: PreferClose\n"),
        "{render}"
    );
    assert!(
        render.contains("platformgen.dev/patched-by: web-proxy-timeout\n"),
        "{render}"
    );
    assert!(
        render.contains("platformgen.dev/patched-by: db-service-topology\n"),
        "{render}"
    );
    // The container kept everything else: the merge is by container name.
    assert!(render.contains("image: ghcr.io/acme/web:1.2.3\n"));

    let out = tempfile::tempdir().expect("temporary directory");
    let out_dir = out.path().to_str().expect("UTF-8 path");
    platform
        .run(&["render", "prod", "--out", out_dir])
        .success();
    let report = external::validate_manifests(&[out.path()]);
    assert!(report.contains(", 0 failed"), "{report}");
}

/// The policy rules judge the patched object: a patch that drops the
/// container's limits is caught by `check`.
#[test]
fn check_judges_the_patched_object() {
    let platform = with_patches(
        "  no-limits:
    target: { kind: Deployment, namespace: shop, name: web }
    reason: testing
    json:
      - { op: remove, path: /spec/template/spec/containers/0/resources/limits }
",
    );
    let run = platform.run(&["check", "prod"]);
    assert_eq!(run.code, 1, "{}", run.stderr);
    assert!(run.stderr.contains("limits"), "{}", run.stderr);
}

#[test]
fn every_way_a_patch_goes_wrong_is_an_error_at_the_patch() {
    let cases: &[(&str, &str)] = &[
        (
            "target_missing",
            "  p:\n    target: { kind: Deployment, namespace: shop, name: wbe }\n    reason: r\n    merge: { spec: { replicas: 2 } }\n",
        ),
        (
            "changes_nothing",
            "  p:\n    target: { kind: Deployment, namespace: shop, name: web }\n    reason: r\n    merge: { spec: { replicas: 3 } }\n",
        ),
        (
            "json_patch_fails",
            "  p:\n    target: { kind: Service, namespace: shop, name: web }\n    reason: r\n    json: [ { op: replace, path: /spec/nothing/here, value: 1 } ]\n",
        ),
        (
            "changes_identity",
            "  p:\n    target: { kind: Service, namespace: shop, name: web }\n    reason: r\n    merge: { metadata: { name: web2 } }\n",
        ),
        (
            "unknown_kind",
            "  p:\n    target: { kind: Deploymnet, namespace: shop, name: web }\n    reason: r\n    merge: { spec: { replicas: 2 } }\n",
        ),
        (
            "merge_and_json",
            "  p:\n    target: { kind: Service, namespace: shop, name: web }\n    reason: r\n    merge: { spec: {} }\n    json: [ { op: remove, path: /spec/type } ]\n",
        ),
        (
            "operation_without_value",
            "  p:\n    target: { kind: Service, namespace: shop, name: web }\n    reason: r\n    json: [ { op: add, path: spec/x } ]\n",
        ),
    ];
    for (name, patches) in cases {
        let platform = with_patches(patches);
        let run = platform.run(&["render", "prod"]);
        assert_eq!(run.code, 2, "{name}: {}", run.stderr);
        snapshot_settings().bind(|| {
            insta::assert_snapshot!(format!("patch_{name}"), run.report(platform.path()));
        });
    }
}

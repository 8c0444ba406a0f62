//! `explain`: every value of the merged spec with the file:line that set it and
//! what it replaced.

use crate::support::cli::{MINIMAL_BASE, MINIMAL_PROD, Platform, repository, run};
use crate::support::snapshot_settings;

#[test]
fn explains_a_value_set_by_an_overlay() {
    let platform = Platform::with(MINIMAL_BASE, &[("prod", MINIMAL_PROD)]);
    let run = platform
        .run(&["explain", "prod", "workloads.web"])
        .success();
    snapshot_settings().bind(|| insta::assert_snapshot!("explain_web", run.stdout));
}

#[test]
fn names_the_file_and_line_of_an_override() {
    let run = run(
        &repository(),
        &["explain", "prod", "workloads.health-api.autoscaling.max"],
    )
    .success();
    assert_eq!(
        run.stdout,
        "workloads.health-api.autoscaling.max: 10  # environments/prod.yaml:19:33 (overrides 5 from platform.yaml:261:33)\n"
    );
}

#[test]
fn unknown_paths_are_an_error() {
    let run = run(&repository(), &["explain", "prod", "workloads.nope"]);
    assert_eq!(run.code, 2);
    assert!(
        run.stderr.contains("`workloads.nope` is not set"),
        "{}",
        run.stderr
    );
}

/// The example's node pools select nodes by `doks.digitalocean.com/node-pool`:
/// a key with dots and a slash is one key, reachable typed as is or quoted, and
/// printed quoted so that the printed path reads back.
#[test]
fn a_key_with_dots_and_slashes_is_found() {
    let expected = "nodePools.critical.nodeSelector.\"doks.digitalocean.com/node-pool\": critical  # platform.yaml:123:54\n";
    for typed in [
        "nodePools.critical.nodeSelector.doks.digitalocean.com/node-pool",
        "nodePools.critical.nodeSelector.\"doks.digitalocean.com/node-pool\"",
    ] {
        let run = run(&repository(), &["explain", "prod", typed]).success();
        assert_eq!(run.stdout, expected, "{typed}");
    }
}

#[test]
fn malformed_paths_are_an_error() {
    let run = run(&repository(), &["explain", "prod", "workloads..web"]);
    assert_eq!(run.code, 2);
    assert!(
        run.stderr
            .contains("`workloads..web` is not a key path: empty key"),
        "{}",
        run.stderr
    );
}

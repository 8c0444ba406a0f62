//! The synthetic platform of the benchmark (`bench/generate.py`) is one a
//! user could ship: `check` finds nothing in any environment, so the
//! benchmark's `check` figures measure validation, not the printing of
//! findings.

use crate::support::cli;

#[test]
fn the_benchmark_platform_is_check_clean_in_every_environment() {
    let dir = crate::support::platforms::benchmark_platform(20);
    let run = cli::run(dir.path(), &["check", "--all"]);
    assert_eq!(
        run.code, 0,
        "check --all refused the benchmark platform:\n{}",
        run.stderr
    );
    assert!(
        run.stderr
            .contains("ok: dev, prod, staging checked, 0 warning(s)"),
        "the benchmark platform is not clean:\n{}",
        run.stderr
    );
}

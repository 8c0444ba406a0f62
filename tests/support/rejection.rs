//! What every error-report test asserts of bad input: exit code 2, nothing on
//! stdout, no panic. Callers snapshot the report themselves, so snapshots keep
//! the name of the module that tests the mistake.

use super::cli::{MINIMAL_BASE, Platform};

/// Renders `environment` of `platform`, asserts it is rejected as bad input,
/// and returns the report (exit code, stdout, stderr) for a snapshot.
#[track_caller]
pub fn rejected(platform: &Platform, environment: &str) -> String {
    let run = platform.run(&["render", environment]);
    assert_eq!(
        run.code,
        2,
        "bad input exits 2:\n{}",
        run.report(platform.path())
    );
    assert_eq!(run.stdout, "", "nothing is rendered on error");
    assert!(!run.stderr.contains("panicked"), "{}", run.stderr);
    run.report(platform.path())
}

/// [`rejected`] for `prod` of a platform made of `base` and a `prod` overlay.
#[track_caller]
pub fn rejected_spec(base: &str, prod: &str) -> String {
    rejected(&Platform::with(base, &[("prod", prod)]), "prod")
}

/// MINIMAL_BASE with `from` replaced by `to` (which must occur).
#[track_caller]
pub fn minimal_base_with(from: &str, to: &str) -> String {
    assert!(
        MINIMAL_BASE.contains(from),
        "fixture text `{from}` not found"
    );
    MINIMAL_BASE.replacen(from, to, 1)
}

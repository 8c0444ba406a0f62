//! The seed platforms written as examples (`examples/<name>/`), each with the
//! environments its seed names. Every test that runs "every platform and
//! environment" of the repository iterates over these beside the built-in
//! example.

use std::path::PathBuf;

use super::cli::repository;

/// `(directory under examples/, environments)`.
pub const SEED_EXAMPLES: &[(&str, &[&str])] = &[
    ("digital-prescription", &["dev", "staging", "prod"]),
    (
        "dr-assistant",
        &["development", "integration", "staging", "production"],
    ),
];

/// The directory of the example `name`.
pub fn example_dir(name: &str) -> PathBuf {
    repository().join("examples").join(name)
}

/// Every example's directory with its environments.
pub fn seed_examples() -> impl Iterator<Item = (&'static str, PathBuf, &'static [&'static str])> {
    SEED_EXAMPLES
        .iter()
        .map(|(name, environments)| (*name, example_dir(name), *environments))
}

//! The seed platforms written as examples (`examples/<name>/`), each with its
//! environments, found on disk by `platforms` (no list to keep up to date).

use std::path::PathBuf;

use super::cli::repository;
use super::platforms;

/// The directory of the example `name`.
pub fn example_dir(name: &str) -> PathBuf {
    repository().join("examples").join(name)
}

/// Every example's name and directory with its environments, in name order.
pub fn seed_examples() -> Vec<(String, PathBuf, Vec<String>)> {
    platforms::seed_examples()
        .into_iter()
        .map(|dir| {
            let name = dir
                .file_name()
                .map(|name| name.to_string_lossy().into_owned())
                .unwrap_or_default();
            let environments = platforms::environments(&dir);
            (name, dir, environments)
        })
        .collect()
}

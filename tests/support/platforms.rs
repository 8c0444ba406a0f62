//! The platforms of the repository that the generic tests run over: the
//! built-in example at the root, the example of each seed under `examples/`,
//! and the test fixtures; with their environments. Read from the working
//! tree, so an example added under `examples/` is covered by every test that
//! iterates them, without a list to update.

use std::path::{Path, PathBuf};

use super::cli::repository;

/// The platform directories directly under `parent` (relative to the
/// repository root), in name order.
fn platforms_under(parent: &str) -> Vec<PathBuf> {
    let Ok(entries) = std::fs::read_dir(repository().join(parent)) else {
        return Vec::new();
    };
    let mut found: Vec<PathBuf> = entries
        .map(|entry| entry.expect("a directory entry").path())
        .filter(|dir| dir.join("platform.yaml").is_file())
        .collect();
    found.sort();
    found
}

/// The example of each seed under `examples/` (the built-in example not
/// included), in name order.
pub fn seed_examples() -> Vec<PathBuf> {
    platforms_under("examples")
}

/// The built-in example and the example of each seed: the platforms written
/// as users would write them.
pub fn examples() -> Vec<PathBuf> {
    let mut platforms = vec![repository()];
    platforms.extend(seed_examples());
    platforms
}

/// The examples and every test fixture.
pub fn all() -> Vec<PathBuf> {
    let mut platforms = examples();
    platforms.extend(platforms_under("tests/fixtures"));
    platforms
}

/// The environments of the platform in `dir` (the names of its
/// `environments/*.yaml`), in name order.
pub fn environments(dir: &Path) -> Vec<String> {
    let mut names: Vec<String> = std::fs::read_dir(dir.join("environments"))
        .expect("environments/ is readable")
        .map(|entry| entry.expect("a directory entry").path())
        .filter(|path| path.extension().is_some_and(|ext| ext == "yaml"))
        .filter_map(|path| Some(path.file_stem()?.to_string_lossy().into_owned()))
        .collect();
    names.sort();
    names
}

/// The platform's production environment: the one named `prod` or
/// `production`, else the first whose overlay says `tier: production`.
pub fn production_environment(dir: &Path) -> Option<String> {
    let environments = environments(dir);
    if let Some(name) = environments
        .iter()
        .find(|name| *name == "prod" || *name == "production")
    {
        return Some(name.clone());
    }
    environments.into_iter().find(|name| {
        std::fs::read_to_string(dir.join("environments").join(format!("{name}.yaml")))
            .is_ok_and(|text| text.lines().any(|line| line.trim() == "tier: production"))
    })
}

/// The directory's name for messages: `examples/sorcha`, `.` for the root.
pub fn display(dir: &Path) -> String {
    let root = repository();
    match dir.strip_prefix(&root) {
        Ok(relative) if relative.as_os_str().is_empty() => ".".to_owned(),
        Ok(relative) => relative.display().to_string(),
        Err(_) => dir.display().to_string(),
    }
}

/// The benchmark's synthetic platform of `services` services
/// (`bench/generate.py`), written to a temporary directory that lives as
/// long as the value returned.
pub fn benchmark_platform(services: usize) -> tempfile::TempDir {
    let dir = tempfile::tempdir().expect("temporary directory");
    let status = std::process::Command::new("python3")
        .arg(repository().join("bench/generate.py"))
        .arg(services.to_string())
        .arg(dir.path())
        .status()
        .expect("python3 runs");
    assert!(status.success(), "bench/generate.py {services} failed");
    dir
}

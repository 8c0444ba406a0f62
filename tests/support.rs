//! Shared test helpers: running the real binary, temporary platforms, external
//! validators.

pub mod cli;
pub mod examples;
pub mod external;
pub mod git;
pub mod objects;
pub mod platforms;
pub mod python;
pub mod rejection;
pub mod sarif;
pub mod tree;

/// Settings that keep snapshots in the top-level `snapshots/` directory.
pub fn snapshot_settings() -> insta::Settings {
    let mut settings = insta::Settings::clone_current();
    settings.set_snapshot_path(std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("snapshots"));
    settings.set_prepend_module_to_snapshot(true);
    settings
}

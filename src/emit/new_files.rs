//! Creating files that must not exist yet (`platformgen init`): unlike
//! [`super::write`], the files are the user's from the start, so nothing is
//! indexed, replaced or removed. Either every file is created or, when one of
//! them (or something in the way of one) already exists, none is.

#![allow(
    clippy::disallowed_methods,
    reason = "creates the files of a new platform: the one writer of files platformgen does not own"
)]

use std::io::Write as _;
use std::path::{Path, PathBuf};

/// Why the files could not be created.
#[derive(Debug, thiserror::Error)]
pub enum NewFilesError {
    #[error("these files already exist: {}", .0.iter().map(|p| format!("`{}`", p.display())).collect::<Vec<_>>().join(", "))]
    Exists(Vec<PathBuf>),
    #[error("cannot create `{path}`")]
    Io {
        path: PathBuf,
        #[source]
        source: std::io::Error,
    },
}

/// Creates each `(relative path, text)` under `root` (created if missing),
/// refusing before writing anything when any of the paths exists.
pub fn create_new_files<'a>(
    root: &Path,
    files: impl IntoIterator<Item = (&'a str, &'a str)> + Clone,
) -> Result<(), NewFilesError> {
    let existing: Vec<PathBuf> = files
        .clone()
        .into_iter()
        .map(|(relative, _)| root.join(relative))
        .filter(|path| std::fs::symlink_metadata(path).is_ok())
        .collect();
    if !existing.is_empty() {
        return Err(NewFilesError::Exists(existing));
    }
    for (relative, text) in files {
        let path = root.join(relative);
        let io = |source| NewFilesError::Io {
            path: path.clone(),
            source,
        };
        if let Some(parent) = path.parent() {
            std::fs::create_dir_all(parent).map_err(io)?;
        }
        // `create_new` refuses a file that appeared since the check, and a
        // symlink planted there.
        let mut file = std::fs::OpenOptions::new()
            .write(true)
            .create_new(true)
            .open(&path)
            .map_err(io)?;
        file.write_all(text.as_bytes()).map_err(io)?;
    }
    Ok(())
}

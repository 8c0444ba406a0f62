//! Reads back a directory written by `render --out`: the files its index
//! ([`crate::emit::write::INDEX_FILE`]) lists, and nothing else, so a README
//! or a hand-written manifest beside the render is never taken for part of it.
//!
//! Owns reading that tree from disk. Must not parse or interpret the files
//! (that is `diff::previous_render`).

#![allow(
    clippy::disallowed_methods,
    reason = "reads back the files of an output tree: one of the two places that touch the file system"
)]

use std::path::{Path, PathBuf};

use crate::emit::write::{self, INDEX_FILE, WriteError};

/// One file of a previous render.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct RenderedFile {
    /// Relative to the render's directory, `/`-separated (as in the index).
    pub path: String,
    pub bytes: Vec<u8>,
}

#[derive(Debug, thiserror::Error)]
pub enum RenderDirError {
    #[error("`{}` does not exist", dir.display())]
    Missing { dir: PathBuf },
    #[error(
        "`{}` is not a directory written by `platformgen render --out`: it has no {INDEX_FILE}",
        dir.display()
    )]
    NoIndex { dir: PathBuf },
    #[error("cannot read the index of `{}`", dir.display())]
    Index {
        dir: PathBuf,
        #[source]
        source: WriteError,
    },
    #[error(
        "`{}` is listed in {INDEX_FILE} but is missing: the render in `{}` is damaged; \
         render it again",
        path.display(),
        dir.display()
    )]
    MissingFile { dir: PathBuf, path: PathBuf },
    #[error(
        "`{}` is a symbolic link: a render written by `platformgen render --out` has \
         none, so the render in `{}` was changed by hand; render it again",
        path.display(),
        dir.display()
    )]
    Link { dir: PathBuf, path: PathBuf },
    /// A write is running there, or one was interrupted: neither is a
    /// render to read.
    #[error(transparent)]
    Busy(WriteError),
    #[error("cannot read `{}`", path.display())]
    Read {
        path: PathBuf,
        #[source]
        source: std::io::Error,
    },
}

/// True when `dir` holds a render (has an index, or a write that was
/// interrupted, which reading then refuses with a message saying so); for
/// listing the environments of a `render --all` tree.
pub fn is_render_dir(dir: &Path) -> bool {
    dir.join(INDEX_FILE).is_file() || write::has_unfinished_write(dir)
}

/// True when `dir` is a directory (following symlinks, as the user named it).
pub fn is_directory(dir: &Path) -> bool {
    dir.is_dir()
}

/// The names of the subdirectories of `dir` that hold a render, sorted: the
/// environments of a `render --all --out` tree.
pub fn rendered_subdirectories(dir: &Path) -> std::io::Result<Vec<String>> {
    let mut names = Vec::new();
    for entry in std::fs::read_dir(dir)? {
        let entry = entry?;
        if let Some(name) = entry.file_name().to_str()
            && is_render_dir(&entry.path())
        {
            names.push(name.to_owned());
        }
    }
    names.sort();
    Ok(names)
}

/// The first component of `relative` (a `/`-separated path inside `dir`)
/// that is a symbolic link, if any. `render --out` never writes links, so one
/// in a render means the tree was changed by hand, and following it could
/// print any file of the machine as a "removed" object.
fn symbolic_link_in(dir: &Path, relative: &str) -> Option<PathBuf> {
    let mut path = dir.to_path_buf();
    for component in relative.split('/') {
        path.push(component);
        if std::fs::symlink_metadata(&path).is_ok_and(|meta| meta.file_type().is_symlink()) {
            return Some(path);
        }
    }
    None
}

/// Every file the index of `dir` lists, sorted by path. Holds the lock of
/// `dir` shared while it reads, so no write changes the tree underneath, and
/// refuses an unfinished write rather than read a tree half old, half new.
pub fn read_render_dir(dir: &Path) -> Result<Vec<RenderedFile>, RenderDirError> {
    if !dir.is_dir() {
        return Err(RenderDirError::Missing {
            dir: dir.to_path_buf(),
        });
    }
    let _lock = write::lock_for_reading(dir).map_err(RenderDirError::Busy)?;
    let paths = write::read_index(dir)
        .map_err(|source| RenderDirError::Index {
            dir: dir.to_path_buf(),
            source,
        })?
        .ok_or_else(|| RenderDirError::NoIndex {
            dir: dir.to_path_buf(),
        })?;
    let mut files = Vec::with_capacity(paths.len());
    for path in paths {
        // The index's paths are checked relative paths (no `..`, not
        // absolute), so joining them stays inside `dir`.
        let disk = dir.join(&path);
        if let Some(link) = symbolic_link_in(dir, &path) {
            return Err(RenderDirError::Link {
                dir: dir.to_path_buf(),
                path: link,
            });
        }
        let bytes = match std::fs::read(&disk) {
            Ok(bytes) => bytes,
            Err(error) if error.kind() == std::io::ErrorKind::NotFound => {
                return Err(RenderDirError::MissingFile {
                    dir: dir.to_path_buf(),
                    path: disk,
                });
            }
            Err(source) => return Err(RenderDirError::Read { path: disk, source }),
        };
        files.push(RenderedFile { path, bytes });
    }
    Ok(files)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::emit::OutputTree;

    /// `read_render_dir`, retried while the lock the write just released
    /// still looks held: while another test thread spawns a process, the
    /// child holds a copy of every open file of this one, lock file
    /// included, until it execs.
    fn read_render_dir(dir: &Path) -> Result<Vec<RenderedFile>, RenderDirError> {
        for _ in 0..1_000 {
            match super::read_render_dir(dir) {
                Err(RenderDirError::Busy(WriteError::Locked { .. })) => {
                    std::thread::sleep(std::time::Duration::from_millis(2));
                }
                other => return other,
            }
        }
        super::read_render_dir(dir)
    }

    #[test]
    fn reads_exactly_the_indexed_files() {
        let temp = tempfile::tempdir().expect("tempdir");
        let dir = temp.path().join("out");
        let mut tree = OutputTree::new();
        tree.insert("a/x.yaml", "x: 1\n").expect("accepted");
        tree.insert("kustomization.yaml", "k: 1\n")
            .expect("accepted");
        write::write_tree(&dir, &tree).expect("write");
        std::fs::write(dir.join("README.md"), "not ours").expect("write");

        assert!(is_render_dir(&dir));
        let files = read_render_dir(&dir).expect("read");
        let paths: Vec<&str> = files.iter().map(|f| f.path.as_str()).collect();
        assert_eq!(paths, ["a/x.yaml", "kustomization.yaml"]);
        assert_eq!(files[0].bytes, b"x: 1\n");

        std::fs::remove_file(dir.join("a/x.yaml")).expect("rm");
        assert!(matches!(
            read_render_dir(&dir),
            Err(RenderDirError::MissingFile { .. })
        ));
    }

    #[test]
    fn a_directory_without_an_index_is_not_a_render() {
        let temp = tempfile::tempdir().expect("tempdir");
        assert!(!is_render_dir(temp.path()));
        assert!(matches!(
            read_render_dir(temp.path()),
            Err(RenderDirError::NoIndex { .. })
        ));
        assert!(matches!(
            read_render_dir(&temp.path().join("nope")),
            Err(RenderDirError::Missing { .. })
        ));
    }
}

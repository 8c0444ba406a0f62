//! The only code in platformgen that writes to disk: puts an [`OutputTree`] into
//! an output directory (`render --out DIR`), or compares it with what is there
//! (`--check`), and keeps track of which files in that directory are
//! platformgen's. Must not render, name or reorder files (the tree arrives
//! complete), and must never modify or remove a file platformgen did not write.
//!
//! # The index
//!
//! Each output directory has an index, [`INDEX_FILE`], listing the files
//! platformgen wrote there. Format (UTF-8, `\n` line endings, no timestamps, so
//! an unchanged render leaves it byte-identical):
//!
//! ```text
//! # written by platformgen; lists the files it owns here. Do not edit.
//! health-platform-api/deployment-health-api.yaml
//! kustomization.yaml
//! ```
//!
//! Line 1 is exactly that header; every further line is one path relative to
//! the directory, following the rules of [`super::output`], sorted by byte value
//! without duplicates; every line, the last included, ends with `\n`. Anything
//! else (a missing or different header, a blank line, CRLF, `..` or an absolute
//! path, disorder) is [`WriteError::MalformedIndex`]: ownership decides what we
//! may delete, so a damaged index is an error, never a guess. A later format
//! would change the header, which this version then rejects as malformed.
//!
//! Ownership: a path is ours if the index lists it. Before writing anything,
//! [`write_tree`] refuses with [`WriteError::ForeignFile`] if a path it needs
//! (a file, or a directory on the way to one) is taken by something not ours.
//! It removes only listed files that are no longer rendered, and then only the
//! directories that removing them left empty; never `dir` itself. Each
//! environment of `render --all` is a separate directory with its own index.
//!
//! # What "atomic" means here
//!
//! - The render is complete in memory before the first write: invalid input
//!   fails before this module runs and leaves the directory as it was.
//! - Every check that can refuse the write (index, foreign files, symlinks) runs
//!   before the first change: a refused write changes nothing.
//! - Each file is replaced atomically: written to `.NAME.platformgen-tmp` in the
//!   same directory, then renamed over `NAME`. A reader sees the old or the new
//!   content, never half a file. Unchanged files are not rewritten (their mtime
//!   stays), nor is an unchanged index.
//! - The tree as a whole is not replaced atomically, and cannot be: the
//!   directory may hold files that are not ours, so we cannot build a sibling
//!   and swap it in. If the OS fails midway (disk full, permissions), some files
//!   are new and some old. What we guarantee is that the index never forgets a
//!   file we wrote: before the first new file is created, the index is rewritten
//!   to list old and new paths together; the final index is written last. So a
//!   second run, once the cause is fixed, finishes the job (rather than
//!   refusing our own files as foreign), and `--check` reports the directory
//!   stale until it does.
//! - No fsync: this survives the process dying, not necessarily power loss.
//!   No locking: two runs writing the same directory at once are unsupported.
//!   A run killed between writing a temp file and renaming it leaves that temp
//!   file; the next write of the same path replaces it.
//!
//! # Never leaving `dir`
//!
//! Paths are joined one component at a time onto `dir`, and every component
//! below `dir` is inspected without following symlinks: a symlink where we
//! need a directory or an owned file is an error ([`WriteError::UnexpectedKind`]),
//! and a stale owned path behind a symlink is left alone. `dir` itself may be a
//! symlink; the user chose it.
//!
//! # Errors
//!
//! Every [`WriteError`] names the path it is about (joined onto `dir`). An
//! [`WriteError::Io`] keeps the OS error as its `source()`, not in its own
//! message: print the whole chain (`{:#}` with anyhow) to show both.

#![allow(
    clippy::disallowed_methods,
    reason = "the only writer of output trees: one of the two places that touch the file system"
)]

use std::collections::BTreeSet;
use std::fs::{self, OpenOptions};
use std::io::{self, Write as _};
use std::path::{Path, PathBuf};

use super::output::{OutputTree, relative_path_problem};

/// Name of the index file in each output directory.
pub const INDEX_FILE: &str = ".platformgen-index";

/// Suffix of the temp files the writer renames into place. [`OutputTree`]
/// refuses paths ending with it, so a temp file never collides with output.
pub(crate) const TMP_SUFFIX: &str = ".platformgen-tmp";

/// First line of every index.
const INDEX_HEADER: &str = "# written by platformgen; lists the files it owns here. Do not edit.";

/// What [`write_tree`] did, each list sorted by path.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct WriteReport {
    /// Tree files created or rewritten because their content changed.
    pub written: Vec<String>,
    /// Tree files already on disk with the same bytes, left untouched.
    pub unchanged: Vec<String>,
    /// Files we wrote before that are no longer rendered, now deleted.
    pub removed: Vec<String>,
}

/// How a directory differs from what [`write_tree`] would write, each list
/// sorted by path.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct CheckReport {
    /// Tree files not on disk.
    pub missing: Vec<String>,
    /// Tree files on disk with different content.
    pub changed: Vec<String>,
    /// Files the index lists that are no longer rendered (a write would remove
    /// them, or just drop them from the index if they are already gone).
    pub extra: Vec<String>,
}

impl CheckReport {
    /// True if writing the tree would change nothing.
    pub fn is_fresh(&self) -> bool {
        self.missing.is_empty() && self.changed.is_empty() && self.extra.is_empty()
    }
}

#[derive(Debug, thiserror::Error)]
pub enum WriteError {
    /// The OS refused an operation; `source` says why.
    #[error("could not {action} {}", path.display())]
    Io {
        path: PathBuf,
        /// What we were doing, as a verb phrase: "read", "remove", ...
        action: &'static str,
        #[source]
        source: io::Error,
    },
    /// Something platformgen did not write occupies a path it needs.
    #[error(
        "refusing to overwrite {}: platformgen did not write it (it is not listed in {INDEX_FILE}); \
         move it away or delete it, then render again",
        path.display()
    )]
    ForeignFile { path: PathBuf },
    /// The index cannot be read back exactly; `line` is 1-based.
    #[error(
        "malformed platformgen index {}, line {line}: {reason}; fix it, or delete the index \
         and the files platformgen wrote, then render again",
        path.display()
    )]
    MalformedIndex {
        path: PathBuf,
        line: usize,
        reason: String,
    },
    /// A path has the wrong kind of entry, e.g. a symlink where we need a
    /// directory, or a directory where the index lists a file.
    #[error("{} should be {expected} but is {found}", path.display())]
    UnexpectedKind {
        path: PathBuf,
        expected: &'static str,
        found: &'static str,
    },
}

/// Writes `tree` into `dir` (created if missing), as described in the module
/// doc: refuses before any change if a needed path is not ours, replaces new
/// or changed files atomically, removes owned files no longer rendered and the
/// directories that left empty, and writes the index last.
pub fn write_tree(dir: &Path, tree: &OutputTree) -> Result<WriteReport, WriteError> {
    Plan::make(dir, tree)?.execute(dir, tree)
}

/// Compares `tree` with `dir` without writing anything. A missing `dir` means
/// every file is missing. Fails where [`write_tree`] would refuse (a foreign
/// file in the way, a malformed index), since the render could not be written.
pub fn check_tree(dir: &Path, tree: &OutputTree) -> Result<CheckReport, WriteError> {
    let plan = Plan::make(dir, tree)?;
    Ok(CheckReport {
        missing: plan.paths_with(Action::Create),
        changed: plan.paths_with(Action::Change),
        extra: plan.stale,
    })
}

/// The paths the index in `dir` lists, or `None` if there is no index (or no
/// `dir`). For readers of a previous render, such as `diff --against DIR`.
pub fn read_index(dir: &Path) -> Result<Option<BTreeSet<String>>, WriteError> {
    Ok(load_index(dir)?.map(|(_, owned)| owned))
}

/// What happens to one tree file.
#[derive(Copy, Clone, Debug, PartialEq, Eq)]
enum Action {
    Create,
    Change,
    Unchanged,
}

/// Everything `write_tree` will do, decided by inspecting the directory before
/// changing it, so that every refusal comes before the first change.
#[derive(Debug, Default)]
struct Plan {
    dir_exists: bool,
    /// The index text on disk, to tell whether the new one differs.
    old_index: Option<String>,
    /// Paths the old index lists.
    owned: BTreeSet<String>,
    /// One entry per tree file, in tree (sorted) order.
    actions: Vec<(String, Action)>,
    /// Owned paths no longer rendered, whether or not they are on disk.
    stale: Vec<String>,
    /// Owned files (and the directories holding only them) that stand where a
    /// tree file needs a directory or a file. Removed before writing, since
    /// the write cannot happen otherwise.
    clear_files: BTreeSet<String>,
    clear_dirs: BTreeSet<String>,
    /// Stale owned regular files on disk, removed after writing.
    remove_files: BTreeSet<String>,
}

impl Plan {
    fn make(dir: &Path, tree: &OutputTree) -> Result<Self, WriteError> {
        // `dir` itself is followed if it is a symlink: the user named it.
        let dir_exists = match fs::metadata(dir) {
            Ok(meta) if meta.is_dir() => true,
            Ok(meta) => {
                return Err(WriteError::UnexpectedKind {
                    path: dir.to_path_buf(),
                    expected: "a directory",
                    found: Kind::of(&meta).describe(),
                });
            }
            Err(error) if error.kind() == io::ErrorKind::NotFound => false,
            Err(error) => return Err(io_error(dir, "inspect", error)),
        };
        let mut plan = Plan {
            dir_exists,
            ..Plan::default()
        };
        if !dir_exists {
            plan.actions = tree
                .iter()
                .map(|(path, _)| (path.to_owned(), Action::Create))
                .collect();
            return Ok(plan);
        }
        if let Some((text, owned)) = load_index(dir)? {
            plan.old_index = Some(text);
            plan.owned = owned;
        }

        let mut probe = Probe::default();
        for (path, content) in tree.iter() {
            let action = plan.tree_file_action(dir, path, content, &mut probe)?;
            plan.actions.push((path.to_owned(), action));
        }

        let stale: Vec<String> = plan
            .owned
            .iter()
            .filter(|path| tree.get(path).is_none())
            .cloned()
            .collect();
        for path in &stale {
            if plan.clear_files.contains(path) {
                continue;
            }
            // Only a regular file reached through real directories is the
            // file we wrote. Anything else there now is someone else's doing:
            // leave it, and let it drop out of the index.
            if probe.parent_is_real_dir(dir, path)?
                && Kind::at(&disk_path(dir, path))? == Kind::File
            {
                plan.remove_files.insert(path.clone());
            }
        }
        plan.stale = stale;
        Ok(plan)
    }

    /// Inspects the place of one tree file; schedules clearing owned files in
    /// its way; refuses anything foreign there.
    fn tree_file_action(
        &mut self,
        dir: &Path,
        path: &str,
        content: &str,
        probe: &mut Probe,
    ) -> Result<Action, WriteError> {
        for ancestor in ancestors(path) {
            if probe.real_dirs.contains(ancestor) {
                continue;
            }
            if probe.absent.contains(ancestor) {
                return Ok(Action::Create);
            }
            let disk = disk_path(dir, ancestor);
            match Kind::at(&disk)? {
                Kind::Dir => {
                    probe.real_dirs.insert(ancestor.to_owned());
                }
                Kind::Missing => {
                    probe.absent.insert(ancestor.to_owned());
                    return Ok(Action::Create);
                }
                // An owned file where we now need a directory: the tree
                // cannot also contain it (OutputTree forbids file-in-file),
                // so it is stale and goes first.
                Kind::File if self.owned.contains(ancestor) => {
                    self.clear_files.insert(ancestor.to_owned());
                    probe.absent.insert(ancestor.to_owned());
                    return Ok(Action::Create);
                }
                Kind::Symlink => {
                    return Err(WriteError::UnexpectedKind {
                        path: disk,
                        expected: "a directory",
                        found: Kind::Symlink.describe(),
                    });
                }
                Kind::File | Kind::Other => return Err(WriteError::ForeignFile { path: disk }),
            }
        }

        let disk = disk_path(dir, path);
        let owned = self.owned.contains(path);
        let meta = match fs::symlink_metadata(&disk) {
            Ok(meta) => meta,
            Err(error) if is_absent(&error) => return Ok(Action::Create),
            Err(error) => return Err(io_error(&disk, "inspect", error)),
        };
        match Kind::of(&meta) {
            Kind::File if !owned => Err(WriteError::ForeignFile { path: disk }),
            Kind::File => {
                // Same length first: most changes change the size, and then
                // there is no need to read the old file.
                let same = meta.len() == content.len() as u64
                    && fs::read(&disk).map_err(|e| io_error(&disk, "read", e))?
                        == content.as_bytes();
                Ok(if same {
                    Action::Unchanged
                } else {
                    Action::Change
                })
            }
            // A directory where the tree now wants a file: fine only if it
            // holds nothing but files we own (all stale, as above).
            Kind::Dir => {
                self.collect_owned_subtree(dir, path)?;
                Ok(Action::Create)
            }
            kind if owned => Err(WriteError::UnexpectedKind {
                path: disk,
                expected: "a regular file",
                found: kind.describe(),
            }),
            Kind::Symlink | Kind::Other | Kind::Missing => {
                Err(WriteError::ForeignFile { path: disk })
            }
        }
    }

    /// Schedules the directory `rel` for clearing, or refuses if anything in
    /// it (recursively) is not an owned regular file or a directory. Empty
    /// directories inside go too: they hold nothing anyone could lose.
    fn collect_owned_subtree(&mut self, dir: &Path, rel: &str) -> Result<(), WriteError> {
        let disk = disk_path(dir, rel);
        let entries = fs::read_dir(&disk).map_err(|e| io_error(&disk, "list", e))?;
        let mut names = Vec::new();
        for entry in entries {
            names.push(entry.map_err(|e| io_error(&disk, "list", e))?.file_name());
        }
        // read_dir order is arbitrary; sort so the error names the same path
        // every time.
        names.sort();
        for name in names {
            let child_disk = disk.join(&name);
            // A name that is not UTF-8 cannot be in our index: not ours.
            let Some(name) = name.to_str() else {
                return Err(WriteError::ForeignFile { path: child_disk });
            };
            let child = format!("{rel}/{name}");
            match Kind::at(&child_disk)? {
                Kind::Dir => self.collect_owned_subtree(dir, &child)?,
                Kind::File if self.owned.contains(&child) => {
                    self.clear_files.insert(child);
                }
                Kind::Missing => {}
                Kind::File | Kind::Symlink | Kind::Other => {
                    return Err(WriteError::ForeignFile { path: child_disk });
                }
            }
        }
        self.clear_dirs.insert(rel.to_owned());
        Ok(())
    }

    fn paths_with(&self, wanted: Action) -> Vec<String> {
        self.actions
            .iter()
            .filter(|(_, action)| *action == wanted)
            .map(|(path, _)| path.clone())
            .collect()
    }

    fn execute(self, dir: &Path, tree: &OutputTree) -> Result<WriteReport, WriteError> {
        if !self.dir_exists {
            fs::create_dir_all(dir).map_err(|e| io_error(dir, "create directory", e))?;
        }

        // Claim every new path before creating it (see "atomic" in the module
        // doc): if we fail midway, the index still lists what we wrote.
        let mut index_on_disk = self.old_index.clone();
        if tree.iter().any(|(path, _)| !self.owned.contains(path)) {
            let mut claimed: BTreeSet<&str> = self.owned.iter().map(String::as_str).collect();
            claimed.extend(tree.iter().map(|(path, _)| path));
            let text = render_index(claimed);
            write_atomically(dir, INDEX_FILE, &text)?;
            index_on_disk = Some(text);
        }

        let mut removed = BTreeSet::new();
        for path in &self.clear_files {
            if remove_file(dir, path)? {
                removed.insert(path.clone());
            }
        }
        // Reverse order visits a directory's descendants before it.
        for path in self.clear_dirs.iter().rev() {
            let disk = disk_path(dir, path);
            fs::remove_dir(&disk).map_err(|e| io_error(&disk, "remove directory", e))?;
        }

        let mut report = WriteReport::default();
        for ((path, action), (_, content)) in self.actions.iter().zip(tree.iter()) {
            if *action == Action::Unchanged {
                report.unchanged.push(path.clone());
                continue;
            }
            if let Some((parent, _)) = path.rsplit_once('/') {
                // Safe to follow: every existing component was checked to be
                // a real directory when planning.
                let disk = disk_path(dir, parent);
                fs::create_dir_all(&disk).map_err(|e| io_error(&disk, "create directory", e))?;
            }
            write_atomically(dir, path, content)?;
            report.written.push(path.clone());
        }

        for path in &self.remove_files {
            if remove_file(dir, path)? {
                removed.insert(path.clone());
            }
        }
        prune_emptied_dirs(dir, &removed, &self.clear_dirs)?;
        report.removed = removed.into_iter().collect();

        let index = render_index(tree.iter().map(|(path, _)| path));
        // No index to keep and none to make: leave `dir` without one.
        let nothing_to_record = tree.is_empty() && index_on_disk.is_none();
        if !nothing_to_record && index_on_disk.as_deref() != Some(index.as_str()) {
            write_atomically(dir, INDEX_FILE, &index)?;
        }
        Ok(report)
    }
}

/// Caches what planning learnt about directories, since many files share them.
#[derive(Debug, Default)]
struct Probe {
    /// Paths known to be real directories (not symlinks).
    real_dirs: BTreeSet<String>,
    /// Paths known to be absent, or to become absent before writing.
    absent: BTreeSet<String>,
}

impl Probe {
    /// True if every ancestor of `path` below `dir` is a real directory.
    fn parent_is_real_dir(&mut self, dir: &Path, path: &str) -> Result<bool, WriteError> {
        for ancestor in ancestors(path) {
            if self.real_dirs.contains(ancestor) {
                continue;
            }
            if self.absent.contains(ancestor) || Kind::at(&disk_path(dir, ancestor))? != Kind::Dir {
                return Ok(false);
            }
            self.real_dirs.insert(ancestor.to_owned());
        }
        Ok(true)
    }
}

/// Kind of a directory entry, symlinks not followed.
#[derive(Copy, Clone, Debug, PartialEq, Eq)]
enum Kind {
    Missing,
    File,
    Dir,
    Symlink,
    Other,
}

impl Kind {
    fn of(meta: &fs::Metadata) -> Self {
        let file_type = meta.file_type();
        if file_type.is_symlink() {
            Kind::Symlink
        } else if file_type.is_dir() {
            Kind::Dir
        } else if file_type.is_file() {
            Kind::File
        } else {
            Kind::Other
        }
    }

    fn at(path: &Path) -> Result<Self, WriteError> {
        match fs::symlink_metadata(path) {
            Ok(meta) => Ok(Kind::of(&meta)),
            Err(error) if is_absent(&error) => Ok(Kind::Missing),
            Err(error) => Err(io_error(path, "inspect", error)),
        }
    }

    fn describe(self) -> &'static str {
        match self {
            Kind::Missing => "missing",
            Kind::File => "a regular file",
            Kind::Dir => "a directory",
            Kind::Symlink => {
                "a symlink (platformgen does not follow symlinks below its output directory)"
            }
            Kind::Other => "a special file",
        }
    }
}

/// Not there, or a parent is a file (so it cannot be there).
fn is_absent(error: &io::Error) -> bool {
    matches!(
        error.kind(),
        io::ErrorKind::NotFound | io::ErrorKind::NotADirectory
    )
}

fn io_error(path: &Path, action: &'static str, source: io::Error) -> WriteError {
    WriteError::Io {
        path: path.to_path_buf(),
        action,
        source,
    }
}

/// `dir` joined with a validated relative path, one component at a time so
/// that `/` means the same on every platform.
fn disk_path(dir: &Path, rel: &str) -> PathBuf {
    let mut path = dir.to_path_buf();
    path.extend(rel.split('/'));
    path
}

/// The proper ancestors of a relative path, shallowest first: `a/b/c` gives
/// `a`, `a/b`.
fn ancestors(rel: &str) -> impl Iterator<Item = &str> {
    rel.match_indices('/').map(|(i, _)| &rel[..i])
}

/// Reads and parses the index of `dir`: its text and the paths it lists.
fn load_index(dir: &Path) -> Result<Option<(String, BTreeSet<String>)>, WriteError> {
    let path = dir.join(INDEX_FILE);
    match Kind::at(&path)? {
        Kind::Missing => Ok(None),
        Kind::File => {
            let bytes = fs::read(&path).map_err(|e| io_error(&path, "read", e))?;
            parse_index(&path, bytes).map(Some)
        }
        kind => Err(WriteError::UnexpectedKind {
            path,
            expected: "a regular file",
            found: kind.describe(),
        }),
    }
}

/// Parses an index strictly (see the module doc): ownership decides what we
/// delete, so anything we would not have written ourselves is an error.
fn parse_index(path: &Path, bytes: Vec<u8>) -> Result<(String, BTreeSet<String>), WriteError> {
    let malformed = |line: usize, reason: String| WriteError::MalformedIndex {
        path: path.to_path_buf(),
        line,
        reason,
    };
    let text = String::from_utf8(bytes).map_err(|error| {
        let valid = &error.as_bytes()[..error.utf8_error().valid_up_to()];
        let line = 1 + valid.iter().filter(|&&byte| byte == b'\n').count();
        malformed(line, "is not valid UTF-8".to_owned())
    })?;
    let Some(body) = text.strip_suffix('\n') else {
        let line = text.split('\n').count();
        return Err(malformed(line, "does not end with a newline".to_owned()));
    };
    let mut lines = body.split('\n');
    if lines.next() != Some(INDEX_HEADER) {
        return Err(malformed(
            1,
            format!("expected the header {INDEX_HEADER:?}"),
        ));
    }
    let mut owned = BTreeSet::new();
    let mut previous: Option<&str> = None;
    for (number, line) in (2..).zip(lines) {
        if let Some(problem) = relative_path_problem(line) {
            return Err(malformed(number, format!("path {line:?} {problem}")));
        }
        if let Some(previous) = previous.filter(|&previous| previous >= line) {
            return Err(malformed(
                number,
                format!("paths must be sorted and unique, but {line:?} follows {previous:?}"),
            ));
        }
        previous = Some(line);
        owned.insert(line.to_owned());
    }
    Ok((text, owned))
}

/// The index listing `paths`, which must be sorted and unique.
fn render_index<'a>(paths: impl IntoIterator<Item = &'a str>) -> String {
    let mut text = format!("{INDEX_HEADER}\n");
    for path in paths {
        text.push_str(path);
        text.push('\n');
    }
    text
}

/// Replaces `dir/rel` with `content` by writing a temp file beside it and
/// renaming it over the target. Removes the temp file if anything fails.
fn write_atomically(dir: &Path, rel: &str, content: &str) -> Result<(), WriteError> {
    let target = disk_path(dir, rel);
    let name = rel.rsplit('/').next().unwrap_or(rel);
    let tmp = target.with_file_name(format!(".{name}{TMP_SUFFIX}"));
    // A temp file left by a killed run is ours: clear it. `remove_file` on a
    // symlink removes the link, and `create_new` refuses to follow one, so a
    // planted link cannot redirect the write.
    if Kind::at(&tmp)? != Kind::Missing {
        fs::remove_file(&tmp).map_err(|e| io_error(&tmp, "remove stale temp file", e))?;
    }
    let result = OpenOptions::new()
        .write(true)
        .create_new(true)
        .open(&tmp)
        .and_then(|mut file| file.write_all(content.as_bytes()))
        .map_err(|e| io_error(&tmp, "write", e))
        .and_then(|()| fs::rename(&tmp, &target).map_err(|e| io_error(&target, "replace", e)));
    if result.is_err() {
        // Best effort: the error that matters is the one we return.
        let _ = fs::remove_file(&tmp);
    }
    result
}

/// Removes the owned file `dir/rel`; false if it was already gone.
fn remove_file(dir: &Path, rel: &str) -> Result<bool, WriteError> {
    let disk = disk_path(dir, rel);
    match fs::remove_file(&disk) {
        Ok(()) => Ok(true),
        Err(error) if is_absent(&error) => Ok(false),
        Err(error) => Err(io_error(&disk, "remove", error)),
    }
}

/// Removes the directories that removing `removed` left empty: only ancestors
/// of a removed file, never `dir` itself (ancestors are proper and relative),
/// never a directory with anything left in it.
fn prune_emptied_dirs(
    dir: &Path,
    removed: &BTreeSet<String>,
    already_gone: &BTreeSet<String>,
) -> Result<(), WriteError> {
    let candidates: BTreeSet<&str> = removed.iter().flat_map(|path| ancestors(path)).collect();
    // Reverse order visits a directory's descendants before it, so emptying
    // `a/b` lets `a` go too.
    for rel in candidates.into_iter().rev() {
        if already_gone.contains(rel) {
            continue;
        }
        let disk = disk_path(dir, rel);
        if Kind::at(&disk)? != Kind::Dir {
            continue;
        }
        let mut entries = fs::read_dir(&disk).map_err(|e| io_error(&disk, "list", e))?;
        if entries.next().is_none() {
            fs::remove_dir(&disk).map_err(|e| io_error(&disk, "remove directory", e))?;
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use std::collections::BTreeMap;
    use std::time::{Duration, SystemTime};

    use tempfile::TempDir;

    use super::*;

    fn tree(files: &[(&str, &str)]) -> OutputTree {
        let mut tree = OutputTree::new();
        for (path, content) in files {
            tree.insert(*path, *content).expect("accepted");
        }
        tree
    }

    fn strings(paths: &[&str]) -> Vec<String> {
        paths.iter().map(|path| (*path).to_owned()).collect()
    }

    /// An empty scratch directory, and the output directory `out` inside it
    /// (not yet created), so tests can see anything written beside `out`.
    fn scratch() -> (TempDir, PathBuf) {
        let temp = tempfile::tempdir().expect("create temp dir");
        let out = temp.path().join("out");
        (temp, out)
    }

    #[track_caller]
    fn write(dir: &Path, files: &[(&str, &str)]) -> WriteReport {
        write_tree(dir, &tree(files)).unwrap_or_else(|error| panic!("write_tree: {error:#?}"))
    }

    #[track_caller]
    fn check(dir: &Path, files: &[(&str, &str)]) -> CheckReport {
        check_tree(dir, &tree(files)).unwrap_or_else(|error| panic!("check_tree: {error:#?}"))
    }

    #[track_caller]
    fn put(dir: &Path, rel: &str, content: &str) {
        let path = disk_path(dir, rel);
        fs::create_dir_all(path.parent().expect("has a parent")).expect("create parent");
        fs::write(&path, content).expect("write fixture");
    }

    /// Everything under `dir`: files with their content, directories as `None`.
    #[track_caller]
    fn snapshot(dir: &Path) -> BTreeMap<String, Option<String>> {
        #[track_caller]
        fn walk(root: &Path, rel: &str, into: &mut BTreeMap<String, Option<String>>) {
            let disk = if rel.is_empty() {
                root.to_path_buf()
            } else {
                disk_path(root, rel)
            };
            for entry in fs::read_dir(&disk).expect("read_dir") {
                let entry = entry.expect("entry");
                let name = entry.file_name().into_string().expect("UTF-8 name");
                let child = if rel.is_empty() {
                    name
                } else {
                    format!("{rel}/{name}")
                };
                let kind = entry.file_type().expect("file type");
                if kind.is_dir() {
                    into.insert(child.clone(), None);
                    walk(root, &child, into);
                } else {
                    let content = fs::read_to_string(entry.path()).unwrap_or_default();
                    into.insert(child, Some(content));
                }
            }
        }
        let mut into = BTreeMap::new();
        if dir.exists() {
            walk(dir, "", &mut into);
        }
        into
    }

    /// Only the files under `dir`, index included.
    #[track_caller]
    fn files(dir: &Path) -> BTreeMap<String, String> {
        snapshot(dir)
            .into_iter()
            .filter_map(|(path, content)| Some((path, content?)))
            .collect()
    }

    #[track_caller]
    fn expect_files(dir: &Path, expected: &[(&str, &str)]) {
        let expected: BTreeMap<String, String> = expected
            .iter()
            .map(|(path, content)| ((*path).to_owned(), (*content).to_owned()))
            .collect();
        assert_eq!(files(dir), expected);
    }

    fn index_of(paths: &[&str]) -> String {
        render_index(paths.iter().copied())
    }

    const OLD: SystemTime = SystemTime::UNIX_EPOCH;

    /// Sets every file's mtime to the epoch, so a rewrite cannot go unseen
    /// even on a filesystem with coarse timestamps.
    #[track_caller]
    fn age_all_files(dir: &Path) {
        for path in files(dir).keys() {
            let file = fs::File::options()
                .write(true)
                .open(disk_path(dir, path))
                .expect("open for set_modified");
            file.set_modified(OLD + Duration::from_secs(1))
                .expect("set_modified");
        }
    }

    #[track_caller]
    fn is_aged(dir: &Path, rel: &str) -> bool {
        let meta = fs::metadata(disk_path(dir, rel)).expect("metadata");
        meta.modified().expect("mtime") == OLD + Duration::from_secs(1)
    }

    #[test]
    fn first_write_creates_dir_files_and_index() {
        let (_temp, out) = scratch();
        let report = write(
            &out,
            &[
                ("kustomization.yaml", "k"),
                ("api/deployment-api.yaml", "d"),
            ],
        );
        assert_eq!(
            report,
            WriteReport {
                written: strings(&["api/deployment-api.yaml", "kustomization.yaml"]),
                ..WriteReport::default()
            }
        );
        expect_files(
            &out,
            &[
                ("kustomization.yaml", "k"),
                ("api/deployment-api.yaml", "d"),
                (
                    INDEX_FILE,
                    &index_of(&["api/deployment-api.yaml", "kustomization.yaml"]),
                ),
            ],
        );
        // The format the module doc promises, spelled out once.
        assert_eq!(
            fs::read_to_string(out.join(INDEX_FILE)).expect("index"),
            "# written by platformgen; lists the files it owns here. Do not edit.\n\
             api/deployment-api.yaml\n\
             kustomization.yaml\n"
        );
        assert_eq!(
            read_index(&out).expect("read_index"),
            Some(
                strings(&["api/deployment-api.yaml", "kustomization.yaml"])
                    .into_iter()
                    .collect()
            )
        );
    }

    #[test]
    fn identical_second_write_touches_nothing() {
        let (_temp, out) = scratch();
        let files = [("a.yaml", "a"), ("sub/b.yaml", "b")];
        write(&out, &files);
        age_all_files(&out);
        let before = snapshot(&out);

        let report = write(&out, &files);

        assert_eq!(
            report,
            WriteReport {
                unchanged: strings(&["a.yaml", "sub/b.yaml"]),
                ..WriteReport::default()
            }
        );
        assert_eq!(snapshot(&out), before);
        for rel in ["a.yaml", "sub/b.yaml", INDEX_FILE] {
            assert!(is_aged(&out, rel), "{rel} was rewritten");
        }
    }

    #[test]
    fn changed_file_is_rewritten_and_only_it() {
        let (_temp, out) = scratch();
        write(&out, &[("a.yaml", "a"), ("b.yaml", "b")]);
        age_all_files(&out);

        // Same length, different bytes: the size shortcut must not hide it.
        let report = write(&out, &[("a.yaml", "A"), ("b.yaml", "b")]);

        assert_eq!(
            report,
            WriteReport {
                written: strings(&["a.yaml"]),
                unchanged: strings(&["b.yaml"]),
                removed: vec![],
            }
        );
        expect_files(
            &out,
            &[
                ("a.yaml", "A"),
                ("b.yaml", "b"),
                (INDEX_FILE, &index_of(&["a.yaml", "b.yaml"])),
            ],
        );
        assert!(!is_aged(&out, "a.yaml"));
        assert!(is_aged(&out, "b.yaml"));
        assert!(
            is_aged(&out, INDEX_FILE),
            "the index did not change, so it is not rewritten"
        );
    }

    #[test]
    fn stale_owned_file_and_its_emptied_dirs_are_removed() {
        let (_temp, out) = scratch();
        write(
            &out,
            &[
                ("keep.yaml", "k"),
                ("gone/deep/old.yaml", "o"),
                ("half/x.yaml", "x"),
                ("half/y.yaml", "y"),
            ],
        );

        let report = write(&out, &[("keep.yaml", "k"), ("half/x.yaml", "x")]);

        assert_eq!(
            report.removed,
            strings(&["gone/deep/old.yaml", "half/y.yaml"])
        );
        assert_eq!(
            snapshot(&out).into_keys().collect::<Vec<_>>(),
            strings(&[INDEX_FILE, "half", "half/x.yaml", "keep.yaml"])
        );
        assert_eq!(
            read_index(&out).expect("index"),
            Some(strings(&["half/x.yaml", "keep.yaml"]).into_iter().collect())
        );
    }

    #[test]
    fn rendering_nothing_removes_everything_but_keeps_dir() {
        let (_temp, out) = scratch();
        write(&out, &[("sub/a.yaml", "a")]);
        let report = write(&out, &[]);
        assert_eq!(report.removed, strings(&["sub/a.yaml"]));
        expect_files(&out, &[(INDEX_FILE, &index_of(&[]))]);
        assert!(out.is_dir());
    }

    #[test]
    fn empty_tree_into_new_dir_writes_no_index() {
        let (_temp, out) = scratch();
        assert_eq!(write(&out, &[]), WriteReport::default());
        assert!(out.is_dir());
        expect_files(&out, &[]);
    }

    #[test]
    fn unrelated_foreign_files_are_left_alone() {
        let (_temp, out) = scratch();
        put(&out, "README.md", "mine");
        put(&out, "sub/notes.txt", "mine too");
        write(&out, &[("sub/a.yaml", "a"), ("b.yaml", "b")]);
        let report = write(&out, &[("c.yaml", "c")]);

        assert_eq!(report.removed, strings(&["b.yaml", "sub/a.yaml"]));
        expect_files(
            &out,
            &[
                ("README.md", "mine"),
                ("sub/notes.txt", "mine too"),
                ("c.yaml", "c"),
                (INDEX_FILE, &index_of(&["c.yaml"])),
            ],
        );
    }

    #[test]
    fn foreign_file_in_an_emptied_dir_keeps_the_dir() {
        let (_temp, out) = scratch();
        write(&out, &[("sub/inner/a.yaml", "a"), ("top.yaml", "t")]);
        put(&out, "sub/notes.txt", "not ours");

        let report = write(&out, &[("top.yaml", "t")]);

        assert_eq!(report.removed, strings(&["sub/inner/a.yaml"]));
        // `sub/inner` was emptied by us and goes; `sub` still holds a foreign
        // file and stays.
        assert_eq!(
            snapshot(&out).into_keys().collect::<Vec<_>>(),
            strings(&[INDEX_FILE, "sub", "sub/notes.txt", "top.yaml"])
        );
    }

    #[test]
    fn foreign_file_at_a_wanted_path_is_refused_before_any_change() {
        #[track_caller]
        fn case(previous: &[(&str, &str)], foreign: &str, wanted: &[(&str, &str)], blamed: &str) {
            let (_temp, out) = scratch();
            if !previous.is_empty() {
                write(&out, previous);
            }
            put(&out, foreign, "not ours");
            let before = snapshot(&out);

            let error = write_tree(&out, &tree(wanted)).expect_err("foreign file must be refused");

            match &error {
                WriteError::ForeignFile { path } => assert_eq!(*path, disk_path(&out, blamed)),
                other => panic!("expected ForeignFile, got {other:?}"),
            }
            assert!(
                error.to_string().contains(blamed),
                "message names the path: {error}"
            );
            assert_eq!(snapshot(&out), before, "nothing may change");
            // --check refuses the same way.
            assert!(matches!(
                check_tree(&out, &tree(wanted)),
                Err(WriteError::ForeignFile { .. })
            ));
        }
        // No index at all: a hand-made directory.
        case(&[], "b.yaml", &[("a.yaml", "a"), ("b.yaml", "b")], "b.yaml");
        // An index, other files changing and going stale, a foreign file in
        // the way: no change, no removal, no index update.
        case(
            &[("a.yaml", "a"), ("old.yaml", "o")],
            "sub/c.yaml",
            &[("a.yaml", "A"), ("new.yaml", "n"), ("sub/c.yaml", "c")],
            "sub/c.yaml",
        );
        // A foreign file where we need a directory.
        case(
            &[("a.yaml", "a")],
            "sub",
            &[("a.yaml", "a"), ("sub/c.yaml", "c")],
            "sub",
        );
        // A directory where we want a file, holding a foreign file.
        case(
            &[("a.yaml", "a")],
            "x.yaml/notes.txt",
            &[("x.yaml", "x")],
            "x.yaml/notes.txt",
        );
    }

    #[test]
    fn owned_file_can_become_a_directory_and_back() {
        let (_temp, out) = scratch();
        write(&out, &[("x", "file")]);

        let report = write(&out, &[("x/a.yaml", "a"), ("x/b/c.yaml", "c")]);
        assert_eq!(report.removed, strings(&["x"]));
        assert_eq!(report.written, strings(&["x/a.yaml", "x/b/c.yaml"]));
        expect_files(
            &out,
            &[
                ("x/a.yaml", "a"),
                ("x/b/c.yaml", "c"),
                (INDEX_FILE, &index_of(&["x/a.yaml", "x/b/c.yaml"])),
            ],
        );

        let report = write(&out, &[("x", "file again")]);
        assert_eq!(report.removed, strings(&["x/a.yaml", "x/b/c.yaml"]));
        expect_files(
            &out,
            &[("x", "file again"), (INDEX_FILE, &index_of(&["x"]))],
        );
    }

    #[test]
    fn malformed_index_is_an_error_and_changes_nothing() {
        #[track_caller]
        fn case(index: &[u8], line: usize, reason: &str) {
            let (_temp, out) = scratch();
            put(&out, "a.yaml", "owned?");
            fs::write(out.join(INDEX_FILE), index).expect("write index");
            let before = snapshot(&out);

            for result in [
                write_tree(&out, &tree(&[("b.yaml", "b")])).map(|_| ()),
                check_tree(&out, &tree(&[("b.yaml", "b")])).map(|_| ()),
                read_index(&out).map(|_| ()),
            ] {
                match result {
                    Err(WriteError::MalformedIndex {
                        path,
                        line: got,
                        reason: why,
                    }) => {
                        assert_eq!(path, out.join(INDEX_FILE));
                        assert_eq!(got, line, "line for {index:?} ({why})");
                        assert!(why.contains(reason), "{why:?} should contain {reason:?}");
                    }
                    other => panic!("{index:?}: expected MalformedIndex, got {other:?}"),
                }
            }
            assert_eq!(snapshot(&out), before);
        }
        let header = INDEX_HEADER;
        case(b"", 1, "newline");
        case(b"a.yaml\n", 1, "header");
        case(b"# some other header\na.yaml\n", 1, "header");
        case(format!("{header}\na.yaml").as_bytes(), 2, "newline");
        case(format!("{header}\r\na.yaml\r\n").as_bytes(), 1, "header");
        case(
            format!("{header}\na.yaml\r\n").as_bytes(),
            2,
            "carriage return",
        );
        case(format!("{header}\n\na.yaml\n").as_bytes(), 2, "empty");
        case(
            format!("{header}\na.yaml\n../escape.yaml\n").as_bytes(),
            3,
            "`..`",
        );
        case(format!("{header}\n/etc/passwd\n").as_bytes(), 2, "absolute");
        case(
            format!("{header}\nb.yaml\na.yaml\n").as_bytes(),
            3,
            "sorted",
        );
        case(
            format!("{header}\na.yaml\na.yaml\n").as_bytes(),
            3,
            "sorted and unique",
        );
        case(
            format!("{header}\n{INDEX_FILE}\n").as_bytes(),
            2,
            "index file",
        );
        case(
            &[header.as_bytes(), b"\na.yaml\n\xff.yaml\n"].concat(),
            3,
            "UTF-8",
        );
    }

    #[test]
    fn check_tree_reports_what_a_write_would_change() {
        #[track_caller]
        fn case(setup: impl FnOnce(&Path), files: &[(&str, &str)], expected: CheckReport) {
            let (_temp, out) = scratch();
            setup(&out);
            let before = snapshot(&out);
            let report = check(&out, files);
            assert_eq!(report, expected);
            assert_eq!(report.is_fresh(), expected == CheckReport::default());
            assert_eq!(snapshot(&out), before, "check_tree must not write");
        }
        let current = [("a.yaml", "a"), ("sub/b.yaml", "b")];

        // Fresh.
        case(
            |out| {
                write(out, &current);
            },
            &current,
            CheckReport::default(),
        );
        // Missing directory: everything missing, and not created.
        case(
            |_| {},
            &current,
            CheckReport {
                missing: strings(&["a.yaml", "sub/b.yaml"]),
                ..CheckReport::default()
            },
        );
        // A new file, and an owned file someone deleted.
        case(
            |out| {
                write(out, &current);
                fs::remove_file(out.join("a.yaml")).expect("rm");
            },
            &[("a.yaml", "a"), ("new.yaml", "n"), ("sub/b.yaml", "b")],
            CheckReport {
                missing: strings(&["a.yaml", "new.yaml"]),
                ..CheckReport::default()
            },
        );
        // Changed: by the render, or by hand on disk.
        case(
            |out| {
                write(out, &current);
                fs::write(out.join("a.yaml"), "edited by hand").expect("edit");
            },
            &[("a.yaml", "a"), ("sub/b.yaml", "B")],
            CheckReport {
                changed: strings(&["a.yaml", "sub/b.yaml"]),
                ..CheckReport::default()
            },
        );
        // Extra: owned, no longer rendered (present or already gone).
        case(
            |out| {
                write(
                    out,
                    &[("a.yaml", "a"), ("gone.yaml", "g"), ("sub/b.yaml", "b")],
                );
                fs::remove_file(out.join("gone.yaml")).expect("rm");
            },
            &[("a.yaml", "a")],
            CheckReport {
                extra: strings(&["gone.yaml", "sub/b.yaml"]),
                ..CheckReport::default()
            },
        );
        // Foreign files that are not in the way do not make it stale.
        case(
            |out| {
                write(out, &current);
                put(out, "README.md", "mine");
            },
            &current,
            CheckReport::default(),
        );
    }

    #[test]
    fn no_temp_files_are_left_behind() {
        let (_temp, out) = scratch();
        write(&out, &[("a.yaml", "a"), ("sub/b.yaml", "b")]);
        // A temp file left by a killed run is replaced when its file is next
        // written.
        put(&out, &format!("sub/.b.yaml{TMP_SUFFIX}"), "half-writ");
        write(
            &out,
            &[("a.yaml", "A"), ("sub/b.yaml", "B"), ("c.yaml", "c")],
        );
        write(&out, &[("sub/b.yaml", "BB")]);

        let leftovers: Vec<String> = snapshot(&out)
            .into_keys()
            .filter(|path| path.ends_with(TMP_SUFFIX))
            .collect();
        assert_eq!(leftovers, Vec::<String>::new());
        expect_files(
            &out,
            &[
                ("sub/b.yaml", "BB"),
                (INDEX_FILE, &index_of(&["sub/b.yaml"])),
            ],
        );
    }

    #[test]
    fn failure_midway_keeps_every_written_file_owned() {
        let (_temp, out) = scratch();
        write(&out, &[("old.yaml", "o")]);
        // A non-empty directory where the temp file of `b.yaml` goes makes
        // the write of `b.yaml` fail after `a.yaml` was written: a stand-in
        // for a disk filling up midway.
        let blocker = format!(".b.yaml{TMP_SUFFIX}");
        put(&out, &format!("{blocker}/x"), "in the way");
        let files = [("a.yaml", "a"), ("b.yaml", "b")];

        let error = write_tree(&out, &tree(&files)).expect_err("b.yaml cannot be written");
        match &error {
            WriteError::Io { path, .. } => assert_eq!(*path, out.join(&blocker)),
            other => panic!("expected Io, got {other:?}"),
        }
        // a.yaml is on disk and claimed; old.yaml is still there and owned.
        assert!(out.join("a.yaml").is_file());
        assert!(out.join("old.yaml").is_file());
        assert_eq!(
            read_index(&out).expect("index"),
            Some(
                strings(&["a.yaml", "b.yaml", "old.yaml"])
                    .into_iter()
                    .collect()
            )
        );
        assert!(!check(&out, &files).is_fresh());

        // Once the cause is gone, a rerun finishes the job.
        fs::remove_dir_all(out.join(&blocker)).expect("clear blocker");
        let report = write(&out, &files);
        assert_eq!(report.written, strings(&["b.yaml"]));
        assert_eq!(report.unchanged, strings(&["a.yaml"]));
        assert_eq!(report.removed, strings(&["old.yaml"]));
        expect_files(
            &out,
            &[
                ("a.yaml", "a"),
                ("b.yaml", "b"),
                (INDEX_FILE, &index_of(&["a.yaml", "b.yaml"])),
            ],
        );
    }

    #[test]
    fn dir_that_is_a_file_is_an_error() {
        let (temp, _) = scratch();
        let out = temp.path().join("file");
        fs::write(&out, "x").expect("write");
        for error in [
            write_tree(&out, &tree(&[("a.yaml", "a")])).map(|_| ()),
            check_tree(&out, &tree(&[("a.yaml", "a")])).map(|_| ()),
        ] {
            assert!(
                matches!(&error, Err(WriteError::UnexpectedKind { path, expected: "a directory", .. }) if *path == out),
                "{error:?}"
            );
        }
    }

    #[cfg(unix)]
    #[test]
    fn symlinks_below_dir_are_never_followed() {
        use std::os::unix::fs::symlink;

        let (temp, out) = scratch();
        let elsewhere = temp.path().join("elsewhere");
        fs::create_dir(&elsewhere).expect("mkdir");
        fs::write(elsewhere.join("victim.yaml"), "precious").expect("write");
        write(&out, &[("sub/victim.yaml", "ours"), ("top.yaml", "t")]);
        fs::remove_dir_all(out.join("sub")).expect("rm");
        symlink(&elsewhere, out.join("sub")).expect("symlink");
        let before = snapshot(temp.path());

        // Writing through the link is refused...
        let error = write_tree(&out, &tree(&[("sub/victim.yaml", "overwritten")]))
            .expect_err("must not write through a symlink");
        assert!(
            matches!(&error, WriteError::UnexpectedKind { path, found, .. } if *path == out.join("sub") && found.contains("symlink")),
            "{error:?}"
        );
        assert_eq!(snapshot(temp.path()), before);

        // ...and removing the stale owned path behind it leaves it alone.
        let report = write(&out, &[("top.yaml", "t")]);
        assert_eq!(report.removed, Vec::<String>::new());
        assert_eq!(
            fs::read_to_string(elsewhere.join("victim.yaml")).expect("read"),
            "precious"
        );
        assert_eq!(
            read_index(&out).expect("index"),
            Some(strings(&["top.yaml"]).into_iter().collect())
        );

        // An owned file replaced by a symlink is not ours to overwrite.
        symlink(elsewhere.join("victim.yaml"), out.join("top.yaml.tmp-link")).expect("symlink");
        fs::rename(out.join("top.yaml.tmp-link"), out.join("top.yaml")).expect("swap");
        let error =
            write_tree(&out, &tree(&[("top.yaml", "T")])).expect_err("owned path is a link");
        assert!(
            matches!(
                error,
                WriteError::UnexpectedKind {
                    expected: "a regular file",
                    ..
                }
            ),
            "{error:?}"
        );
        assert_eq!(
            fs::read_to_string(elsewhere.join("victim.yaml")).expect("read"),
            "precious"
        );
    }

    #[test]
    fn io_error_names_path_and_keeps_os_error_as_source() {
        let error = io_error(
            Path::new("out/a.yaml"),
            "read",
            io::Error::other("disk on fire"),
        );
        assert_eq!(error.to_string(), "could not read out/a.yaml");
        let source = std::error::Error::source(&error)
            .expect("source")
            .to_string();
        assert_eq!(source, "disk on fire");
    }
}

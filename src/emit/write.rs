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
//! Whatever ends a run (an error, a full disk, `kill -9`, the OOM killer, a
//! panic), the directory afterwards holds the complete old tree or the
//! complete new one, foreign files untouched, as far as any later platformgen
//! command can tell: it either sees one of the two trees, or finds an
//! unfinished write, which readers refuse and the next write finishes. `dir`
//! may hold files that are not ours, so it cannot be built beside and swapped
//! in; the whole-tree guarantee comes from a journal instead, as databases do:
//!
//! 1. **Lock.** [`LOCK_FILE`] is locked exclusively with an OS advisory lock,
//!    which dies with the process; a second writer fails at once with
//!    [`WriteError::Locked`] rather than interleave its changes.
//! 2. **Recover** what a previous run left unfinished (below).
//! 3. **Plan.** Every check that can refuse the write (index, foreign files,
//!    symlinks) runs before the first change: a refused write changes
//!    nothing but creating `dir` and the lock file. The render is complete in
//!    memory before that: invalid input fails before this module runs.
//! 4. **Stage.** Each new or changed file is written into [`STAGING_DIR`],
//!    named by its number in the journal; then the journal itself: the owned
//!    files and directories to clear out of the way, the files to install,
//!    the stale files to remove, the new index. The tree is unchanged so far.
//! 5. **Commit**: the journal is renamed to [`JOURNAL_FILE`]. One rename, so
//!    the journal is either absent or complete.
//! 6. **Roll forward**: clear, install (rename each staged file over its
//!    target), remove stale files and the directories that left empty, write
//!    the index (temp file and rename), remove the staging area, and last the
//!    journal. Every step checks what is already done, so rolling forward
//!    again after an interruption does only the rest.
//!
//! Recovery, at the start of every write, under the lock: a journal means the
//! interrupted run committed, so it is rolled forward to its new tree (the
//! staged files are there); a staging area without a journal means it did
//! not, so the staging area is deleted and the old tree, never touched, stays.
//! Readers ([`check_tree`], [`read_index`], and `diff --against` through
//! [`lock_for_reading`]) do not repair: they take the lock shared (so no
//! writer starts while they read) and refuse a journal with
//! [`WriteError::Unfinished`], which tells the user to run the write again.
//! They ignore a staging area: the tree beside it is the old one.
//!
//! Unchanged files are neither staged nor rewritten (their mtime stays), nor
//! is an unchanged index; a render that changes nothing writes no journal.
//! The lock file is created on the first write and stays (removing it would
//! let two processes lock two different files); it is empty.
//!
//! Not covered: power loss or an operating system crash. Nothing is fsynced:
//! that would cost one fsync per staged file (13,000 of them when a large
//! platform changes everything), and the tree is derived data: if a crash of
//! the machine left a file empty, `--check` reports it changed and the next
//! render rewrites it. Each output directory is atomic on its own: `render
//! --all` writes one per environment, one after the other, so an
//! interrupted `render --all` may leave `dev` new and `prod` old.
//!
//! # Never leaving `dir`
//!
//! Paths are joined one component at a time onto `dir`, and every component
//! below `dir` is inspected without following symlinks: a symlink where we
//! need a directory or an owned file is an error ([`WriteError::UnexpectedKind`]),
//! and a stale owned path behind a symlink is left alone. `dir` itself may be a
//! symlink; the user chose it.
//!
//! # Output directories that are refused
//!
//! [`check_out_dir`] refuses, before anything is read or written, an output
//! directory that is a file system root, that is or contains the platform
//! directory (`--out .`, `--out ..`: pruning and foreign-file rules would
//! then apply to the spec itself, and `--all` would write an environment
//! beside `platform.yaml`), or that lies in its `environments/` directory
//! (every file there is read as an environment). Paths are resolved as the
//! OS will resolve them: the longest existing prefix is canonicalized
//! (symlinks, `..`), and `..` after it removes the component before, as it
//! will once that component is created.
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

use std::collections::{BTreeMap, BTreeSet};
use std::fs::{self, File, OpenOptions, TryLockError};
use std::io::{self, Write as _};
use std::path::{Component, Path, PathBuf};

use super::output::{OutputTree, relative_path_problem};

use super::reserved::TMP_SUFFIX;
pub use super::reserved::{INDEX_FILE, JOURNAL_FILE, LOCK_FILE, STAGING_DIR};

/// Name of the journal inside [`STAGING_DIR`] until it is committed.
const JOURNAL_DRAFT: &str = "journal";

/// First line of every journal. A later format would change it, which this
/// version then refuses as malformed rather than guess.
const JOURNAL_HEADER: &str =
    "# platformgen journal v1: a committed write of this directory, not finished yet. Do not edit.";

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
    /// What was done, before this write, about a write a previous run left
    /// unfinished, if there was one.
    pub recovered: Option<Recovery>,
}

/// How [`write_tree`] dealt with a write an earlier run left unfinished.
#[derive(Copy, Clone, Debug, PartialEq, Eq)]
pub enum Recovery {
    /// It had committed: its journal was rolled forward, so its tree was
    /// complete before this write started.
    Finished,
    /// It had not committed: its staged files were deleted; the tree was
    /// still the one before it.
    Discarded,
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
    /// Another process holds the lock of `dir`: a second writer must not
    /// interleave its changes with the first's.
    #[error(
        "`{}` is in use by another platformgen process (it holds {LOCK_FILE} there); \
         wait for it to finish, then run again",
        dir.display()
    )]
    Locked { dir: PathBuf },
    /// A write into `dir` committed and was interrupted before it finished:
    /// the files on disk are partly old and partly new.
    #[error(
        "`{}` holds an unfinished write: a platformgen run was interrupted after it committed \
         to a new tree ({JOURNAL_FILE} is there); run the same `platformgen render` or \
         `platformgen kustomize` with this --out again to finish it",
        dir.display()
    )]
    Unfinished { dir: PathBuf },
    /// The journal cannot be read back exactly; `line` is 1-based.
    #[error(
        "malformed platformgen journal {}, line {line}: {reason}; the directory may be half \
         written: delete {JOURNAL_FILE} and {STAGING_DIR} there, check the directory, \
         then render again",
        path.display()
    )]
    MalformedJournal {
        path: PathBuf,
        line: usize,
        reason: String,
    },
    /// `--out` names a directory platformgen must not write into.
    #[error(
        "refusing to use `{}` as the output directory: {reason}; choose a directory of its own, \
         such as `deploy`",
        out.display()
    )]
    DangerousOut { out: PathBuf, reason: String },
}

/// Writes `tree` into `dir` (created if missing), as described in the module
/// doc: locks `dir`, finishes or discards a write an earlier run left
/// unfinished, refuses before any change if a needed path is not ours, then
/// stages, commits and rolls forward, so that the tree is replaced as a whole.
pub fn write_tree(dir: &Path, tree: &OutputTree) -> Result<WriteReport, WriteError> {
    // `dir` itself is followed if it is a symlink: the user named it.
    match fs::metadata(dir) {
        Ok(meta) if meta.is_dir() => {}
        Ok(meta) => {
            return Err(WriteError::UnexpectedKind {
                path: dir.to_path_buf(),
                expected: "a directory",
                found: Kind::of(&meta).describe(),
            });
        }
        Err(error) if error.kind() == io::ErrorKind::NotFound => {
            fs::create_dir_all(dir).map_err(|e| io_error(dir, "create directory", e))?;
            fault::step();
        }
        Err(error) => return Err(io_error(dir, "inspect", error)),
    }
    let _lock = lock_for_writing(dir)?;
    let recovered = recover(dir)?;
    let plan = Plan::make(dir, tree)?;
    let mut report = plan.report();
    report.recovered = recovered;
    let journal = plan.journal(tree);
    if plan.changes_nothing(&journal) {
        return Ok(report);
    }
    if let Err(error) = stage(dir, &journal, tree) {
        // Best effort: the next write discards the staging area anyway.
        let _ = fs::remove_dir_all(dir.join(STAGING_DIR));
        return Err(error);
    }
    commit(dir)?;
    roll_forward(dir, &journal)?;
    Ok(report)
}

/// Compares `tree` with `dir` without writing anything. A missing `dir` means
/// every file is missing. Fails where [`write_tree`] would refuse (a foreign
/// file in the way, a malformed index), since the render could not be written,
/// and on an unfinished write ([`WriteError::Unfinished`]), which is neither
/// tree; holds the lock shared while it reads.
pub fn check_tree(dir: &Path, tree: &OutputTree) -> Result<CheckReport, WriteError> {
    let _lock = lock_for_reading(dir)?;
    let plan = Plan::make(dir, tree)?;
    Ok(CheckReport {
        missing: plan.paths_with(Action::Create),
        changed: plan.paths_with(Action::Change),
        extra: plan.stale,
    })
}

/// The paths the index in `dir` lists, or `None` if there is no index (or no
/// `dir`). For readers of a previous render, such as `diff --against DIR`,
/// which should hold [`lock_for_reading`] while they read the files. An
/// unfinished write is [`WriteError::Unfinished`]: its index is not yet the
/// new one, and some files may already be.
pub fn read_index(dir: &Path) -> Result<Option<BTreeSet<String>>, WriteError> {
    refuse_unfinished(dir)?;
    Ok(load_index(dir)?.map(|(_, owned)| owned))
}

/// True when `dir` holds a write that committed and did not finish. For
/// readers deciding whether a directory is a render at all: one is, and
/// reading it says why it cannot be read.
pub fn has_unfinished_write(dir: &Path) -> bool {
    Kind::at(&dir.join(JOURNAL_FILE)).is_ok_and(|kind| kind != Kind::Missing)
}

/// A lock on an output directory, released when dropped (or when the process
/// dies, however it dies).
#[derive(Debug)]
pub struct DirLock {
    /// `None` for a reader of a directory no write has locked yet: there is
    /// no lock file, and readers do not create one.
    _file: Option<File>,
}

/// Locks `dir` shared, for reading a tree: no write can start while the lock
/// is held. Fails at once if a write is running ([`WriteError::Locked`]), and
/// on an unfinished write ([`WriteError::Unfinished`]). A missing `dir`, or
/// one without a lock file, needs no lock: readers never write, not even the
/// lock file.
pub fn lock_for_reading(dir: &Path) -> Result<DirLock, WriteError> {
    let path = dir.join(LOCK_FILE);
    let file = match File::open(&path) {
        Ok(file) => Some(file),
        Err(error) if is_absent(&error) => None,
        Err(error) => return Err(io_error(&path, "open", error)),
    };
    if let Some(file) = &file {
        match file.try_lock_shared() {
            Ok(()) => {}
            Err(TryLockError::WouldBlock) => {
                return Err(WriteError::Locked {
                    dir: dir.to_path_buf(),
                });
            }
            Err(TryLockError::Error(error)) => return Err(io_error(&path, "lock", error)),
        }
    }
    refuse_unfinished(dir)?;
    Ok(DirLock { _file: file })
}

/// Locks `dir` (which exists) exclusively, creating the lock file if needed.
fn lock_for_writing(dir: &Path) -> Result<DirLock, WriteError> {
    let path = dir.join(LOCK_FILE);
    // Opening follows symlinks, and creating through a dangling one would
    // create a file outside `dir`.
    let kind = Kind::at(&path)?;
    if !matches!(kind, Kind::File | Kind::Missing) {
        return Err(WriteError::UnexpectedKind {
            path,
            expected: "a regular file",
            found: kind.describe(),
        });
    }
    let file = OpenOptions::new()
        .read(true)
        .write(true)
        .create(true)
        .truncate(false)
        .open(&path)
        .map_err(|e| io_error(&path, "create", e))?;
    if kind == Kind::Missing {
        fault::step();
    }
    match file.try_lock() {
        Ok(()) => Ok(DirLock { _file: Some(file) }),
        Err(TryLockError::WouldBlock) => Err(WriteError::Locked {
            dir: dir.to_path_buf(),
        }),
        Err(TryLockError::Error(error)) => Err(io_error(&path, "lock", error)),
    }
}

fn refuse_unfinished(dir: &Path) -> Result<(), WriteError> {
    match Kind::at(&dir.join(JOURNAL_FILE))? {
        Kind::Missing => Ok(()),
        _ => Err(WriteError::Unfinished {
            dir: dir.to_path_buf(),
        }),
    }
}

/// Refuses `out` as an output directory for the platform in `platform_dir`
/// if writing there could clobber the spec or the whole machine (see "Output
/// directories that are refused" in the module doc). Call it before anything
/// else, `--check` included: `--check` of `/` would list the files it means
/// to create there.
pub fn check_out_dir(out: &Path, platform_dir: &Path) -> Result<(), WriteError> {
    let refuse = |reason: String| {
        Err(WriteError::DangerousOut {
            out: out.to_path_buf(),
            reason,
        })
    };
    let resolved = resolve(out)?;
    let platform = resolve(platform_dir)?;
    let environments = resolve(&platform_dir.join("environments"))?;
    if resolved.parent().is_none() {
        return refuse(format!(
            "`{}` is the root of a file system",
            resolved.display()
        ));
    }
    if resolved == platform {
        return refuse(format!(
            "it is the platform directory `{}`",
            platform.display()
        ));
    }
    if platform.starts_with(&resolved) {
        return refuse(format!(
            "`{}` contains the platform directory `{}`",
            resolved.display(),
            platform.display()
        ));
    }
    if resolved.starts_with(&environments) {
        return refuse(format!(
            "`{}` is in the environments directory `{}`, where every file is read as an \
             environment",
            resolved.display(),
            environments.display()
        ));
    }
    Ok(())
}

/// `path` as the OS will resolve it once the missing part is created:
/// absolute, symlinks and `..` resolved in the part that exists, `..` in the
/// part that does not removing the component before it.
fn resolve(path: &Path) -> Result<PathBuf, WriteError> {
    let absolute = if path.is_absolute() {
        path.to_path_buf()
    } else {
        let cwd = std::env::current_dir()
            .map_err(|e| io_error(Path::new("."), "resolve the current directory", e))?;
        cwd.join(path)
    };
    let mut resolved = PathBuf::new();
    for component in absolute.components() {
        match component {
            Component::Prefix(_) | Component::RootDir => resolved.push(component),
            Component::CurDir => {}
            Component::ParentDir => {
                resolved.pop();
            }
            Component::Normal(name) => {
                resolved.push(name);
                match fs::canonicalize(&resolved) {
                    Ok(canonical) => resolved = canonical,
                    Err(error) if is_absent(&error) => {}
                    Err(error) => return Err(io_error(&resolved, "resolve", error)),
                }
            }
        }
    }
    Ok(resolved)
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
        let mut plan = Plan::default();
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
        // The directories on the way first, in tree order: few, shared, and
        // what they hold decides what each file's place can be.
        let files: Vec<(&str, &str)> = tree.iter().collect();
        let mut on_the_way = Vec::with_capacity(files.len());
        let mut refused = None;
        for (path, _) in &files {
            match plan.ancestors_action(dir, path, &mut probe) {
                Ok(action) => on_the_way.push(action),
                Err(error) => {
                    refused = Some(error);
                    break;
                }
            }
        }
        // Then each file's own place: one system call or three per file
        // (inspect, and read to compare when the size matches), all
        // independent, so on two threads.
        let owned = &plan.owned;
        let places = crate::parallel::map_in_order(
            &files[..on_the_way.len()],
            FILES_INSPECTED_AT_ONCE,
            |&(path, content)| inspect_place(dir, path, content, owned.contains(path)),
        );
        // In tree order, so that the first refusal is the one a write file by
        // file would meet.
        for ((path, _), (action, place)) in files.iter().zip(on_the_way.into_iter().zip(places)) {
            let action = match action {
                Some(action) => action,
                None => match place {
                    Ok(Place::Ready(action)) => action,
                    Ok(Place::Dir) => {
                        plan.collect_owned_subtree(dir, path)?;
                        Action::Create
                    }
                    // Inspected only when every ancestor is a real directory.
                    Err(error) => return Err(error),
                },
            };
            plan.actions.push(((*path).to_owned(), action));
        }
        if let Some(error) = refused {
            return Err(error);
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

    /// Inspects the directories on the way to one tree file; schedules
    /// clearing owned files in its way; refuses anything foreign there.
    /// `Some(Create)` when one of them is missing (or will be), `None` when
    /// all are real directories and the file's own place decides.
    fn ancestors_action(
        &mut self,
        dir: &Path,
        path: &str,
        probe: &mut Probe,
    ) -> Result<Option<Action>, WriteError> {
        for ancestor in ancestors(path) {
            if probe.real_dirs.contains(ancestor) {
                continue;
            }
            if probe.absent.contains(ancestor) {
                return Ok(Some(Action::Create));
            }
            let disk = disk_path(dir, ancestor);
            match Kind::at(&disk)? {
                Kind::Dir => {
                    probe.real_dirs.insert(ancestor.to_owned());
                }
                Kind::Missing => {
                    probe.absent.insert(ancestor.to_owned());
                    return Ok(Some(Action::Create));
                }
                // An owned file where we now need a directory: the tree
                // cannot also contain it (OutputTree forbids file-in-file),
                // so it is stale and goes first.
                Kind::File if self.owned.contains(ancestor) => {
                    self.clear_files.insert(ancestor.to_owned());
                    probe.absent.insert(ancestor.to_owned());
                    return Ok(Some(Action::Create));
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
        Ok(None)
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

    /// What the write will have done, once it is done.
    fn report(&self) -> WriteReport {
        let mut report = WriteReport::default();
        for (path, action) in &self.actions {
            match action {
                Action::Unchanged => report.unchanged.push(path.clone()),
                Action::Create | Action::Change => report.written.push(path.clone()),
            }
        }
        report.removed = self
            .clear_files
            .union(&self.remove_files)
            .cloned()
            .collect();
        report
    }

    /// The journal of this write (see the module doc).
    fn journal(&self, tree: &OutputTree) -> Journal {
        Journal {
            clear_files: self.clear_files.iter().cloned().collect(),
            clear_dirs: self.clear_dirs.iter().cloned().collect(),
            install: self
                .actions
                .iter()
                .filter(|(_, action)| *action != Action::Unchanged)
                .map(|(path, _)| path.clone())
                .collect(),
            remove: self.remove_files.iter().cloned().collect(),
            index: tree.iter().map(|(path, _)| path.to_owned()).collect(),
        }
    }

    /// True if the write has nothing to do: no file to install or remove, and
    /// the index is already the new one (or there is none and the tree is
    /// empty: a directory without a render needs no empty index).
    fn changes_nothing(&self, journal: &Journal) -> bool {
        let index_is_current = match &self.old_index {
            Some(text) => *text == journal.index_text(),
            None => journal.index.is_empty(),
        };
        journal.clear_files.is_empty()
            && journal.clear_dirs.is_empty()
            && journal.install.is_empty()
            && journal.remove.is_empty()
            && index_is_current
    }
}

/// Everything a committed write still has to do, in the order it does it.
/// Written to disk before the commit point, so that a later run can finish
/// what an interrupted one committed to. Format (UTF-8, `\n` line endings):
/// [`JOURNAL_HEADER`], then one `KEYWORD PATH` line per entry, keywords in
/// this order: `clear-file` (an owned file where the tree needs a directory,
/// or inside an owned directory where it needs a file), `clear-dir` (such a
/// directory), `install` (the n-th is staged as [`STAGING_DIR`]`/n`),
/// `remove` (a stale owned file), `index` (a path of the new index).
#[derive(Debug, Default, PartialEq, Eq)]
struct Journal {
    clear_files: Vec<String>,
    /// Sorted, so reverse order visits a directory's descendants before it.
    clear_dirs: Vec<String>,
    install: Vec<String>,
    remove: Vec<String>,
    /// Sorted and unique, as in the index.
    index: Vec<String>,
}

impl Journal {
    const KEYWORDS: [&'static str; 5] = ["clear-file", "clear-dir", "install", "remove", "index"];

    fn sections(&self) -> [&Vec<String>; 5] {
        [
            &self.clear_files,
            &self.clear_dirs,
            &self.install,
            &self.remove,
            &self.index,
        ]
    }

    fn render(&self) -> String {
        let mut text = format!("{JOURNAL_HEADER}\n");
        for (keyword, paths) in Self::KEYWORDS.iter().zip(self.sections()) {
            for path in paths {
                text.push_str(keyword);
                text.push(' ');
                text.push_str(path);
                text.push('\n');
            }
        }
        text
    }

    /// Parses a journal strictly: it decides what is removed, so anything
    /// this version would not have written is an error, never a guess.
    fn parse(path: &Path, bytes: Vec<u8>) -> Result<Self, WriteError> {
        let malformed = |line: usize, reason: String| WriteError::MalformedJournal {
            path: path.to_path_buf(),
            line,
            reason,
        };
        let text =
            String::from_utf8(bytes).map_err(|_| malformed(1, "is not valid UTF-8".to_owned()))?;
        let Some(body) = text.strip_suffix('\n') else {
            let line = text.split('\n').count();
            return Err(malformed(line, "does not end with a newline".to_owned()));
        };
        let mut lines = body.split('\n');
        if lines.next() != Some(JOURNAL_HEADER) {
            return Err(malformed(
                1,
                format!("expected the header {JOURNAL_HEADER:?}"),
            ));
        }
        let mut journal = Journal::default();
        let mut section = 0;
        for (number, line) in (2..).zip(lines) {
            let Some((keyword, entry)) = line.split_once(' ') else {
                return Err(malformed(number, format!("{line:?} is not `KEYWORD PATH`")));
            };
            let Some(position) = Self::KEYWORDS.iter().position(|known| *known == keyword) else {
                return Err(malformed(number, format!("unknown keyword {keyword:?}")));
            };
            if position < section {
                return Err(malformed(
                    number,
                    format!("{keyword:?} after {:?}", Self::KEYWORDS[section]),
                ));
            }
            section = position;
            if let Some(problem) = relative_path_problem(entry) {
                return Err(malformed(number, format!("path {entry:?} {problem}")));
            }
            let paths = match position {
                0 => &mut journal.clear_files,
                1 => &mut journal.clear_dirs,
                2 => &mut journal.install,
                3 => &mut journal.remove,
                _ => &mut journal.index,
            };
            paths.push(entry.to_owned());
        }
        if !journal.index.is_sorted_by(|a, b| a < b) {
            return Err(malformed(
                1,
                "the index entries are not sorted and unique".to_owned(),
            ));
        }
        Ok(journal)
    }

    fn index_text(&self) -> String {
        render_index(self.index.iter().map(String::as_str))
    }
}

/// Writes each file to install into the staging area, then the journal
/// beside them. Changes nothing of the tree: until [`commit`], the directory
/// holds the old tree, plus a staging area the next write deletes.
fn stage(dir: &Path, journal: &Journal, tree: &OutputTree) -> Result<(), WriteError> {
    let staging = dir.join(STAGING_DIR);
    fs::create_dir(&staging).map_err(|e| io_error(&staging, "create directory", e))?;
    fault::step();
    for (number, path) in journal.install.iter().enumerate() {
        let content = tree.get(path).unwrap_or_default();
        create_file(&staging.join(number.to_string()), content)?;
    }
    create_file(&staging.join(JOURNAL_DRAFT), &journal.render())
}

/// The commit point: the complete journal becomes [`JOURNAL_FILE`].
fn commit(dir: &Path) -> Result<(), WriteError> {
    let target = dir.join(JOURNAL_FILE);
    fs::rename(dir.join(STAGING_DIR).join(JOURNAL_DRAFT), &target)
        .map_err(|e| io_error(&target, "commit", e))?;
    fault::step();
    Ok(())
}

/// Does what `journal` says, skipping what is already done, so it finishes a
/// write wherever it was interrupted, and removes the journal last.
fn roll_forward(dir: &Path, journal: &Journal) -> Result<(), WriteError> {
    for path in &journal.clear_files {
        let disk = disk_path(dir, path);
        // Once the tree is installed, a directory may stand here: not ours to
        // clear any more.
        if Kind::at(&disk)? == Kind::File {
            remove_file(dir, path)?;
        }
    }
    for path in journal.clear_dirs.iter().rev() {
        let disk = disk_path(dir, path);
        if Kind::at(&disk)? == Kind::Dir {
            fs::remove_dir(&disk).map_err(|e| io_error(&disk, "remove directory", e))?;
            fault::step();
        }
    }

    let staging = dir.join(STAGING_DIR);
    // Directories known to exist, so that 13,000 files in a few hundred
    // directories cost a few hundred `mkdir`s, not 13,000.
    let mut made: BTreeSet<&str> = BTreeSet::new();
    for (number, path) in journal.install.iter().enumerate() {
        let staged = staging.join(number.to_string());
        if let Some((parent, _)) = path.rsplit_once('/')
            && !made.contains(parent)
        {
            // Safe to follow: every existing component was checked to be
            // a real directory when planning.
            let disk = disk_path(dir, parent);
            if Kind::at(&disk)? != Kind::Dir {
                fs::create_dir_all(&disk).map_err(|e| io_error(&disk, "create directory", e))?;
                fault::step();
            }
            made.insert(parent);
        }
        let target = disk_path(dir, path);
        // Renamed without looking first: looking costs a system call per
        // file, and only a write rolled forward a second time finds staged
        // files gone.
        match fs::rename(&staged, &target) {
            Ok(()) => fault::step(),
            // Gone from the staging area: installed before an interruption.
            Err(error) if is_absent(&error) && Kind::at(&staged)? == Kind::Missing => {}
            Err(error) => return Err(io_error(&target, "replace", error)),
        }
    }
    remove_legacy_temps(dir, &journal.install);

    for path in &journal.remove {
        if Kind::at(&disk_path(dir, path))? == Kind::File {
            remove_file(dir, path)?;
        }
    }
    let removed: BTreeSet<String> = journal
        .clear_files
        .iter()
        .chain(&journal.remove)
        .cloned()
        .collect();
    let cleared: BTreeSet<String> = journal.clear_dirs.iter().cloned().collect();
    prune_emptied_dirs(dir, &removed, &cleared)?;

    let index = journal.index_text();
    let on_disk = load_index(dir)?.map(|(text, _)| text);
    if on_disk.as_deref() != Some(index.as_str()) {
        write_atomically(dir, INDEX_FILE, &index)?;
    }
    if Kind::at(&staging)? != Kind::Missing {
        fs::remove_dir_all(&staging).map_err(|e| io_error(&staging, "remove directory", e))?;
        fault::step();
    }
    let path = dir.join(JOURNAL_FILE);
    fs::remove_file(&path).map_err(|e| io_error(&path, "remove", e))?;
    fault::step();
    Ok(())
}

/// Finishes or discards a write an earlier run left unfinished (see the
/// module doc). Runs under the exclusive lock, before planning.
fn recover(dir: &Path) -> Result<Option<Recovery>, WriteError> {
    let path = dir.join(JOURNAL_FILE);
    match Kind::at(&path)? {
        Kind::Missing => {}
        Kind::File => {
            let bytes = fs::read(&path).map_err(|e| io_error(&path, "read", e))?;
            roll_forward(dir, &Journal::parse(&path, bytes)?)?;
            return Ok(Some(Recovery::Finished));
        }
        kind => {
            return Err(WriteError::UnexpectedKind {
                path,
                expected: "a regular file",
                found: kind.describe(),
            });
        }
    }
    let staging = dir.join(STAGING_DIR);
    match Kind::at(&staging)? {
        Kind::Missing => return Ok(None),
        // `remove_dir_all` does not follow symlinks inside it.
        Kind::Dir => fs::remove_dir_all(&staging),
        // A link is removed, not followed.
        _ => fs::remove_file(&staging),
    }
    .map_err(|e| io_error(&staging, "remove", e))?;
    fault::step();
    Ok(Some(Recovery::Discarded))
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

/// Tree files each thread inspects at a time: enough that taking them costs
/// nothing beside their system calls.
const FILES_INSPECTED_AT_ONCE: usize = 64;

/// What stands at a tree file's own place, its directories being real.
enum Place {
    /// The file's action: created where nothing is, rewritten or left as it
    /// is where an owned file is.
    Ready(Action),
    /// A directory where the tree now wants a file: fine only if it holds
    /// nothing but files we own (all stale, as the file replaces them).
    Dir,
}

/// Inspects the place of one tree file whose directories are all real: no
/// state, so files are inspected on two threads. Refuses anything foreign.
fn inspect_place(dir: &Path, path: &str, content: &str, owned: bool) -> Result<Place, WriteError> {
    let disk = disk_path(dir, path);
    let meta = match fs::symlink_metadata(&disk) {
        Ok(meta) => meta,
        Err(error) if is_absent(&error) => return Ok(Place::Ready(Action::Create)),
        Err(error) => return Err(io_error(&disk, "inspect", error)),
    };
    match Kind::of(&meta) {
        Kind::File if !owned => Err(WriteError::ForeignFile { path: disk }),
        Kind::File => {
            // Same length first: most changes change the size, and then
            // there is no need to read the old file.
            let same = meta.len() == content.len() as u64
                && fs::read(&disk).map_err(|e| io_error(&disk, "read", e))? == content.as_bytes();
            Ok(Place::Ready(if same {
                Action::Unchanged
            } else {
                Action::Change
            }))
        }
        Kind::Dir => Ok(Place::Dir),
        kind if owned => Err(WriteError::UnexpectedKind {
            path: disk,
            expected: "a regular file",
            found: kind.describe(),
        }),
        Kind::Symlink | Kind::Other | Kind::Missing => Err(WriteError::ForeignFile { path: disk }),
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

/// Creates the new file `path` holding `content`. `create_new` refuses to
/// follow a symlink planted there.
fn create_file(path: &Path, content: &str) -> Result<(), WriteError> {
    let mut file = OpenOptions::new()
        .write(true)
        .create_new(true)
        .open(path)
        .map_err(|e| io_error(path, "create", e))?;
    fault::step();
    file.write_all(content.as_bytes())
        .map_err(|e| io_error(path, "write", e))?;
    fault::step();
    Ok(())
}

/// The temp file [`write_atomically`] writes beside `target`.
fn temp_beside(target: &Path) -> PathBuf {
    let name = target
        .file_name()
        .map(|name| name.to_string_lossy())
        .unwrap_or_default();
    target.with_file_name(format!(".{name}{TMP_SUFFIX}"))
}

/// Below this many files installed in one directory, a removal is tried
/// beside each; from it on, the directory is listed once. A listing costs
/// as many entries as the directory holds, so a write that changes a few
/// files of a large directory must not pay for it.
const LISTED_FROM: usize = 64;

/// Removes the temp files an earlier platformgen (which wrote each file
/// through one beside it) may have left beside the files in `installed`
/// when it was killed: ours, and would otherwise stay forever. Best effort.
/// A removal tried beside every file nearly always finds nothing (147,000
/// failed system calls for a fresh 10,000-service Kustomize tree), so a
/// directory that received many files is listed once instead.
fn remove_legacy_temps(dir: &Path, installed: &[String]) {
    let mut by_dir: BTreeMap<&str, BTreeSet<&str>> = BTreeMap::new();
    for path in installed {
        let (parent, name) = path.rsplit_once('/').unwrap_or(("", path));
        by_dir.entry(parent).or_default().insert(name);
    }
    for (parent, names) in by_dir {
        let disk = if parent.is_empty() {
            dir.to_path_buf()
        } else {
            disk_path(dir, parent)
        };
        if names.len() < LISTED_FROM {
            for name in names {
                if fs::remove_file(temp_beside(&disk.join(name))).is_ok() {
                    fault::step();
                }
            }
            continue;
        }
        // Failing (a directory gone or unreadable) must not stop a
        // committed write from finishing.
        let Ok(entries) = fs::read_dir(&disk) else {
            continue;
        };
        for entry in entries.flatten() {
            let file_name = entry.file_name();
            let beside = file_name
                .to_str()
                .and_then(|name| name.strip_prefix('.'))
                .and_then(|name| name.strip_suffix(TMP_SUFFIX));
            if beside.is_some_and(|name| names.contains(name))
                && fs::remove_file(entry.path()).is_ok()
            {
                fault::step();
            }
        }
    }
}

/// Replaces `dir/rel` with `content` by writing a temp file beside it and
/// renaming it over the target, so a reader sees the old or the new file,
/// never half of one. Used for the index, the last file a write changes.
fn write_atomically(dir: &Path, rel: &str, content: &str) -> Result<(), WriteError> {
    let target = disk_path(dir, rel);
    let tmp = temp_beside(&target);
    // A temp file left by a killed run is ours: clear it. `remove_file` on a
    // symlink removes the link, and `create_new` refuses to follow one, so a
    // planted link cannot redirect the write.
    if Kind::at(&tmp)? != Kind::Missing {
        fs::remove_file(&tmp).map_err(|e| io_error(&tmp, "remove stale temp file", e))?;
        fault::step();
    }
    let result = create_file(&tmp, content)
        .and_then(|()| fs::rename(&tmp, &target).map_err(|e| io_error(&target, "replace", e)));
    if result.is_err() {
        // Best effort: the error that matters is the one we return.
        let _ = fs::remove_file(&tmp);
    } else {
        fault::step();
    }
    result
}

/// Removes the owned file `dir/rel`; false if it was already gone.
fn remove_file(dir: &Path, rel: &str) -> Result<bool, WriteError> {
    let disk = disk_path(dir, rel);
    match fs::remove_file(&disk) {
        Ok(()) => {
            fault::step();
            Ok(true)
        }
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
            fault::step();
        }
    }
    Ok(())
}

/// A test hook: counts the changes a write makes to the file system (each
/// file created, written, renamed or removed, each directory created or
/// removed) and stops the process right after the n-th, so the tests can
/// interrupt a write at every point. Compiled in only with the
/// `fault-injection` feature (and in unit tests); otherwise `step` is empty.
mod fault {
    #[cfg(any(test, feature = "fault-injection"))]
    mod enabled {
        use std::cell::Cell;

        thread_local! {
            static COUNT: Cell<u64> = const { Cell::new(0) };
            #[cfg(test)]
            static PANIC_AFTER: Cell<Option<u64>> = const { Cell::new(None) };
        }

        /// The environment variable that makes the binary abort (as
        /// `kill -9` would stop it: no cleanup, no unwinding) after that
        /// many changes.
        #[cfg(feature = "fault-injection")]
        const ABORT_AFTER: &str = "PLATFORMGEN_FAULT_ABORT_AFTER";

        pub(in crate::emit::write) fn step() {
            let count = COUNT.with(|count| {
                count.set(count.get() + 1);
                count.get()
            });
            #[cfg(test)]
            if PANIC_AFTER.with(Cell::get) == Some(count) {
                // Unwinding runs no cleanup of the writer's (it has none in
                // `Drop` but the lock's), so this is a crash to the
                // directory, one a unit test can catch.
                panic!("fault injected after change {count}");
            }
            #[cfg(feature = "fault-injection")]
            {
                static LIMIT: std::sync::OnceLock<Option<u64>> = std::sync::OnceLock::new();
                let limit = LIMIT.get_or_init(|| {
                    std::env::var(ABORT_AFTER)
                        .ok()
                        .and_then(|text| text.parse().ok())
                });
                if *limit == Some(count) {
                    std::process::abort();
                }
            }
        }

        /// Starts counting afresh on this thread, and panics after change
        /// `limit` (never with `None`).
        #[cfg(test)]
        pub(in crate::emit::write) fn panic_after(limit: Option<u64>) {
            COUNT.with(|count| count.set(0));
            PANIC_AFTER.with(|panic_after| panic_after.set(limit));
        }

        /// Changes counted on this thread since [`panic_after`].
        #[cfg(test)]
        pub(in crate::emit::write) fn count() -> u64 {
            COUNT.with(Cell::get)
        }
    }
    #[cfg(any(test, feature = "fault-injection"))]
    pub(super) use enabled::*;

    #[cfg(not(any(test, feature = "fault-injection")))]
    #[inline(always)]
    pub(super) fn step() {}
}

#[cfg(test)]
mod tests {
    use std::collections::BTreeMap;
    use std::time::{Duration, SystemTime};

    use tempfile::TempDir;

    use super::*;

    /// Retries `operation` while another holder of the lock makes it fail.
    /// In tests only, that holder is this process: while another test
    /// thread spawns a process (the YAML tests run Python), the child holds
    /// a copy of every open file, a lock file included, until it execs; an
    /// advisory lock lasts as long as any copy. The binary spawns nothing
    /// while it writes, so it needs no such patience.
    fn patiently<T>(mut operation: impl FnMut() -> Result<T, WriteError>) -> Result<T, WriteError> {
        for _ in 0..1_000 {
            match operation() {
                Err(WriteError::Locked { .. }) => std::thread::sleep(Duration::from_millis(2)),
                other => return other,
            }
        }
        operation()
    }

    // The functions under test, made patient (see `patiently`); tests that
    // expect a refusal for a lock they hold call `super::` directly.
    fn write_tree(dir: &Path, tree: &OutputTree) -> Result<WriteReport, WriteError> {
        patiently(|| super::write_tree(dir, tree))
    }
    fn check_tree(dir: &Path, tree: &OutputTree) -> Result<CheckReport, WriteError> {
        patiently(|| super::check_tree(dir, tree))
    }
    fn lock_for_reading(dir: &Path) -> Result<DirLock, WriteError> {
        patiently(|| super::lock_for_reading(dir))
    }
    fn lock_for_writing(dir: &Path) -> Result<DirLock, WriteError> {
        patiently(|| super::lock_for_writing(dir))
    }

    fn tree(files: &[(&str, &str)]) -> OutputTree<'static> {
        let mut tree = OutputTree::new();
        for (path, content) in files {
            tree.insert(*path, content.to_string()).expect("accepted");
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

    /// Everything under `dir`: files with their content, directories as `None`;
    /// but the lock file, which every write creates and leaves
    /// (`lock_file_is_created_empty_and_stays` tests it).
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
        into.remove(LOCK_FILE);
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
                recovered: None,
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

    /// Past a few hundred files, each file's place is inspected on two
    /// threads: the plan, and the first refusal in tree order, are those of
    /// one thread going file by file.
    #[test]
    fn a_large_tree_is_planned_as_a_small_one() {
        let contents: Vec<(String, String)> = (0..300)
            .map(|i| (format!("ns-{}/f-{i:03}.yaml", i % 7), format!("v{i}")))
            .collect();
        let tree_of = |contents: &[(String, String)]| -> OutputTree {
            let pairs: Vec<(&str, &str)> = contents
                .iter()
                .map(|(path, content)| (path.as_str(), content.as_str()))
                .collect();
            tree(&pairs)
        };
        let (_temp, out) = scratch();
        write_tree(&out, &tree_of(&contents)).expect("first write");

        // Three files change (one keeps its length), one goes, one becomes
        // a directory of owned files.
        let mut next = contents.clone();
        next[10].1 = "changed".to_owned();
        next[150].1 = "v151".to_owned();
        next[299].1 = "x".to_owned();
        next.retain(|(path, _)| path != "ns-3/f-003.yaml");
        next.push(("ns-0/f-000.yaml/inner.yaml".to_owned(), "in".to_owned()));
        next.retain(|(path, _)| path != "ns-0/f-000.yaml");
        let report = write_tree(&out, &tree_of(&next)).expect("second write");
        assert_eq!(
            report.written,
            strings(&[
                "ns-0/f-000.yaml/inner.yaml",
                "ns-3/f-010.yaml",
                "ns-3/f-150.yaml",
                "ns-5/f-299.yaml",
            ])
        );
        assert_eq!(
            report.removed,
            strings(&["ns-0/f-000.yaml", "ns-3/f-003.yaml"])
        );
        assert_eq!(report.unchanged.len(), 295);
        assert_eq!(
            files(&out).len(),
            next.len() + 1,
            "every wanted file is there with the index, and nothing else"
        );

        // Foreign files at two wanted places and in the way of a third: the
        // first in tree order is named, and nothing changes.
        put(&out, "ns-6/notes.txt", "not ours either");
        fs::remove_file(out.join("ns-4/f-200.yaml")).expect("remove");
        put(&out, "ns-4/f-200.yaml", "not ours");
        fs::remove_file(out.join("ns-1/f-001.yaml")).expect("remove");
        put(&out, "ns-1/f-001.yaml", "not ours");
        let mut foreign_index = read_index(&out).expect("index").expect("an index");
        foreign_index.remove("ns-4/f-200.yaml");
        foreign_index.remove("ns-1/f-001.yaml");
        fs::write(
            out.join(INDEX_FILE),
            render_index(foreign_index.iter().map(String::as_str)),
        )
        .expect("index written");
        let before = snapshot(&out);
        let mut wanted = next.clone();
        wanted.iter_mut().for_each(|(_, content)| content.push('!'));
        let error = write_tree(&out, &tree_of(&wanted)).expect_err("foreign files are refused");
        match &error {
            WriteError::ForeignFile { path } => {
                assert_eq!(*path, disk_path(&out, "ns-1/f-001.yaml"));
            }
            other => panic!("expected ForeignFile, got {other:?}"),
        }
        assert_eq!(snapshot(&out), before, "nothing may change");
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
        // Beside a file this write creates, at the top of the tree.
        put(&out, &format!(".c.yaml{TMP_SUFFIX}"), "half-writ");
        // Beside no file platformgen writes: not known to be ours.
        put(&out, &format!("sub/.z.yaml{TMP_SUFFIX}"), "someone's");
        write(
            &out,
            &[("a.yaml", "A"), ("sub/b.yaml", "B"), ("c.yaml", "c")],
        );
        write(&out, &[("sub/b.yaml", "BB")]);

        let leftovers: Vec<String> = snapshot(&out)
            .into_keys()
            .filter(|path| path.ends_with(TMP_SUFFIX))
            .collect();
        assert_eq!(leftovers, vec![format!("sub/.z.yaml{TMP_SUFFIX}")]);
        fs::remove_file(out.join("sub").join(format!(".z.yaml{TMP_SUFFIX}"))).expect("removed");
        expect_files(
            &out,
            &[
                ("sub/b.yaml", "BB"),
                (INDEX_FILE, &index_of(&["sub/b.yaml"])),
            ],
        );
    }

    /// A directory that receives many files is listed for the temp files
    /// left beside them, rather than tried file by file: the same ones go.
    #[test]
    fn temp_files_beside_many_new_files_are_found_by_listing() {
        let (_temp, out) = scratch();
        let names: Vec<String> = (0..LISTED_FROM)
            .map(|i| format!("many/f{i:03}.yaml"))
            .collect();
        put(&out, &format!("many/.f007.yaml{TMP_SUFFIX}"), "half-writ");
        put(&out, &format!("many/.other.yaml{TMP_SUFFIX}"), "someone's");
        let files: Vec<(&str, &str)> = names.iter().map(|name| (name.as_str(), "x")).collect();
        write(&out, &files);
        let leftovers: Vec<String> = snapshot(&out)
            .into_keys()
            .filter(|path| path.ends_with(TMP_SUFFIX))
            .collect();
        assert_eq!(leftovers, vec![format!("many/.other.yaml{TMP_SUFFIX}")]);
    }

    #[test]
    fn lock_file_is_created_empty_and_stays() {
        let (_temp, out) = scratch();
        write(&out, &[("a.yaml", "a")]);
        assert_eq!(fs::read(out.join(LOCK_FILE)).expect("lock file"), b"");
        // Readers never create it.
        let (_temp, other) = scratch();
        fs::create_dir(&other).expect("mkdir");
        check(&other, &[("a.yaml", "a")]);
        drop(lock_for_reading(&other).expect("no lock file, no lock needed"));
        assert!(!other.join(LOCK_FILE).exists());
    }

    /// Keeps the panics `fault::panic_after` injects out of the test output
    /// (there is one per change interrupted); other panics print as usual.
    fn quiet_injected_panics() {
        static ONCE: std::sync::Once = std::sync::Once::new();
        ONCE.call_once(|| {
            let previous = std::panic::take_hook();
            std::panic::set_hook(Box::new(move |info| {
                let injected = info
                    .payload()
                    .downcast_ref::<String>()
                    .is_some_and(|message| message.starts_with("fault injected"));
                if !injected {
                    previous(info);
                }
            }));
        });
    }

    /// The old and new trees of the interruption test: a changed file, an
    /// unchanged one, a new one in a new directory, a stale one whose
    /// directory empties, an owned file that becomes a directory and an owned
    /// directory that becomes a file; and foreign files beside them.
    const OLD_TREE: &[(&str, &str)] = &[
        ("changed.yaml", "old"),
        ("dir-to-file/a.yaml", "a"),
        ("dir-to-file/deep/b.yaml", "b"),
        ("file-to-dir", "a file"),
        ("gone/stale.yaml", "stale"),
        ("kept/same.yaml", "same"),
        ("kept/stale.yaml", "stale"),
    ];
    const NEW_TREE: &[(&str, &str)] = &[
        ("added/new.yaml", "new"),
        ("changed.yaml", "new"),
        ("dir-to-file", "a file now"),
        ("file-to-dir/a.yaml", "in a directory now"),
        ("kept/same.yaml", "same"),
    ];
    const FOREIGN: &[(&str, &str)] = &[("README.md", "mine"), ("kept/notes.txt", "mine too")];

    /// `out` holding `OLD_TREE`, written by platformgen, and `FOREIGN`.
    fn old_tree() -> (TempDir, PathBuf) {
        let (temp, out) = scratch();
        write(&out, OLD_TREE);
        for (path, content) in FOREIGN {
            put(&out, path, content);
        }
        (temp, out)
    }

    /// Interrupts a write at every change it makes (a panic right after the
    /// n-th, which unwinds past every cleanup but the lock's, as a crash
    /// would) and checks that readers then see the complete old tree or
    /// refuse, and that recovery leaves exactly the old or the new tree.
    /// `tests/out_dir.rs` does the same to the binary with a real abort.
    #[test]
    fn interrupted_at_every_change_leaves_the_old_or_the_new_tree() {
        quiet_injected_panics();
        let (_temp, before) = old_tree();
        let old = snapshot(&before);
        fault::panic_after(None);
        write(&before, NEW_TREE);
        let changes = fault::count();
        let new = snapshot(&before);
        assert_ne!(old, new);
        for (path, content) in FOREIGN {
            assert_eq!(new[*path].as_deref(), Some(*content));
        }

        let (mut rolled_back, mut rolled_forward) = (0, 0);
        for limit in 1..=changes {
            let (_temp, out) = old_tree();
            fault::panic_after(Some(limit));
            let interrupted = std::panic::catch_unwind(|| write_tree(&out, &tree(NEW_TREE)));
            fault::panic_after(None);
            if let Ok(result) = interrupted {
                panic!("change {limit} of {changes} was not made: {result:?}");
            }

            // What readers see: the old tree, the staging area aside...
            let mut seen = snapshot(&out);
            seen.retain(|path, _| !path.starts_with(STAGING_DIR));
            if has_unfinished_write(&out) {
                // ...or a refusal, never a mixture.
                assert!(matches!(
                    check_tree(&out, &tree(NEW_TREE)),
                    Err(WriteError::Unfinished { .. })
                ));
                assert!(matches!(
                    read_index(&out),
                    Err(WriteError::Unfinished { .. })
                ));
                assert!(matches!(
                    lock_for_reading(&out),
                    Err(WriteError::Unfinished { .. })
                ));
            } else {
                assert!(
                    seen == old || seen == new,
                    "readers see neither tree after change {limit}: {seen:#?}"
                );
            }

            // Recovery alone gives exactly one of the two trees.
            let lock = lock_for_writing(&out).expect("lock");
            let recovered = recover(&out).expect("recover");
            drop(lock);
            let after = snapshot(&out);
            match recovered {
                Some(Recovery::Finished) => {
                    rolled_forward += 1;
                    assert_eq!(after, new, "rolled forward after change {limit}");
                }
                Some(Recovery::Discarded) => {
                    rolled_back += 1;
                    assert_eq!(after, old, "rolled back after change {limit}");
                }
                // Interrupted after its last change, the journal's removal.
                None => {
                    assert_eq!(limit, changes);
                    assert_eq!(after, new);
                }
            }
            // And the next write finishes the job.
            write(&out, NEW_TREE);
            assert_eq!(snapshot(&out), new);
        }
        // Both sides of the commit point were exercised.
        assert!(
            rolled_back > 5 && rolled_forward > 5,
            "{rolled_back} {rolled_forward}"
        );
    }

    #[test]
    fn a_staging_area_left_behind_is_discarded() {
        let (_temp, out) = old_tree();
        let old = snapshot(&out);
        put(&out, &format!("{STAGING_DIR}/0"), "half-writ");
        put(
            &out,
            &format!("{STAGING_DIR}/{JOURNAL_DRAFT}"),
            "# half a journal",
        );
        // Readers ignore it: the tree beside it is the old one.
        assert!(check(&out, OLD_TREE).is_fresh());
        assert!(read_index(&out).expect("index").is_some());

        let report = write(&out, OLD_TREE);
        assert_eq!(report.recovered, Some(Recovery::Discarded));
        assert_eq!(report.written, Vec::<String>::new());
        assert_eq!(snapshot(&out), old);
    }

    #[test]
    fn a_committed_journal_is_finished_by_the_next_write() {
        let (_temp, out) = old_tree();
        let journal = {
            let plan = Plan::make(&out, &tree(NEW_TREE)).expect("plan");
            plan.journal(&tree(NEW_TREE))
        };
        stage(&out, &journal, &tree(NEW_TREE)).expect("stage");
        commit(&out).expect("commit");
        let error = check_tree(&out, &tree(NEW_TREE)).expect_err("unfinished");
        assert!(
            error.to_string().contains("unfinished write") && error.to_string().contains("again"),
            "{error}"
        );

        // Whatever the next write renders, it first finishes this one.
        let report = write(&out, NEW_TREE);
        assert_eq!(report.recovered, Some(Recovery::Finished));
        assert_eq!(report.written, Vec::<String>::new());
        assert_eq!(report.removed, Vec::<String>::new());
        assert!(check(&out, NEW_TREE).is_fresh());
        assert!(!out.join(JOURNAL_FILE).exists());
        assert!(!out.join(STAGING_DIR).exists());
    }

    #[test]
    fn journal_reads_back_and_refuses_what_it_would_not_write() {
        let journal = Journal {
            clear_files: strings(&["x"]),
            clear_dirs: strings(&["d", "d/e"]),
            install: strings(&["x/a.yaml", "b.yaml"]),
            remove: strings(&["old.yaml"]),
            index: strings(&["b.yaml", "x/a.yaml"]),
        };
        let path = Path::new("out").join(JOURNAL_FILE);
        let text = journal.render();
        assert_eq!(
            Journal::parse(&path, text.clone().into_bytes()).expect("parse"),
            journal
        );
        #[track_caller]
        fn refused(text: &str, line: usize, reason: &str) {
            match Journal::parse(Path::new(JOURNAL_FILE), text.as_bytes().to_vec()) {
                Err(WriteError::MalformedJournal {
                    line: got,
                    reason: why,
                    ..
                }) => {
                    assert_eq!(got, line, "{text:?}: {why}");
                    assert!(why.contains(reason), "{why:?} should contain {reason:?}");
                }
                other => panic!("{text:?}: expected MalformedJournal, got {other:?}"),
            }
        }
        let header = JOURNAL_HEADER;
        refused("", 1, "newline");
        refused("# platformgen journal v2\n", 1, "header");
        refused(&format!("{header}\ninstall a.yaml"), 2, "newline");
        refused(&format!("{header}\nmove a.yaml\n"), 2, "unknown keyword");
        refused(&format!("{header}\ninstall\n"), 2, "KEYWORD PATH");
        refused(&format!("{header}\ninstall ../a.yaml\n"), 2, "`..`");
        refused(&format!("{header}\nremove a\ninstall b\n"), 3, "after");
        refused(&format!("{header}\nindex b\nindex a\n"), 1, "sorted");
    }

    #[test]
    fn a_locked_directory_is_refused_by_writers_and_readers_alike() {
        let (_temp, out) = old_tree();
        let old = snapshot(&out);
        let writing = lock_for_writing(&out).expect("lock");
        for error in [
            super::write_tree(&out, &tree(NEW_TREE)).map(|_| ()),
            super::check_tree(&out, &tree(NEW_TREE)).map(|_| ()),
            super::lock_for_reading(&out).map(|_| ()),
        ] {
            match error {
                Err(error @ WriteError::Locked { .. }) => {
                    assert!(error.to_string().contains(&out.display().to_string()));
                    assert!(error.to_string().contains("another platformgen process"));
                }
                other => panic!("expected Locked, got {other:?}"),
            }
        }
        drop(writing);
        // Readers share the lock with each other, not with a writer.
        let reading = lock_for_reading(&out).expect("shared");
        let second = lock_for_reading(&out).expect("shared twice");
        assert!(matches!(
            super::write_tree(&out, &tree(NEW_TREE)),
            Err(WriteError::Locked { .. })
        ));
        drop((reading, second));
        assert_eq!(snapshot(&out), old);
        write(&out, NEW_TREE);
    }

    #[test]
    fn dangerous_output_directories_are_refused() {
        let temp = tempfile::tempdir().expect("tempdir");
        let platform = temp.path().join("spec");
        fs::create_dir_all(platform.join("environments")).expect("mkdir");
        #[track_caller]
        fn refused(out: &Path, platform: &Path, reason: &str) {
            match check_out_dir(out, platform) {
                Err(error @ WriteError::DangerousOut { .. }) => {
                    let message = error.to_string();
                    assert!(message.contains(reason), "{out:?}: {message}");
                    assert!(message.contains("refusing"), "{message}");
                }
                other => panic!("{out:?}: expected DangerousOut, got {other:?}"),
            }
        }
        refused(&platform, &platform, "is the platform directory");
        refused(
            &platform.join("deploy/.."),
            &platform,
            "is the platform directory",
        );
        refused(
            &platform.join("new/.."),
            &platform,
            "is the platform directory",
        );
        refused(temp.path(), &platform, "contains the platform directory");
        refused(
            &platform.join(".."),
            &platform,
            "contains the platform directory",
        );
        refused(
            &platform.join("environments"),
            &platform,
            "environments directory",
        );
        refused(
            &platform.join("environments/new/deeper"),
            &platform,
            "environments directory",
        );
        refused(Path::new("/"), &platform, "root of a file system");
        refused(
            &platform.join("../../../../../../../../../.."),
            &platform,
            "root",
        );
        #[cfg(unix)]
        {
            let link = temp.path().join("link");
            std::os::unix::fs::symlink(&platform, &link).expect("symlink");
            refused(&link, &platform, "is the platform directory");
            refused(
                &link.join("environments"),
                &platform,
                "environments directory",
            );
        }
        for fine in [
            platform.join("deploy"),
            platform.join("deploy/prod"),
            temp.path().join("elsewhere"),
            platform.join("environments-out"),
        ] {
            check_out_dir(&fine, &platform).unwrap_or_else(|e| panic!("{fine:?}: {e}"));
        }
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

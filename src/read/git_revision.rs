//! `GitRevision`: the spec files as they were at a git revision, read from
//! git's object database, for `diff --against-ref`. The working tree, the
//! index and HEAD are never touched, so a diff is safe to run with uncommitted
//! work in progress.
//!
//! Runs the `git` binary rather than linking a git library: every machine that
//! has a repository has git; it honours the user's configuration, worktrees,
//! alternates, partial and shallow clones exactly as `git` does; and it keeps
//! a large dependency (libgit2 or gix) out of a build that needs four
//! read-only plumbing commands: `rev-parse` (the platform directory's place in
//! the repository, and the revision's commit), `ls-tree` (which spec files
//! exist there) and `cat-file` (their contents).
//!
//! Must not write anything, and must not hand a user's revision to git where
//! it could be read as an option.

use std::cell::RefCell;
use std::collections::BTreeMap;
use std::ffi::OsStr;
use std::path::{Path, PathBuf};
use std::process::Command;

use super::loader::overlay_name;
use super::{ENVIRONMENTS_DIR, PLATFORM_FILE, TEMPLATES_DIR, read_text};
use crate::diagnostic::{Code, Diagnostic};
use crate::read::SpecSource;
use crate::source::{FileId, Sources};

/// A failure to reach the revision at all (as opposed to a problem in a spec
/// file found there, which is a [`Diagnostic`]).
#[derive(Debug, thiserror::Error)]
pub enum GitError {
    #[error("cannot run `git` ({source}); reading the spec at a git revision needs git on PATH")]
    NotInstalled {
        #[source]
        source: std::io::Error,
    },
    #[error("`{}` is not in a git repository: {detail}", dir.display())]
    NotARepository { dir: PathBuf, detail: String },
    #[error("unknown git revision `{revision}` in `{}`", dir.display())]
    UnknownRevision { revision: String, dir: PathBuf },
    #[error("`git {command}` failed: {detail}")]
    Failed { command: String, detail: String },
}

/// What a spec path is at the revision.
#[derive(Clone, Debug, PartialEq, Eq)]
enum Entry {
    /// A regular file, by blob id.
    File(String),
    /// A symbolic link: git stores its target, not the file it points to.
    Symlink,
}

/// The platform directory at one git revision.
#[derive(Debug)]
pub struct GitRevision {
    dir: PathBuf,
    /// As the user wrote it: shown in messages and in file names.
    revision: String,
    /// The commit it resolved to when opened, so every read sees one tree
    /// even if the ref moves meanwhile.
    commit: String,
    /// The platform directory relative to the repository root: `""` or
    /// `"platform/"`.
    prefix: String,
    /// `platform.yaml` and `environments/*.yaml`, relative to the platform
    /// directory.
    entries: BTreeMap<String, Entry>,
    /// Contents already read, by path (`--all` compiles the base once per
    /// environment).
    cache: RefCell<BTreeMap<String, Vec<u8>>>,
}

impl GitRevision {
    /// The platform in `dir` (a directory inside a git work tree, possibly
    /// below its root) as it was at `revision` (anything `git rev-parse`
    /// takes: `HEAD`, `origin/main`, a tag, a commit id, `HEAD~2`).
    pub fn open(dir: &Path, revision: &str) -> Result<Self, GitError> {
        let prefix = git(dir, ["rev-parse", "--show-prefix"]).map_err(|error| match error {
            GitError::Failed { detail, .. } => GitError::NotARepository {
                dir: dir.to_path_buf(),
                detail,
            },
            other => other,
        })?;
        let prefix = String::from_utf8_lossy(&prefix).trim_end().to_owned();
        let unknown = || GitError::UnknownRevision {
            revision: revision.to_owned(),
            dir: dir.to_path_buf(),
        };
        // `--end-of-options`: a revision starting with `-` is a revision, not
        // an option.
        let commit = git(
            dir,
            [
                "rev-parse",
                "--verify",
                "--quiet",
                "--end-of-options",
                &format!("{revision}^{{commit}}"),
            ],
        )
        .map_err(|error| match error {
            GitError::Failed { .. } => unknown(),
            other => other,
        })?;
        let commit = String::from_utf8_lossy(&commit).trim().to_owned();
        if commit.is_empty() {
            return Err(unknown());
        }
        // Pathspecs are relative to `dir`, literal (no globbing in a
        // directory name); `--full-name` prints paths from the repository
        // root, which `prefix` then strips.
        let listing = git(
            dir,
            [
                "--literal-pathspecs",
                "ls-tree",
                "-r",
                "-z",
                "--full-name",
                &commit,
                "--",
                PLATFORM_FILE,
                ENVIRONMENTS_DIR,
            ],
        )?;
        let entries = parse_listing(&listing, &prefix);
        Ok(Self {
            dir: dir.to_path_buf(),
            revision: revision.to_owned(),
            commit,
            prefix,
            entries,
            cache: RefCell::new(BTreeMap::new()),
        })
    }

    /// The revision as the user wrote it.
    pub fn revision(&self) -> &str {
        &self.revision
    }

    /// The commit id the revision resolved to.
    pub fn commit(&self) -> &str {
        &self.commit
    }

    /// The name a spec file gets in messages: git's `REV:path` notation,
    /// with the path from the repository root, so it can be pasted into
    /// `git show`.
    fn display_name(&self, relative: &str) -> String {
        format!("{}:{}{relative}", self.revision, self.prefix)
    }

    fn contents(&self, relative: &str, blob: &str) -> Result<Vec<u8>, GitError> {
        if let Some(bytes) = self.cache.borrow().get(relative) {
            return Ok(bytes.clone());
        }
        let bytes = git(&self.dir, ["cat-file", "blob", blob])?;
        self.cache
            .borrow_mut()
            .insert(relative.to_owned(), bytes.clone());
        Ok(bytes)
    }
}

impl SpecSource for GitRevision {
    fn environments(&self) -> Result<Vec<String>, Diagnostic> {
        let directory = format!("{ENVIRONMENTS_DIR}/");
        let mut names: Vec<String> = self
            .entries
            .keys()
            .filter_map(|path| overlay_name(path.strip_prefix(&directory)?))
            .filter(|name| !name.contains('/') && !name.starts_with('.') && !name.is_empty())
            .map(str::to_owned)
            .collect();
        names.sort();
        if let Some(pair) = names.windows(2).find(|pair| pair[0] == pair[1]) {
            return Err(Diagnostic::error(
                Code::Io,
                format!(
                    "`{}` holds both `{ENVIRONMENTS_DIR}/{name}.yaml` and `{ENVIRONMENTS_DIR}/{name}.yml`: keep one overlay per environment",
                    self.revision,
                    name = pair[0]
                ),
            ));
        }
        Ok(names)
    }

    fn templates(&self) -> Result<Vec<String>, Diagnostic> {
        let directory = format!("{TEMPLATES_DIR}/");
        Ok(self
            .entries
            .keys()
            .filter(|path| {
                path.strip_prefix(&directory).is_some_and(|name| {
                    !name.contains('/') && !name.starts_with('.') && overlay_name(name).is_some()
                })
            })
            .cloned()
            .collect())
    }

    fn overlay_file(&self, environment: &str) -> String {
        let yaml = format!("{ENVIRONMENTS_DIR}/{environment}.yaml");
        let yml = format!("{ENVIRONMENTS_DIR}/{environment}.yml");
        if !self.entries.contains_key(&yaml) && self.entries.contains_key(&yml) {
            yml
        } else {
            yaml
        }
    }

    fn read(&self, relative: &str, sources: &mut Sources) -> Result<FileId, Diagnostic> {
        let name = self.display_name(relative);
        match self.entries.get(relative) {
            None => Err(
                Diagnostic::error(Code::MissingFile, format!("`{name}` does not exist")).with_note(
                    format!("`{}` is commit {}", self.revision, short(&self.commit)),
                ),
            ),
            Some(Entry::Symlink) => Err(Diagnostic::error(
                Code::Io,
                format!("`{name}` is a symbolic link"),
            )
            .with_note("spec files are read from git only when they are regular files")),
            Some(Entry::File(blob)) => {
                let bytes = self.contents(relative, blob).map_err(|error| {
                    Diagnostic::error(Code::Io, format!("cannot read `{name}`: {error}"))
                })?;
                read_text(&name, bytes, sources)
            }
        }
    }
}

fn short(commit: &str) -> &str {
    commit.get(..12).unwrap_or(commit)
}

/// Runs `git -C dir ARGS` and returns its standard output.
fn git<I, S>(dir: &Path, args: I) -> Result<Vec<u8>, GitError>
where
    I: IntoIterator<Item = S>,
    S: AsRef<OsStr>,
{
    let args: Vec<S> = args.into_iter().collect();
    let output = Command::new("git")
        .arg("-C")
        .arg(dir)
        .args(&args)
        // Never wait for a password prompt or an editor.
        .env("GIT_TERMINAL_PROMPT", "0")
        .output()
        .map_err(|source| GitError::NotInstalled { source })?;
    if output.status.success() {
        return Ok(output.stdout);
    }
    let detail = String::from_utf8_lossy(&output.stderr).trim().to_owned();
    Err(GitError::Failed {
        command: args
            .iter()
            .map(|arg| arg.as_ref().to_string_lossy())
            .collect::<Vec<_>>()
            .join(" "),
        detail: if detail.is_empty() {
            format!("exit status {}", output.status)
        } else {
            detail
        },
    })
}

/// Reads `git ls-tree -r -z --full-name` output: `MODE TYPE ID\tPATH\0`
/// records. Keeps blobs under `prefix`, keyed by their path below it.
fn parse_listing(listing: &[u8], prefix: &str) -> BTreeMap<String, Entry> {
    let mut entries = BTreeMap::new();
    for record in listing.split(|&b| b == 0).filter(|r| !r.is_empty()) {
        let Some(tab) = record.iter().position(|&b| b == b'\t') else {
            continue;
        };
        let (meta, path) = (&record[..tab], &record[tab + 1..]);
        let meta = String::from_utf8_lossy(meta);
        let mut fields = meta.split(' ');
        let (Some(mode), Some(kind), Some(id)) = (fields.next(), fields.next(), fields.next())
        else {
            continue;
        };
        // Spec paths are UTF-8 (the Loader reads the same names); a path
        // that is not cannot be one of them.
        let Ok(path) = std::str::from_utf8(path) else {
            continue;
        };
        let Some(relative) = path.strip_prefix(prefix) else {
            continue;
        };
        let entry = match (mode, kind) {
            ("120000", "blob") => Entry::Symlink,
            (_, "blob") => Entry::File(id.to_owned()),
            _ => continue,
        };
        entries.insert(relative.to_owned(), entry);
    }
    entries
}

#[cfg(test)]
#[allow(clippy::disallowed_methods, reason = "tests lay out fixtures on disk")]
mod tests {
    use super::*;

    #[test]
    fn listing_keeps_blobs_under_the_prefix() {
        let listing = b"100644 blob aaa\tplat/platform.yaml\0\
                        100644 blob bbb\tplat/environments/dev.yaml\0\
                        120000 blob ccc\tplat/environments/prod.yaml\0\
                        160000 commit ddd\tplat/environments/sub\0\
                        100644 blob eee\tother/platform.yaml\0";
        let entries = parse_listing(listing, "plat/");
        assert_eq!(
            entries,
            BTreeMap::from([
                (
                    "environments/dev.yaml".to_owned(),
                    Entry::File("bbb".to_owned())
                ),
                ("environments/prod.yaml".to_owned(), Entry::Symlink),
                ("platform.yaml".to_owned(), Entry::File("aaa".to_owned())),
            ])
        );
    }

    /// A git repository in a temporary directory, for the tests below.
    fn repository() -> tempfile::TempDir {
        let temp = tempfile::tempdir().expect("tempdir");
        let run = |args: &[&str]| {
            let status = Command::new("git")
                .arg("-C")
                .arg(temp.path())
                .args(args)
                .env("GIT_CONFIG_GLOBAL", "/dev/null")
                .env("GIT_CONFIG_NOSYSTEM", "1")
                .status()
                .expect("git runs");
            assert!(status.success(), "git {args:?}");
        };
        std::fs::create_dir_all(temp.path().join("plat/environments")).expect("mkdir");
        std::fs::write(temp.path().join("plat/platform.yaml"), "base: 1\n").expect("write");
        std::fs::write(temp.path().join("plat/environments/dev.yaml"), "{}\n").expect("write");
        run(&["init", "--quiet"]);
        run(&["add", "."]);
        run(&[
            "-c",
            "user.name=t",
            "-c",
            "user.email=t@example.com",
            "commit",
            "--quiet",
            "-m",
            "one",
        ]);
        temp
    }

    #[test]
    fn reads_spec_files_of_a_subdirectory_at_a_revision() {
        let repo = repository();
        let dir = repo.path().join("plat");
        // Work in progress must not be seen.
        std::fs::write(dir.join("platform.yaml"), "base: 2\n").expect("write");
        std::fs::write(dir.join("environments/prod.yaml"), "{}\n").expect("write");

        let revision = GitRevision::open(&dir, "HEAD").expect("open");
        assert_eq!(revision.environments().expect("list"), ["dev"]);
        let mut sources = Sources::default();
        let id = revision.read(PLATFORM_FILE, &mut sources).expect("read");
        assert_eq!(sources.get(id).text, "base: 1\n");
        assert_eq!(sources.get(id).path, "HEAD:plat/platform.yaml");
        let missing = revision
            .read("environments/prod.yaml", &mut sources)
            .expect_err("not committed");
        assert_eq!(missing.code, Code::MissingFile);
        assert!(
            missing
                .message
                .contains("`HEAD:plat/environments/prod.yaml`")
        );
    }

    #[test]
    fn unknown_revisions_and_non_repositories_are_errors() {
        let repo = repository();
        for revision in ["nope", "--all", "HEAD~5"] {
            assert!(
                matches!(
                    GitRevision::open(repo.path(), revision),
                    Err(GitError::UnknownRevision { .. })
                ),
                "{revision}"
            );
        }
        let outside = tempfile::tempdir().expect("tempdir");
        assert!(matches!(
            GitRevision::open(outside.path(), "HEAD"),
            Err(GitError::NotARepository { .. })
        ));
    }
}

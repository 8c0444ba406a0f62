//! `OutputTree`: the complete rendered output of one environment, in memory, as
//! relative path → file content. The emitters fill it; [`super::write`] puts it on
//! disk (or compares it with what is there).
//!
//! Owns the rules for what an output path may look like, so that every path the
//! writer sees is already safe to join onto the output directory. Must not touch
//! the filesystem and must not know about YAML or Kubernetes.
//!
//! Paths are `/`-separated and relative: no leading `/`, no `.` or `..` and no
//! empty components, no backslashes, no control characters (the index stores one
//! path per line). Names the writer reserves for itself (its index, lock file,
//! journal and staging area at the top, its temp files anywhere) are refused too. A path may not be both a file and a directory
//! (`a.yaml` and `a.yaml/b.yaml`). Paths come from our own code, never straight
//! from a user, so breaking a rule is a bug in platformgen and `insert` panics
//! with the rule it broke rather than returning an error nobody could handle.

use std::borrow::Cow;
use std::collections::BTreeMap;

use super::reserved::{INDEX_FILE, RESERVED_NAMES, TMP_SUFFIX};

/// A file the output tree cannot hold: a path that is not a plain relative
/// path, or one that clashes with a file already in the tree.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("cannot write `{path}`: it {problem}")]
pub struct OutputPathError {
    pub path: String,
    pub problem: String,
}

/// Rendered files by relative path. A `BTreeMap`, so iteration, and therefore
/// every file list derived from it, is sorted and deterministic by construction.
/// Contents are borrowed where they can be (the frozen text of the objects
/// it is made from), so a large tree holds paths, not a second copy of the
/// render.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct OutputTree<'a> {
    files: BTreeMap<String, Cow<'a, str>>,
}

impl<'a> OutputTree<'a> {
    pub fn new() -> Self {
        Self::default()
    }

    /// Adds one file.
    ///
    /// # Panics
    ///
    /// If `path` breaks a rule in the module doc, is already in the tree (two
    /// resources rendering to one file would silently lose one), or is a file
    /// inside another file of the tree, or a directory of another file.
    #[track_caller]
    pub fn insert(
        &mut self,
        path: impl Into<String>,
        content: impl Into<Cow<'a, str>>,
    ) -> Result<(), OutputPathError> {
        let path = path.into();
        let refuse = |problem: String| {
            Err(OutputPathError {
                path: path.clone(),
                problem,
            })
        };
        if let Some(problem) = relative_path_problem(&path) {
            return refuse(problem.to_string());
        }
        if self.files.contains_key(&path) {
            return refuse("is written twice: two objects render to one file".to_owned());
        }
        // Every ancestor of the new path must not be a file of the tree...
        for (i, _) in path.match_indices('/') {
            let ancestor = &path[..i];
            if self.files.contains_key(ancestor) {
                return refuse(format!("is inside the output file `{ancestor}`"));
            }
        }
        // ...and the new path must not be an ancestor of a file of the tree.
        // Descendants of `p` sort right after `p/`, so one range step finds any.
        let dir_prefix = format!("{path}/");
        if let Some((descendant, _)) = self.files.range(dir_prefix.clone()..).next()
            && descendant.starts_with(&dir_prefix)
        {
            return refuse(format!("is a directory of the output file `{descendant}`"));
        }
        self.files.insert(path, content.into());
        Ok(())
    }

    /// Content of the file at `path`, if the tree has one.
    pub fn get(&self, path: &str) -> Option<&str> {
        self.files.get(path).map(|content| &**content)
    }

    /// Files as `(path, content)`, sorted by path.
    pub fn iter(&self) -> impl Iterator<Item = (&str, &str)> {
        self.files
            .iter()
            .map(|(path, content)| (path.as_str(), &**content))
    }

    /// Number of files.
    pub fn len(&self) -> usize {
        self.files.len()
    }

    pub fn is_empty(&self) -> bool {
        self.files.is_empty()
    }
}

/// Why `path` is not an acceptable output path, or `None` if it is. Shared with
/// the writer, which holds the paths it reads back from its index to the same
/// rules: a path it would never have written is a corrupt index.
pub(crate) fn relative_path_problem(path: &str) -> Option<&'static str> {
    if path.is_empty() {
        return Some("is empty");
    }
    if path.starts_with('/') {
        return Some("is absolute");
    }
    if path.contains('\\') {
        return Some("contains a backslash (use `/` as the separator)");
    }
    if path.ends_with('\r') {
        return Some("ends with a carriage return (CRLF line endings?)");
    }
    if path.chars().any(char::is_control) {
        return Some("contains a control character");
    }
    if path == INDEX_FILE {
        return Some("is the name of platformgen's index file");
    }
    let first = path.split('/').next().unwrap_or(path);
    if RESERVED_NAMES.contains(&first) {
        return Some(
            "starts with a name platformgen reserves for its own files (lock, journal, staging)",
        );
    }
    for component in path.split('/') {
        match component {
            "" => return Some("has an empty component (`//` or a trailing `/`)"),
            "." | ".." => return Some("has a `.` or `..` component"),
            _ if component.ends_with(TMP_SUFFIX) => {
                return Some("ends with the suffix platformgen reserves for its temp files");
            }
            _ => {}
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rejects_paths_that_break_a_rule() {
        #[track_caller]
        fn case(path: &str, expected: &str) {
            let message = OutputTree::new()
                .insert(path, "x")
                .expect_err("the path is refused")
                .to_string();
            assert!(
                message.contains(expected),
                "{path:?}: expected a message containing {expected:?}, got {message:?}"
            );
        }
        case("", "is empty");
        case("/etc/passwd", "is absolute");
        case("a\\b.yaml", "backslash");
        case("../up.yaml", "`..` component");
        case("a/../../up.yaml", "`..` component");
        case("./a.yaml", "`.` or `..`");
        case("a//b.yaml", "empty component");
        case("a/", "empty component");
        case("a\nb.yaml", "control character");
        case("a.yaml\r", "carriage return");
        case(INDEX_FILE, "index file");
        case(".a.yaml.platformgen-tmp", "temp files");
        case(".platformgen-lock", "reserves");
        case(".platformgen-journal", "reserves");
        case(".platformgen-staging/0", "reserves");
        case(".platformgen-index/a.yaml", "reserves");
        case("dir.platformgen-tmp/a.yaml", "temp files");
    }

    #[test]
    fn accepts_ordinary_paths() {
        let mut tree = OutputTree::new();
        for path in [
            "kustomization.yaml",
            "health-platform-api/deployment-health-api.yaml",
            "a/b/c/d.yaml",
            ".hidden.yaml",
            "sub/.platformgen-index",
        ] {
            tree.insert(path, path).expect("accepted");
        }
        assert_eq!(tree.len(), 5);
    }

    #[test]
    fn rejects_duplicates_and_file_directory_clashes() {
        #[track_caller]
        fn case(first: &str, second: &str, expected: &str) {
            let mut tree = OutputTree::new();
            tree.insert(first, "1").expect("the first path is accepted");
            let message = tree
                .insert(second, "2")
                .expect_err("the second path is refused")
                .to_string();
            assert!(
                message.contains(expected),
                "expected {expected:?} in {message:?}"
            );
        }
        case("a.yaml", "a.yaml", "written twice");
        case("a", "a/b.yaml", "inside the output file `a`");
        case(
            "a/b/c.yaml",
            "a/b",
            "directory of the output file `a/b/c.yaml`",
        );
        case(
            "a/b/c.yaml",
            "a",
            "directory of the output file `a/b/c.yaml`",
        );
    }

    #[test]
    fn siblings_sharing_a_prefix_are_not_a_clash() {
        // `a-b` and `a.yaml` sort between `a` and `a/...`; neither is a
        // directory of the other.
        let mut tree = OutputTree::new();
        tree.insert("a/x.yaml", "1").expect("accepted");
        tree.insert("a-b/x.yaml", "2").expect("accepted");
        tree.insert("a.yaml", "3").expect("accepted");
        tree.insert("a-b.yaml", "4").expect("accepted");
        assert_eq!(tree.len(), 4);
    }

    #[test]
    fn iterates_sorted_whatever_the_insertion_order() {
        let mut tree = OutputTree::new();
        tree.insert("b.yaml", "b").expect("accepted");
        tree.insert("a/z.yaml", "az").expect("accepted");
        tree.insert("a.yaml", "a").expect("accepted");
        let paths: Vec<&str> = tree.iter().map(|(path, _)| path).collect();
        assert_eq!(paths, ["a.yaml", "a/z.yaml", "b.yaml"]);
        assert_eq!(tree.get("a/z.yaml"), Some("az"));
        assert_eq!(tree.get("missing.yaml"), None);
    }
}

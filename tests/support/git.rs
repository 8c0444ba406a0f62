//! Temporary git repositories for tests of `diff --against-ref`, isolated from
//! the user's and the system's git configuration.

use std::path::Path;
use std::process::Command;

/// Runs `git -C dir ARGS` with a fixed identity and no outside configuration;
/// panics with git's output on failure. Returns stdout.
#[track_caller]
pub fn git(dir: &Path, args: &[&str]) -> String {
    let output = Command::new("git")
        .arg("-C")
        .arg(dir)
        .args(["-c", "user.name=platformgen tests"])
        .args(["-c", "user.email=tests@example.com"])
        .args(["-c", "init.defaultBranch=main"])
        .args(["-c", "commit.gpgsign=false"])
        .args(args)
        .env("GIT_CONFIG_GLOBAL", "/dev/null")
        .env("GIT_CONFIG_NOSYSTEM", "1")
        .output()
        .expect("git runs (install git to run these tests)");
    assert!(
        output.status.success(),
        "git {args:?} failed:\n{}{}",
        String::from_utf8_lossy(&output.stdout),
        String::from_utf8_lossy(&output.stderr)
    );
    String::from_utf8(output.stdout).expect("git prints UTF-8")
}

/// Makes `dir` a repository and commits everything in it.
#[track_caller]
pub fn init_and_commit(dir: &Path, message: &str) {
    git(dir, &["init", "--quiet"]);
    commit_all(dir, message);
}

/// Commits everything in the work tree of `dir`.
#[track_caller]
pub fn commit_all(dir: &Path, message: &str) {
    git(dir, &["add", "--all"]);
    git(dir, &["commit", "--quiet", "--allow-empty", "-m", message]);
}

/// Copies the spec of the example platform (platform.yaml, environments/)
/// from `from` into `to`.
#[track_caller]
pub fn copy_platform(from: &Path, to: &Path) {
    std::fs::create_dir_all(to.join("environments")).expect("create environments/");
    std::fs::copy(from.join("platform.yaml"), to.join("platform.yaml"))
        .expect("copy platform.yaml");
    for entry in std::fs::read_dir(from.join("environments")).expect("read environments/") {
        let entry = entry.expect("entry");
        if entry.path().extension().is_some_and(|e| e == "yaml") {
            std::fs::copy(
                entry.path(),
                to.join("environments").join(entry.file_name()),
            )
            .expect("copy overlay");
        }
    }
}

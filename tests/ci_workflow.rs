//! docs/ci.md runs as documented: every `platformgen` command in it (in code
//! blocks, in the workflow's `run:` steps and in inline code) is run, in
//! document order, in a temporary git repository holding the example
//! platform with its render committed, as a pull request branch off `main`
//! would be in CI. The ArgoCD Applications it tells to render point at the
//! directories the render writes.

use std::path::Path;
use std::process::Command;

use crate::support::cli::repository;
use crate::support::git::{commit_all, copy_platform, git, init_and_commit};
use crate::support::python;

/// A command of the document, and where it came from.
#[derive(Debug)]
struct DocCommand {
    line: usize,
    text: String,
}

/// The fenced code blocks of a Markdown text: (info string, first line, body).
fn code_blocks(markdown: &str) -> Vec<(String, usize, String)> {
    let mut blocks = Vec::new();
    let mut open: Option<(String, usize, String)> = None;
    for (index, line) in markdown.lines().enumerate() {
        match (&mut open, line.strip_prefix("```")) {
            (None, Some(info)) => open = Some((info.trim().to_owned(), index + 2, String::new())),
            (Some(_), Some(_)) => blocks.extend(open.take()),
            (Some((_, _, body)), None) => {
                body.push_str(line);
                body.push('\n');
            }
            (None, None) => {}
        }
    }
    blocks
}

/// Every `platformgen` command of docs/ci.md, in document order.
fn commands(markdown: &str) -> Vec<DocCommand> {
    let mut found = Vec::new();
    let blocks = code_blocks(markdown);
    let mut in_block = vec![false; markdown.lines().count() + 2];
    for (info, first, body) in &blocks {
        for (offset, line) in body.lines().enumerate() {
            in_block[first + offset] = true;
            let trimmed = line.trim();
            let command = match info.as_str() {
                "sh" => trimmed.starts_with("platformgen ").then_some(trimmed),
                "yaml" => trimmed
                    .strip_prefix("run: ")
                    .filter(|run| run.contains("platformgen ")),
                _ => None,
            };
            if let Some(command) = command {
                found.push(DocCommand {
                    line: first + offset,
                    text: command.to_owned(),
                });
            }
        }
        in_block[first - 1] = true;
        in_block[first + body.lines().count()] = true;
    }
    // Inline code in the prose: `platformgen ...`.
    for (index, line) in markdown.lines().enumerate() {
        if in_block[index + 1] {
            continue;
        }
        for (i, span) in line.split('`').enumerate() {
            if i % 2 == 1 && span.starts_with("platformgen ") {
                found.push(DocCommand {
                    line: index + 1,
                    text: span.replace("<base branch>", "$BASE_REF"),
                });
            }
        }
    }
    found.sort_by_key(|command| command.line);
    found
}

/// The example platform and its render committed on `main` (also as
/// `origin/main`), then a branch that changes prod and re-renders, as a
/// pull request would.
fn pull_request_repository() -> tempfile::TempDir {
    let repo = tempfile::tempdir().expect("tempdir");
    copy_platform(&repository(), repo.path());
    let binary = env!("CARGO_BIN_EXE_platformgen");
    let render = |dir: &Path| {
        for command in [
            ["--quiet", "render", "--all", "--out", "deploy"],
            ["--quiet", "argocd", "--all", "--out", "argocd"],
        ] {
            let status = Command::new(binary)
                .args(command)
                .current_dir(dir)
                .status()
                .expect("platformgen runs");
            assert!(status.success());
        }
    };
    render(repo.path());
    init_and_commit(repo.path(), "platform and its render");
    git(repo.path(), &["branch", "--move", "main"]);
    git(
        repo.path(),
        &["update-ref", "refs/remotes/origin/main", "main"],
    );
    git(repo.path(), &["checkout", "--quiet", "-b", "scale-jaeger"]);
    let prod = repo.path().join("environments/prod.yaml");
    let text = std::fs::read_to_string(&prod).expect("read prod.yaml");
    let changed = text.replace("jaeger: { replicas: 2 }", "jaeger: { replicas: 3 }");
    assert_ne!(
        text, changed,
        "the example's prod overlay sets jaeger's replicas"
    );
    std::fs::write(&prod, changed).expect("write prod.yaml");
    render(repo.path());
    commit_all(repo.path(), "scale jaeger in prod");
    repo
}

#[test]
fn every_platformgen_command_of_the_ci_guide_runs() {
    let markdown = std::fs::read_to_string(repository().join("docs/ci.md")).expect("docs/ci.md");
    let commands = commands(&markdown);
    for expected in [
        "platformgen check --all",
        "platformgen diff --all --against-ref \"origin/$BASE_REF\" --format markdown > diff.md || test $? -eq 1",
        "platformgen diff --all --against-ref \"origin/$BASE_REF\" --fail-on-destructive > /dev/null || test $? -eq 1",
        "platformgen diff prod --fail-on-destructive",
        "platformgen render --all --out deploy --check",
        "platformgen render --all --out deploy",
        "platformgen diff prod",
        "platformgen kustomize --out kustomize",
        "platformgen kustomize --out kustomize --check",
    ] {
        assert!(
            commands.iter().any(|c| c.text == expected),
            "docs/ci.md runs {expected:?}; found {commands:#?}"
        );
    }

    let repo = pull_request_repository();
    let binary = Path::new(env!("CARGO_BIN_EXE_platformgen"));
    let path = format!(
        "{}:{}",
        binary.parent().expect("bin dir").display(),
        std::env::var("PATH").unwrap_or_default()
    );
    for command in &commands {
        let output = Command::new("bash")
            .args(["-euo", "pipefail", "-c", &command.text])
            .current_dir(repo.path())
            .env("PATH", &path)
            .env("BASE_REF", "main")
            .env("NO_COLOR", "1")
            .output()
            .expect("bash runs");
        let code = output.status.code().unwrap_or(-1);
        // A `diff` typed in prose exits 1 when there are changes; everything
        // else, and every step of the workflow, must succeed.
        let diff_with_changes = command.text.starts_with("platformgen diff") && code == 1;
        assert!(
            code == 0 || diff_with_changes,
            "docs/ci.md:{}: `{}` exited {code}:\n{}{}",
            command.line,
            command.text,
            String::from_utf8_lossy(&output.stdout),
            String::from_utf8_lossy(&output.stderr)
        );
    }

    // The workflow's diff step wrote the comment: the pull request's change.
    let comment = std::fs::read_to_string(repo.path().join("diff.md")).expect("diff.md");
    assert!(
        comment.starts_with("### platformgen diff against `origin/main`\n"),
        "{comment}"
    );
    assert!(comment.contains("| prod | 1 | 0 | 0 |"), "{comment}");
    assert!(comment.contains("+  replicas: 3"), "{comment}");
}

#[test]
fn the_workflow_is_valid_yaml_with_the_documented_steps() {
    let markdown = std::fs::read_to_string(repository().join("docs/ci.md")).expect("docs/ci.md");
    let workflow = code_blocks(&markdown)
        .into_iter()
        .find(|(info, _, body)| info == "yaml" && body.contains("jobs:"))
        .expect("a workflow block");
    let workflow = &python::documents(&workflow.2)[0];
    let steps = workflow["jobs"]["platform"]["steps"]
        .as_array()
        .expect("steps");
    assert_eq!(
        steps[0]["with"]["fetch-depth"], 0,
        "the base branch is fetched"
    );
    assert!(
        workflow["permissions"]["pull-requests"] == "write",
        "the job may comment"
    );
}

#[test]
fn the_argocd_applications_point_at_the_render_directories() {
    let markdown = std::fs::read_to_string(repository().join("docs/ci.md")).expect("docs/ci.md");
    let commands = commands(&markdown);
    assert!(
        commands
            .iter()
            .any(|c| c.text == "platformgen argocd --all --out argocd --check"),
        "the guide checks the committed ArgoCD objects"
    );
    let stream = crate::support::cli::run(&repository(), &["argocd", "--all"])
        .success()
        .stdout;
    let applications: Vec<_> = python::documents(&stream)
        .into_iter()
        .filter(|o| o["kind"] == "Application" && o["spec"]["source"]["path"].is_string())
        .collect();
    let paths: Vec<&str> = applications
        .iter()
        .map(|a| a["spec"]["source"]["path"].as_str().expect("a path"))
        .collect();
    assert_eq!(paths, ["deploy/dev", "deploy/prod", "deploy/staging"]);
}

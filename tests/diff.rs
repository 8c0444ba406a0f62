//! `platformgen diff`: a resource-level diff of the new render against a
//! previous one (a `render --out` tree, or the spec at a git revision), in
//! text, Markdown and JSON, with secret values masked, and exit codes 0 (no
//! change), 1 (changes) and 2 (error).

use std::path::Path;

use crate::support::cli::{MINIMAL_BASE, MINIMAL_PROD, Platform, repository, run_in};
use crate::support::git::{commit_all, copy_platform, git, init_and_commit};
use crate::support::snapshot_settings;

/// The minimal platform with its prod render written to `deploy/`.
fn rendered() -> Platform {
    let platform = Platform::with(MINIMAL_BASE, &[("prod", MINIMAL_PROD)]);
    platform
        .run(&["render", "prod", "--out", "deploy"])
        .success();
    platform
}

fn read(platform: &Platform, relative: &str) -> String {
    std::fs::read_to_string(platform.path().join(relative)).expect("read")
}

#[test]
fn no_change_exits_0_and_says_so() {
    let platform = rendered();
    let run = platform.run(&["diff", "prod", "--against", "deploy"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert_eq!(run.stdout, "");
    assert!(run.stderr.ends_with("prod: no changes\n"), "{}", run.stderr);
    // Markdown and JSON say so too.
    let markdown = platform.run(&[
        "diff",
        "prod",
        "--against",
        "deploy",
        "--format",
        "markdown",
    ]);
    assert_eq!(markdown.code, 0);
    assert!(
        markdown.stdout.contains("No changes."),
        "{}",
        markdown.stdout
    );
}

#[test]
fn one_changed_field_is_one_hunk_headed_by_its_path() {
    let platform = rendered();
    platform.write(
        "environments/prod.yaml",
        &MINIMAL_PROD.replace("replicas: 3", "replicas: 4"),
    );
    let run = platform.run(&["diff", "prod", "--against", "deploy"]);
    assert_eq!(run.code, 1, "{}", run.stderr);
    assert_eq!(
        run.stdout,
        "prod: changed Deployment shop/web\n\
         --- a/prod/shop/deployment-web.yaml\n\
         +++ b/prod/shop/deployment-web.yaml\n\
         @@ -12,7 +12,7 @@ spec.replicas\n   \
           name: web\n   \
           namespace: shop\n \
         spec:\n\
         -  replicas: 3\n\
         +  replicas: 4\n   \
           revisionHistoryLimit: 5\n   \
           selector:\n     \
             matchLabels:\n"
    );
    assert!(
        run.stderr
            .ends_with("prod: 1 changed, 0 added, 0 removed\n"),
        "{}",
        run.stderr
    );
    // --context 0: only the changed lines.
    let run = platform.run(&["diff", "prod", "--against", "deploy", "--context", "0"]);
    assert!(
        run.stdout
            .contains("@@ -15 +15 @@ spec.replicas\n-  replicas: 3\n+  replicas: 4\n"),
        "{}",
        run.stdout
    );
}

#[test]
fn added_and_removed_resources_are_listed_whole() {
    let with_legacy = MINIMAL_BASE.replace(
        "  db:\n",
        "  legacy:\n    namespace: shop\n    image: ghcr.io/acme/legacy:1.0.0\n    \
         resources:\n      requests: { cpu: 50m, memory: 64Mi }\n      \
         limits: { cpu: 100m, memory: 128Mi }\n  db:\n",
    );
    let platform = Platform::with(&with_legacy, &[("prod", MINIMAL_PROD)]);
    platform
        .run(&["render", "prod", "--out", "deploy"])
        .success();
    platform.write("platform.yaml", &with_legacy.replace("legacy", "worker"));
    let run = platform.run(&["diff", "prod", "--against", "deploy"]);
    assert_eq!(run.code, 1, "{}", run.stderr);
    for expected in [
        "prod: added Deployment shop/worker\n--- /dev/null\n+++ b/prod/shop/deployment-worker.yaml\n@@ -0,0 +1,",
        "prod: removed Deployment shop/legacy\n--- a/prod/shop/deployment-legacy.yaml\n+++ /dev/null\n@@ -1,",
        "+  name: worker\n",
        "-  name: legacy\n",
    ] {
        assert!(
            run.stdout.contains(expected),
            "{expected:?} in\n{}",
            run.stdout
        );
    }
    // Apply order: the ServiceAccounts before the Deployments.
    let position = |text: &str| run.stdout.find(text).expect(text);
    assert!(
        position("added ServiceAccount shop/worker") < position("added Deployment shop/worker")
    );
    let summary = run.stderr.lines().last().expect("summary");
    let counts: Vec<usize> = summary
        .split(|c: char| !c.is_ascii_digit())
        .filter(|s| !s.is_empty())
        .map(|s| s.parse().expect("number"))
        .collect();
    assert_eq!(counts[1], counts[2], "as many added as removed: {summary}");
    assert!(counts[1] >= 2, "{summary}");
}

/// A development platform whose web workload has a plain secret.
fn with_secret(password: &str) -> String {
    MINIMAL_BASE.replace(
        "    uses: [db]\n",
        &format!(
            "    uses: [db]\n    secrets:\n      creds:\n        \
             plain: {{ password: {password}, user: admin }}\n        \
             env: {{ DB_PASSWORD: password, DB_USER: user }}\n"
        ),
    )
}

#[test]
fn secret_values_are_masked_but_each_changed_key_is_shown() {
    let platform = Platform::with(
        &with_secret("old-secret"),
        &[("dev", "domain: dev.example.com\n")],
    );
    platform
        .run(&["render", "dev", "--out", "deploy"])
        .success();
    let secret_file = "deploy/shop/secret-web-creds.yaml";
    let previous = read(&platform, secret_file);
    assert!(
        previous.contains("password: b2xkLXNlY3JldA=="),
        "{previous}"
    );
    // By hand, in the previous tree: a key that the spec no longer has.
    platform.write(
        secret_file,
        &previous.replace(
            "  user: YWRtaW4=\n",
            "  token: dG9rZW4=\n  user: YWRtaW4=\n",
        ),
    );
    platform.write("platform.yaml", &with_secret("new-secret"));

    let run = platform.run(&["diff", "dev", "--against", "deploy"]);
    assert_eq!(run.code, 1, "{}", run.stderr);
    for leak in [
        "b2xkLXNlY3JldA==",
        "bmV3LXNlY3JldA==",
        "dG9rZW4=",
        "YWRtaW4=",
        "new-secret",
    ] {
        assert!(!run.stdout.contains(leak), "{leak} leaked:\n{}", run.stdout);
    }
    for expected in [
        "dev: changed Secret shop/web-creds\n",
        "  data.password: changed (value masked)\n  data.token: removed (value masked)\n",
        "-  password: \"(masked, before)\"\n-  token: \"(masked)\"\n\
         +  password: \"(masked, after)\"\n   user: \"(masked)\"\n",
    ] {
        assert!(
            run.stdout.contains(expected),
            "{expected:?} in\n{}",
            run.stdout
        );
    }
    let json = platform.run(&["diff", "dev", "--against", "deploy", "--format", "json"]);
    let report: serde_json::Value = serde_json::from_str(&json.stdout).expect("JSON");
    let secret = report["environments"]["dev"]["resources"]
        .as_array()
        .expect("resources")
        .iter()
        .find(|r| r["kind"] == "Secret")
        .expect("the Secret changed");
    assert_eq!(
        secret["secretKeys"],
        serde_json::json!([
            {"path": "data.password", "change": "changed"},
            {"path": "data.token", "change": "removed"},
        ])
    );

    let shown = platform.run(&["diff", "dev", "--against", "deploy", "--show-secrets"]);
    assert!(
        shown.stdout.contains(
            "-  password: b2xkLXNlY3JldA==\n-  token: dG9rZW4=\n+  password: bmV3LXNlY3JldA==\n"
        ),
        "{}",
        shown.stdout
    );
}

/// Rewrites a YAML document the way a person or another tool might: keys in
/// reverse order, every string single-quoted, flow style for short maps,
/// comments and a document marker. Same objects, other bytes.
const REFORMAT: &str = r##"
import json, sys
from ruamel.yaml import YAML
path, style = sys.argv[1], sys.argv[2]
doc = YAML(typ="safe", pure=True).load(open(path))
def reverse(v):
    if isinstance(v, dict):
        return {k: reverse(v[k]) for k in sorted(v, reverse=True)}
    if isinstance(v, list):
        return [reverse(x) for x in v]
    return v
doc = reverse(doc)
if style == "json":
    text = json.dumps(doc, indent=1) + "\n"
else:
    def emit(v, indent):
        pad = " " * indent
        if isinstance(v, dict):
            if v and all(not isinstance(x, (dict, list)) for x in v.values()) and len(v) < 3:
                return "{" + ", ".join(f"'{k}': {scalar(x)}" for k, x in v.items()) + "}"
            if not v:
                return "{}"
            return "".join(f"\n{pad}'{k}': {emit(x, indent + 4)}" for k, x in v.items())
        if isinstance(v, list):
            if not v:
                return "[]"
            return "".join(f"\n{pad}- {emit(x, indent + 2).lstrip()}" for x in v)
        return scalar(v)
    def scalar(v):
        if isinstance(v, str):
            return "'" + v.replace("'", "''").replace("\n", "\n\n") + "'"
        return json.dumps(v)
    text = "# reformatted by hand\n---" + emit(doc, 0) + "\n...\n"
open(path, "w").write(text)
"##;

fn reformat(path: &Path, style: &str) {
    let status = std::process::Command::new("python3")
        .args(["-c", REFORMAT])
        .arg(path)
        .arg(style)
        .status()
        .expect("python3 runs");
    assert!(status.success());
}

#[test]
fn formatting_only_differences_are_not_changes() {
    let platform = rendered();
    let deploy = platform.path().join("deploy");
    reformat(&deploy.join("shop/deployment-web.yaml"), "json");
    reformat(&deploy.join("shop/statefulset-db.yaml"), "yaml");
    reformat(&deploy.join("shop/service-web.yaml"), "yaml");
    assert!(read(&platform, "deploy/shop/deployment-web.yaml").starts_with('{'));
    assert!(read(&platform, "deploy/shop/statefulset-db.yaml").contains("'kind': 'StatefulSet'"));
    // render --check sees the bytes differ; diff sees the same objects.
    assert_eq!(
        platform
            .run(&["render", "prod", "--out", "deploy", "--check"])
            .code,
        1
    );
    let run = platform.run(&["diff", "prod", "--against", "deploy"]);
    assert_eq!(run.code, 0, "{}\n{}", run.stdout, run.stderr);
    assert!(run.stderr.ends_with("prod: no changes\n"));

    // A real change in a reformatted file is still found, and shown in the
    // canonical form.
    platform.write(
        "environments/prod.yaml",
        &MINIMAL_PROD.replace("replicas: 3", "replicas: 5"),
    );
    let run = platform.run(&["diff", "prod", "--against", "deploy"]);
    assert_eq!(run.code, 1);
    assert!(
        run.stdout.contains("-  replicas: 3\n+  replicas: 5\n"),
        "{}",
        run.stdout
    );
}

#[test]
fn a_broken_previous_render_is_an_error_with_its_location() {
    let platform = rendered();
    platform.write(
        "deploy/shop/service-web.yaml",
        "kind: Service\nmetadata: [\n",
    );
    let run = platform.run(&["diff", "prod", "--against", "deploy"]);
    assert_eq!(run.code, 2);
    assert!(
        run.stderr.contains("deploy/shop/service-web.yaml:"),
        "{}",
        run.stderr
    );

    platform.write(
        "deploy/shop/service-web.yaml",
        "kind: Service\nmetadata: {name: web}\n",
    );
    let run = platform.run(&["diff", "prod", "--against", "deploy"]);
    assert_eq!(run.code, 2);
    assert!(
        run.stderr
            .contains("error[PG1012]: `deploy/shop/service-web.yaml` is not a Kubernetes object: no `apiVersion` string"),
        "{}",
        run.stderr
    );
}

#[test]
fn errors_exit_2_with_a_clear_message() {
    let platform = rendered();
    #[track_caller]
    fn case(platform: &Platform, args: &[&str], expected: &str) {
        let run = platform.run(args);
        assert_eq!(run.code, 2, "{args:?}: {}", run.stderr);
        assert!(
            run.stderr.contains(expected),
            "{args:?}: {expected:?} in\n{}",
            run.stderr
        );
    }
    case(
        &platform,
        &["diff", "prod", "--against", "nope"],
        "`nope` is not a directory",
    );
    case(
        &platform,
        &["diff", "prod", "--against", "environments"],
        "`environments` is not a directory written by `platformgen render --out`",
    );
    case(
        &platform,
        &[
            "diff",
            "prod",
            "--against",
            "deploy",
            "--against-ref",
            "HEAD",
        ],
        "cannot be used with",
    );
    // Not a git repository: the default (HEAD) cannot be reached.
    case(
        &platform,
        &["diff", "prod"],
        "cannot compare with `HEAD` (the default); name a render with --against DIR or a revision with --against-ref",
    );
    case(
        &platform,
        &["diff", "prod", "--against-ref", "main"],
        "is not in a git repository",
    );
    case(
        &platform,
        &["diff", "staging", "--against", "deploy"],
        "unknown environment `staging`",
    );
    case(
        &platform,
        &["diff", "prod", "--against", "deploy", "--format", "yaml"],
        "invalid value 'yaml'",
    );
}

#[test]
fn all_environments_against_a_render_all_tree() {
    let platform = Platform::with(
        MINIMAL_BASE,
        &[("prod", MINIMAL_PROD), ("dev", "domain: dev.example.com\n")],
    );
    platform
        .run(&["render", "--all", "--out", "deploy"])
        .success();
    let fresh = platform.run(&["diff", "--all", "--against", "deploy"]);
    assert_eq!(fresh.code, 0, "{}", fresh.stderr);
    assert!(
        fresh
            .stderr
            .ends_with("dev: no changes\nprod: no changes\n"),
        "{}",
        fresh.stderr
    );

    // A new environment: everything in it is added.
    platform.write(
        "environments/qa.yaml",
        "tier: development\ndomain: qa.example.com\n",
    );
    let run = platform.run(&["diff", "--all", "--against", "deploy"]);
    assert_eq!(run.code, 1);
    assert!(
        run.stdout.contains("qa: added Deployment shop/web"),
        "{}",
        run.stdout
    );
    assert!(
        run.stderr
            .contains("dev: no changes\nprod: no changes\nqa: 0 changed, "),
        "{}",
        run.stderr
    );

    // One environment against the `--all` tree: its own directory is used.
    let run = platform.run(&["diff", "prod", "--against", "deploy"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert!(run.stderr.ends_with("prod: no changes\n"), "{}", run.stderr);

    // --against must then be the directory of the environments.
    let run = platform.run(&["diff", "--all", "--against", "deploy/prod"]);
    assert_eq!(run.code, 2);
    assert!(
        run.stderr.contains("holds no render of any environment"),
        "{}",
        run.stderr
    );
}

#[test]
fn color_only_when_asked_or_on_a_terminal() {
    let platform = rendered();
    platform.write(
        "environments/prod.yaml",
        &MINIMAL_PROD.replace("replicas: 3", "replicas: 4"),
    );
    let plain = platform.run(&["diff", "prod", "--against", "deploy"]);
    assert!(!plain.stdout.contains('\x1b'));
    let colored = platform.run(&["--color", "always", "diff", "prod", "--against", "deploy"]);
    assert!(
        colored.stdout.contains("\x1b[31m-  replicas: 3\x1b[0m\n"),
        "{:?}",
        colored.stdout
    );
    assert!(colored.stdout.contains("\x1b[32m+  replicas: 4\x1b[0m\n"));
}

/// The example platform committed in a temporary repository, in the
/// subdirectory `platform/` (so the platform is not at the repository root).
fn example_repository() -> (tempfile::TempDir, std::path::PathBuf) {
    let repo = tempfile::tempdir().expect("tempdir");
    let dir = repo.path().join("platform");
    copy_platform(&repository(), &dir);
    init_and_commit(repo.path(), "example platform");
    (repo, dir)
}

/// Commits a `platform.yaml` in `dir` that does not compile (`workloads`
/// misspelt) and returns the one that does; the work tree keeps the
/// broken one.
fn commit_broken_spec(repo: &Path, dir: &Path) -> String {
    let platform = dir.join("platform.yaml");
    let good = std::fs::read_to_string(&platform).expect("read");
    std::fs::write(&platform, good.replacen("workloads:", "workloadz:", 1)).expect("write");
    commit_all(repo, "broken");
    good
}

fn diff_in(dir: &Path, args: &[&str]) -> crate::support::cli::Run {
    run_in(dir, dir, args, &[])
}

#[test]
fn against_a_git_revision_reads_the_spec_from_git() {
    let (repo, dir) = example_repository();
    // Nothing changed since HEAD.
    let run = diff_in(&dir, &["diff", "--all"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert!(
        run.stderr
            .ends_with("dev: no changes\nprod: no changes\nstaging: no changes\n"),
        "{}",
        run.stderr
    );

    // Work in progress: a change to prod.
    let prod = std::fs::read_to_string(dir.join("environments/prod.yaml")).expect("read");
    let changed = prod.replace("jaeger: { replicas: 2 }", "jaeger: { replicas: 3 }");
    assert_ne!(
        prod, changed,
        "the example's prod overlay sets jaeger's replicas"
    );
    std::fs::write(dir.join("environments/prod.yaml"), &changed).expect("write");
    let head = git(repo.path(), &["rev-parse", "HEAD"]);
    for args in [
        &["diff", "prod"][..],
        &["diff", "prod", "--against-ref", "HEAD"],
        &["diff", "prod", "--against-ref", head.trim()],
    ] {
        let run = diff_in(&dir, args);
        assert_eq!(run.code, 1, "{args:?}: {}", run.stderr);
        assert!(
            run.stdout
                .starts_with("prod: changed Deployment health-platform-observability/jaeger\n"),
            "{args:?}: {}",
            run.stdout
        );
        assert!(
            run.stdout.contains("-  replicas: 2\n+  replicas: 3\n"),
            "{}",
            run.stdout
        );
        assert!(
            run.stderr
                .ends_with("prod: 1 changed, 0 added, 0 removed\n"),
            "{}",
            run.stderr
        );
    }
    // The working tree was not touched.
    assert_eq!(
        std::fs::read_to_string(dir.join("environments/prod.yaml")).expect("read"),
        changed
    );
    assert_eq!(
        git(repo.path(), &["status", "--porcelain"]),
        " M platform/environments/prod.yaml\n"
    );

    // Committed, the change is in HEAD; against the commit before, it shows.
    commit_all(repo.path(), "more jaeger");
    assert_eq!(diff_in(&dir, &["diff", "prod"]).code, 0);
    assert_eq!(
        diff_in(&dir, &["diff", "prod", "--against-ref", "HEAD~1"]).code,
        1
    );
}

#[test]
fn all_environments_against_a_revision_follow_the_work_tree() {
    let (repo, dir) = example_repository();
    // An environment deleted since the revision: all of it is removed.
    std::fs::remove_file(dir.join("environments/staging.yaml")).expect("remove");
    let run = diff_in(&dir, &["diff", "--all"]);
    assert_eq!(run.code, 1, "{}", run.stderr);
    assert!(
        run.stdout.contains("staging: removed Namespace"),
        "{}",
        run.stdout
    );
    assert!(
        run.stderr
            .contains("dev: no changes\nprod: no changes\nstaging: 0 changed, 0 added, "),
        "{}",
        run.stderr
    );

    // Both sides broken: the work tree's errors end the command, and the
    // revision's are not reported (nothing is diffed against it).
    let good = commit_broken_spec(repo.path(), &dir);
    let broken_otherwise = good.replacen("workloads:", "workloadx:", 1);
    std::fs::write(dir.join("platform.yaml"), broken_otherwise).expect("write");
    let run = diff_in(&dir, &["diff", "--all"]);
    assert_eq!(run.code, 2, "{}", run.stderr);
    assert!(run.stderr.contains("--> platform.yaml:"), "{}", run.stderr);
    assert!(!run.stderr.contains("HEAD:platform/"), "{}", run.stderr);
    assert!(!run.stderr.contains("the spec at `HEAD`"), "{}", run.stderr);
}

#[test]
fn git_revision_errors_exit_2() {
    let (repo, dir) = example_repository();
    let run = diff_in(&dir, &["diff", "prod", "--against-ref", "no-such-branch"]);
    assert_eq!(run.code, 2);
    assert!(
        run.stderr.contains("unknown git revision `no-such-branch`"),
        "{}",
        run.stderr
    );

    // A revision whose spec does not compile: say which, and where.
    let good = commit_broken_spec(repo.path(), &dir);
    std::fs::write(dir.join("platform.yaml"), good).expect("write");
    let run = diff_in(&dir, &["diff", "prod"]);
    assert_eq!(run.code, 2, "{}", run.stderr);
    assert!(
        run.stderr.contains("--> HEAD:platform/platform.yaml:"),
        "{}",
        run.stderr
    );
    assert!(
        run.stderr.contains("error: the spec at `HEAD` (commit "),
        "{}",
        run.stderr
    );

    // A revision without the platform at all (a commit of the empty tree,
    // made without touching the work tree).
    let empty_tree = git(repo.path(), &["hash-object", "-t", "tree", "/dev/null"]);
    let empty = git(
        repo.path(),
        &["commit-tree", empty_tree.trim(), "-m", "empty"],
    );
    git(
        repo.path(),
        &["update-ref", "refs/heads/empty", empty.trim()],
    );
    let run = diff_in(&dir, &["diff", "prod", "--against-ref", "empty"]);
    // No environments at that revision: prod is new, everything is added.
    assert_eq!(run.code, 1, "{}", run.stderr);
    assert!(
        run.stdout.contains("prod: added Namespace"),
        "{}",
        run.stdout
    );
}

/// A change that touches one existing resource and adds one, for the report
/// snapshots.
fn changed_platform() -> Platform {
    let platform = rendered();
    platform.write(
        "environments/prod.yaml",
        &MINIMAL_PROD.replace(
            "web: { replicas: 3 }",
            "web: { replicas: 4, config: { env: { MODE: blue } } }",
        ),
    );
    platform
}

#[test]
fn markdown_report_snapshot() {
    let platform = changed_platform();
    let run = platform.run(&[
        "diff",
        "prod",
        "--against",
        "deploy",
        "--format",
        "markdown",
    ]);
    assert_eq!(run.code, 1, "{}", run.stderr);
    snapshot_settings().bind(|| insta::assert_snapshot!("diff_markdown", run.stdout));
}

#[test]
fn json_report_snapshot() {
    let platform = changed_platform();
    let run = platform.run(&["diff", "prod", "--against", "deploy", "--format", "json"]);
    assert_eq!(run.code, 1, "{}", run.stderr);
    let report: serde_json::Value = serde_json::from_str(&run.stdout).expect("valid JSON");
    assert_eq!(report["against"], "deploy");
    snapshot_settings().bind(|| insta::assert_snapshot!("diff_json", run.stdout));
}

/// Every example diffs clean against its own `render --all --out` tree, and
/// a change of its production domain shows as changed Ingresses there and
/// nowhere else.
#[test]
fn every_example_diffs_against_its_render() {
    for example in crate::support::platforms::examples() {
        let place = crate::support::platforms::display(&example);
        let copy = tempfile::tempdir().expect("tempdir");
        let dir = copy.path().join("platform");
        copy_platform(&example, &dir);
        let deploy = copy.path().join("deploy");
        let deploy = deploy.to_str().expect("UTF-8 path");
        diff_in(&dir, &["render", "--all", "--out", deploy]).success();
        let fresh = diff_in(&dir, &["diff", "--all", "--against", deploy]);
        assert_eq!(fresh.code, 0, "{place}: {}", fresh.stderr);

        let production = crate::support::platforms::production_environment(&dir)
            .unwrap_or_else(|| panic!("{place} has a production environment"));
        let overlay = dir.join(format!("environments/{production}.yaml"));
        let text = std::fs::read_to_string(&overlay).expect("the overlay is readable");
        let changed: String = text
            .lines()
            .map(|line| {
                if line.starts_with("domain: ") {
                    "domain: moved.example.org".to_owned()
                } else {
                    line.to_owned()
                }
            })
            .collect::<Vec<_>>()
            .join("\n");
        assert_ne!(
            text.trim_end(),
            changed,
            "{place}: the overlay sets a domain"
        );
        std::fs::write(&overlay, changed).expect("the overlay is written");
        let run = diff_in(&dir, &["diff", "--all", "--against", deploy]);
        assert_eq!(run.code, 1, "{place}: {}", run.stderr);
        assert!(
            run.stdout
                .contains(&format!("{production}: changed Ingress ")),
            "{place}:\n{}",
            run.stdout
        );
        assert!(
            run.stdout.contains("moved.example.org"),
            "{place}:\n{}",
            run.stdout
        );
    }
}

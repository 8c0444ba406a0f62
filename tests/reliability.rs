//! Edges where the binary used to panic or misreport: closed or full output
//! streams. Each test is the exact reproducer, checked for its exit status and
//! for the absence of a panic (exit 101, "panicked at").

use std::process::{Command, Output, Stdio};

use crate::support::cli::{MINIMAL_BASE, MINIMAL_PROD, Platform, repository};

/// Where a stream of the child goes.
enum Sink {
    /// A pipe whose reading end is already closed: every write is EPIPE.
    ClosedPipe,
    /// `/dev/full`: every write is ENOSPC.
    Full,
    Captured,
}

fn stdio(sink: &Sink) -> Stdio {
    match sink {
        Sink::ClosedPipe => {
            let (reader, writer) = std::io::pipe().expect("a pipe");
            drop(reader);
            writer.into()
        }
        Sink::Full => std::fs::OpenOptions::new()
            .write(true)
            .open("/dev/full")
            .expect("/dev/full")
            .into(),
        Sink::Captured => Stdio::piped(),
    }
}

fn platformgen(dir: &std::path::Path, args: &[&str], stdout: &Sink, stderr: &Sink) -> Output {
    Command::new(env!("CARGO_BIN_EXE_platformgen"))
        .env_clear()
        .current_dir(dir)
        .arg("--dir")
        .arg(dir)
        .args(args)
        .stdin(Stdio::null())
        .stdout(stdio(stdout))
        .stderr(stdio(stderr))
        .output()
        .expect("the binary runs")
}

#[track_caller]
fn assert_no_panic(output: &Output) {
    assert_ne!(output.status.code(), Some(101), "panicked: {output:?}");
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(!stderr.contains("panicked at"), "{stderr}");
}

#[test]
fn a_full_stderr_is_no_panic() {
    let output = platformgen(
        &repository(),
        &["check", "--all"],
        &Sink::Captured,
        &Sink::Full,
    );
    assert_no_panic(&output);
    assert_eq!(output.status.code(), Some(0));
}

#[test]
fn a_closed_stderr_is_no_panic() {
    // `check --all 2>&1 | head -0`
    let output = platformgen(
        &repository(),
        &["check", "--all"],
        &Sink::ClosedPipe,
        &Sink::ClosedPipe,
    );
    assert_no_panic(&output);
    assert_eq!(output.status.code(), Some(0));
}

#[test]
fn a_closed_stdout_ends_render_quietly() {
    let output = platformgen(
        &repository(),
        &["render", "prod"],
        &Sink::ClosedPipe,
        &Sink::Captured,
    );
    assert_no_panic(&output);
    assert_eq!(output.status.code(), Some(0));
    assert_eq!(String::from_utf8_lossy(&output.stderr), "");
}

#[test]
fn diff_into_a_closed_pipe_still_says_there_are_changes() {
    // `diff prod --against DIR | true` used to exit 0 although there were
    // changes: the exit status is the answer, whoever reads the text.
    let platform = Platform::with(MINIMAL_BASE, &[("prod", MINIMAL_PROD)]);
    platform
        .run(&["render", "prod", "--out", "deploy"])
        .success();
    platform.write(
        "environments/prod.yaml",
        &MINIMAL_PROD.replace("replicas: 3", "replicas: 4"),
    );
    let output = platformgen(
        platform.path(),
        &["diff", "prod", "--against", "deploy"],
        &Sink::ClosedPipe,
        &Sink::Captured,
    );
    assert_no_panic(&output);
    assert_eq!(output.status.code(), Some(1), "{output:?}");
}

/// A file outside every platform directory, holding a canary.
fn outside_file(name: &str, text: &str) -> (tempfile::TempDir, std::path::PathBuf) {
    let outside = tempfile::tempdir().expect("tempdir");
    let path = outside.path().join(name);
    std::fs::write(&path, text).expect("write");
    (outside, path)
}

#[test]
fn spec_files_linked_from_outside_the_tree_are_refused() {
    let (_outside, credentials) = outside_file(
        "credentials",
        "[default]\naws_access_key_id = AKIA-canary-7731\n",
    );
    let platform = Platform::with(MINIMAL_BASE, &[("prod", MINIMAL_PROD)]);
    std::os::unix::fs::symlink(&credentials, platform.path().join("environments/leak.yaml"))
        .expect("symlink");
    for args in [
        vec!["check", "--all"],
        vec!["render", "leak"],
        vec!["explain", "leak"],
    ] {
        let run = platform.run(&args);
        assert_eq!(run.code, 2, "{args:?}: {}", run.stderr);
        assert!(!run.stderr.contains("AKIA"), "{args:?}: {}", run.stderr);
        assert!(!run.stdout.contains("AKIA"), "{args:?}: {}", run.stdout);
        assert!(
            run.stderr.contains("leads outside the platform directory"),
            "{args:?}: {}",
            run.stderr
        );
    }
    // A link that stays inside the tree is an ordinary file.
    std::fs::remove_file(platform.path().join("environments/leak.yaml")).expect("rm");
    std::os::unix::fs::symlink(
        "prod.yaml",
        platform.path().join("environments/production.yaml"),
    )
    .expect("symlink");
    platform.run(&["render", "production"]).success();
}

#[test]
fn environment_files_that_cannot_name_an_environment_are_an_error() {
    for file in [
        "x.platformgen-tmp.yaml",
        "a\\b.yaml",
        "new\nline.yaml",
        "Prod.yaml",
    ] {
        let platform = Platform::with(MINIMAL_BASE, &[("prod", MINIMAL_PROD)]);
        platform.write(&format!("environments/{file}"), "{}\n");
        for args in [
            vec!["check", "--all"],
            vec!["render", "--all", "--out", "deploy"],
            vec!["kustomize", "--out", "kustomize"],
        ] {
            let run = platform.run(&args);
            assert_eq!(run.code, 2, "{file:?} {args:?}: {}", run.stderr);
            assert!(!run.stderr.contains("panicked"), "{}", run.stderr);
            assert!(
                run.stderr.contains("does not name an environment"),
                "{}",
                run.stderr
            );
        }
    }
}

#[test]
fn a_previous_render_with_a_symbolic_link_is_refused() {
    let (_outside, secret) = outside_file("env", "AWS_SECRET_ACCESS_KEY=canary-5521\n");
    let platform = Platform::with(MINIMAL_BASE, &[("prod", MINIMAL_PROD)]);
    platform
        .run(&["render", "prod", "--out", "deploy"])
        .success();
    let listed =
        std::fs::read_to_string(platform.path().join("deploy/.platformgen-index")).expect("index");
    let victim = listed
        .lines()
        .find(|line| line.ends_with(".yaml") && line.contains('/'))
        .expect("a listed object file");
    let victim = platform.path().join("deploy").join(victim);
    std::fs::remove_file(&victim).expect("rm");
    std::os::unix::fs::symlink(&secret, &victim).expect("symlink");
    let run = platform.run(&["diff", "prod", "--against", "deploy"]);
    assert_eq!(run.code, 2, "{}", run.stderr);
    assert!(!run.stdout.contains("canary"), "{}", run.stdout);
    assert!(!run.stderr.contains("canary"), "{}", run.stderr);
    assert!(run.stderr.contains("is a symbolic link"), "{}", run.stderr);
}

/// `(what, overlay of prod, text the error must contain, line:col)`: values
/// that used to be changed silently or accepted, each rejected at its line.
#[test]
fn values_kubernetes_would_refuse_or_change_are_rejected_at_their_line() {
    let cases: [(&str, &str, &str, &str); 9] = [
        (
            "replicas above int32",
            "workloads:\n  web:\n    replicas: 3000000000\n",
            "expected a non-negative integer from 0 to 2147483647",
            "prod.yaml:3:15",
        ),
        (
            "ConfigMap key `..data`",
            "workloads:\n  web:\n    config:\n      files:\n        ..data: x\n",
            "invalid config key `..data`",
            "prod.yaml:5:9",
        ),
        (
            "ConfigMap key `..`",
            "workloads:\n  web:\n    config:\n      env:\n        '..': x\n",
            "invalid config key `..`",
            "prod.yaml:5:9",
        ),
        (
            "YAML 2.0 directive",
            "%YAML 2.0\n---\n{}\n",
            "expected `%YAML 1.2`",
            "prod.yaml:1:1",
        ),
        (
            "a typed tag",
            "workloads:\n  web:\n    replicas: !!bool 2\n",
            "tag `!!bool`",
            "prod.yaml:3:15",
        ),
        (
            "shell syntax in an image",
            "workloads:\n  web:\n    image: ghcr.io/x$(id):1\n",
            "invalid value",
            "prod.yaml:3:12",
        ),
        (
            "a path in an image",
            "workloads:\n  web:\n    image: ../../x:1\n",
            "invalid value",
            "prod.yaml:3:12",
        ),
        (
            "two tags in an image",
            "workloads:\n  web:\n    image: x:1:2\n",
            "invalid value",
            "prod.yaml:3:12",
        ),
        (
            "an escape byte",
            "workloads:\n  web:\n    env: { MODE: \"\\e[31mred\" }\n",
            "control character U+001B",
            "prod.yaml:3:18",
        ),
    ];
    for (what, overlay, expected, place) in cases {
        let platform = Platform::with(MINIMAL_BASE, &[("prod", overlay)]);
        for args in [
            vec!["check", "prod"],
            vec!["render", "prod"],
            vec!["explain", "prod"],
        ] {
            let run = platform.run(&args);
            assert_eq!(run.code, 2, "{what} {args:?}: {}", run.stderr);
            assert!(run.stderr.contains(expected), "{what}: {}", run.stderr);
            assert!(run.stderr.contains(place), "{what}: {}", run.stderr);
            assert!(
                !run.stderr.contains('\u{1b}'),
                "{what}: raw escape in {}",
                run.stderr
            );
        }
    }
    // A multi-megabyte image reference is one short error.
    let huge = format!(
        "workloads:\n  web:\n    image: {}:1\n",
        "a".repeat(5_000_000)
    );
    let platform = Platform::with(MINIMAL_BASE, &[("prod", &huge)]);
    let run = platform.run(&["check", "prod"]);
    assert_eq!(run.code, 2);
    assert!(
        run.stderr.len() < 10_000,
        "{} bytes of errors",
        run.stderr.len()
    );
}

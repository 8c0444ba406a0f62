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

//! `--set PATH=VALUE` and `--image WORKLOAD=IMAGE`: values from the command
//! line over every environment's overlay, typed and checked like a file, and
//! named as their source in messages and in `explain`.

use crate::support::cli::{MINIMAL_BASE, MINIMAL_PROD, Platform};
use crate::support::snapshot_settings;

fn platform() -> Platform {
    Platform::with(MINIMAL_BASE, &[("prod", MINIMAL_PROD)])
}

#[test]
fn image_sets_the_workload_image_in_the_render() {
    let platform = platform();
    let run = platform
        .run(&["render", "prod", "--image", "web=ghcr.io/acme/web:2.0.0@sha256:0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef"])
        .success();
    assert!(
        run.stdout.contains(
            "image: ghcr.io/acme/web:2.0.0@sha256:0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef"
        ),
        "{}",
        run.stdout
    );
    assert!(!run.stdout.contains("ghcr.io/acme/web:1.2.3"));
    // The version label follows the image, as for a value written in a file.
    assert!(run.stdout.contains("app.kubernetes.io/version: \"2.0.0\""));
}

#[test]
fn set_values_are_typed_yaml_applied_in_order_over_the_overlay() {
    let platform = platform();
    let run = platform
        .run(&[
            "render",
            "prod",
            "--set",
            "workloads.web.replicas=4",
            "--set",
            "workloads.web.replicas=5",
            "--set",
            "workloads.web.env={GREETING: \"a: b\", EMPTY: ''}",
            "--set",
            "workloads.web.args=[--port, '8080']",
        ])
        .success();
    assert!(run.stdout.contains("replicas: 5\n"), "{}", run.stdout);
    assert!(
        run.stdout
            .contains("- name: GREETING\n              value: \"a: b\"\n            - name: EMPTY\n              value: \"\"\n"),
        "{}",
        run.stdout
    );
    assert!(
        run.stdout
            .contains("- args:\n            - \"--port\"\n            - \"8080\"\n"),
        "{}",
        run.stdout
    );
    // The same values written in the overlay render the same objects.
    let written = Platform::with(
        MINIMAL_BASE,
        &[(
            "prod",
            &format!(
                "{MINIMAL_PROD}    env: {{GREETING: \"a: b\", EMPTY: ''}}\n    args: [--port, '8080']\n"
            )
            .replace("web: { replicas: 3 }\n", "web:\n    replicas: 5\n"),
        )],
    );
    let expected = written.run(&["render", "prod"]).success();
    assert_eq!(expected.stdout, run.stdout);
}

#[test]
fn null_removes_a_key_and_an_image_applies_after_every_set() {
    let platform = platform();
    let run = platform
        .run(&[
            "render",
            "prod",
            "--image",
            "web=ghcr.io/acme/web:3.0.0",
            "--set",
            "workloads.web.image=ghcr.io/acme/web:9.9.9",
            "--set",
            "workloads.web.replicas=null",
        ])
        .success();
    assert!(
        run.stdout.contains("image: ghcr.io/acme/web:3.0.0"),
        "{}",
        run.stdout
    );
    // Without the overlay's `replicas: 3`, the default applies.
    assert!(!run.stdout.contains("replicas: 3"), "{}", run.stdout);
}

#[test]
fn explain_names_the_command_line_as_the_source() {
    let platform = platform();
    let run = platform
        .run(&[
            "explain",
            "prod",
            "workloads.web.replicas",
            "--set",
            "workloads.web.replicas=7",
        ])
        .success();
    assert_eq!(
        run.stdout,
        "workloads.web.replicas: 7  # --set:1:24 (overrides 3 from environments/prod.yaml:4:20)\n"
    );
}

#[test]
fn diff_shows_what_a_new_image_changes() {
    let platform = platform();
    std::fs::create_dir_all(platform.path().join("out")).expect("out/");
    platform
        .run(&["render", "prod", "--out", "out/prod"])
        .success();
    let run = platform.run(&[
        "diff",
        "prod",
        "--against",
        "out/prod",
        "--image",
        "web=ghcr.io/acme/web:1.2.4",
    ]);
    assert_eq!(run.code, 1, "changes found: {}", run.stderr);
    assert!(
        run.stdout
            .contains("+        - image: ghcr.io/acme/web:1.2.4\n"),
        "{}",
        run.stdout
    );
}

/// Each mistake, as a user sees it: exit code 2, the argument quoted with a
/// caret, a hint.
#[test]
fn mistakes_are_reported_in_the_argument() {
    let cases: &[(&str, &[&str])] = &[
        ("wrong_type", &["--set", "workloads.web.replicas=three"]),
        ("unknown_field", &["--set", "workloads.web.replicaCount=3"]),
        ("unknown_workload", &["--set", "workloads.wbe.replicas=3"]),
        (
            "image_of_unknown_workload",
            &["--image", "wbe=ghcr.io/acme/web:2"],
        ),
        ("inside_a_list", &["--set", "workloads.web.args.0=x"]),
        ("below_a_value", &["--set", "workloads.web.image.tag=2"]),
        ("no_equals", &["--set", "workloads.web.replicas"]),
        ("empty_image", &["--image", "web="]),
        ("invalid_yaml", &["--set", "workloads.web.env={A: b"]),
        ("invalid_image", &["--image", "web=ghcr.io/acme/web:1:2"]),
        (
            "every_mistake_at_once",
            &["--set", "workloads.web.replicaz=3", "--image", "wbe=x:1"],
        ),
    ];
    let platform = platform();
    for (name, flags) in cases {
        let mut args = vec!["check", "prod"];
        args.extend_from_slice(flags);
        let run = platform.run(&args);
        assert_eq!(run.code, 2, "{name}: {}", run.stderr);
        snapshot_settings().bind(|| {
            insta::assert_snapshot!(format!("mistake_{name}"), run.report(platform.path()));
        });
    }
}

/// A value set under `secrets` is never quoted back, even in an error.
#[test]
fn a_secret_value_is_never_shown() {
    let platform = platform();
    for flag in [
        "workloads.web.secrets.db.plian=HUNTER2",
        "workloads.web.secrets.db.plain={password: HUNTER2",
        "workloads.wbe.secrets.db.plain.password=HUNTER2",
    ] {
        let run = platform.run(&["check", "prod", "--set", flag]);
        assert_eq!(run.code, 2, "{flag}: {}", run.stderr);
        assert!(!run.stderr.contains("HUNTER2"), "{flag}: {}", run.stderr);
        assert!(!run.stdout.contains("HUNTER2"), "{flag}: {}", run.stdout);
    }
}

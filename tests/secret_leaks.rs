//! Secret values never leak: a platform with distinctive `plain` values is
//! run through every command and output format (renders, `--out` trees,
//! `diff`, `explain`, `check` as text, JSON and SARIF, and error reports of
//! malformed or misplaced secrets), and no output contains a value. The one
//! place a value may be is the development render's Secret, base64-encoded in
//! `data`, never as its text.

use crate::support::cli::{Platform, Run};
use crate::support::tree::listing;

/// The values, each distinctive enough that a match can only be a leak.
const BASE_VALUE: &str = "qx7-canary-base-4411";
const DEV_VALUE: &str = "qx7-canary-dev-9923";
const BLOCK_VALUE: &str = "qx7-canary-block-3307";
const CANARIES: [&str; 3] = [BASE_VALUE, DEV_VALUE, BLOCK_VALUE];

const BASE: &str = "\
platform: { name: shop, kubernetesVersion: \"1.33\" }
namespaces: { shop: {} }
workloads:
  api:
    namespace: shop
    image: ghcr.io/acme/api:1.2.3@sha256:f0e752286ccb51a091a9cf956f4da5a6745df86b136d79b02f8ba7cc5757cfc9
    ports: { http: { port: 8080 } }
    resources:
      requests: { cpu: 100m, memory: 128Mi }
      limits: { cpu: 500m, memory: 256Mi }
    secrets:
      db: { plain: { password: qx7-canary-base-4411 }, env: { DB_PASSWORD: password } }
      token:
        plain:
          value: |
            qx7-canary-block-3307
        mountPath: /etc/token
";

/// Development replaces one value (so `explain` has an override to show).
const DEV: &str = "\
workloads:
  api:
    secrets:
      db: { plain: { password: qx7-canary-dev-9923 } }
";

/// Production uses Secrets that exist in the cluster instead.
const PROD: &str = "\
workloads:
  api:
    replicas: 2
    secrets:
      db: { plain: null, existing: { name: shop-db, keys: [password] } }
      token: { plain: null, existing: { name: shop-token, keys: [value] } }
";

fn base64(text: &str) -> String {
    const ALPHABET: &[u8] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    let mut out = String::new();
    for chunk in text.as_bytes().chunks(3) {
        let bytes = [
            chunk[0],
            *chunk.get(1).unwrap_or(&0),
            *chunk.get(2).unwrap_or(&0),
        ];
        let n = (u32::from(bytes[0]) << 16) | (u32::from(bytes[1]) << 8) | u32::from(bytes[2]);
        for index in 0..4 {
            if index <= chunk.len() {
                out.push(char::from(ALPHABET[(n >> (18 - 6 * index)) as usize & 63]));
            } else {
                out.push('=');
            }
        }
    }
    out
}

#[track_caller]
fn assert_no_value(what: &str, text: &str) {
    for canary in CANARIES {
        assert!(
            !text.contains(canary),
            "{what} shows the secret value `{canary}`:\n{text}"
        );
    }
}

#[track_caller]
fn assert_run_has_no_value(what: &str, run: &Run) {
    assert!(!run.stderr.contains("panicked"), "{what}: {}", run.stderr);
    assert_no_value(&format!("{what} (stdout)"), &run.stdout);
    assert_no_value(&format!("{what} (stderr)"), &run.stderr);
}

/// Every read-only command on environment `env`, none of which may print a
/// value; returns the runs for further checks.
fn every_command(platform: &Platform, env: &str) -> Vec<(String, Run)> {
    let commands: Vec<Vec<&str>> = vec![
        vec!["render", env],
        vec!["check", env],
        vec!["check", env, "--format", "json"],
        vec!["check", env, "--format", "sarif"],
        vec!["check", "--all"],
        vec!["check", "--all", "--format", "json"],
        vec!["explain", env],
        vec!["explain", env, "workloads.api.secrets"],
        vec!["explain", env, "workloads.api.secrets.db.plain.password"],
        vec!["explain", env, "workloads.api.secrets.token.plain.value"],
    ];
    commands
        .into_iter()
        .map(|args| {
            let run = platform.run(&args);
            let what = args.join(" ");
            if args[0] != "render" {
                assert_run_has_no_value(&what, &run);
            }
            (what, run)
        })
        .collect()
}

#[test]
fn values_appear_only_base64_encoded_in_the_development_render() {
    let platform = Platform::with(BASE, &[("dev", DEV), ("prod", PROD)]);
    let runs = every_command(&platform, "dev");
    let (_, render) = &runs[0];
    assert_eq!(render.code, 0, "{}", render.stderr);
    assert_no_value("render dev", &render.stdout);
    assert_no_value("render dev (stderr)", &render.stderr);
    // The values are in the render, as base64 in `data`.
    assert!(
        render.stdout.contains(&base64(DEV_VALUE)),
        "{}",
        render.stdout
    );
    assert!(
        render.stdout.contains(&base64(&format!("{BLOCK_VALUE}\n"))),
        "{}",
        render.stdout
    );
    assert!(!render.stdout.contains(&base64(BASE_VALUE)));
    for (what, run) in &runs[1..] {
        assert_eq!(run.code, 0, "{what}: {}", run.stderr);
    }
    let explained = &runs[6].1.stdout;
    assert!(
        explained.contains("password: ***  # environments/dev.yaml")
            && explained.contains("(overrides *** from platform.yaml"),
        "{explained}"
    );
    assert!(
        runs[8]
            .1
            .stdout
            .starts_with("workloads.api.secrets.db.plain.password: ***  #"),
        "{}",
        runs[8].1.stdout
    );

    // Production renders no value at all, not even encoded.
    let prod = platform.run(&["render", "prod"]);
    assert_eq!(prod.code, 0, "{}", prod.stderr);
    for canary in CANARIES {
        assert!(!prod.stdout.contains(&base64(canary)), "{}", prod.stdout);
    }
    assert_run_has_no_value("render prod", &prod);
}

#[test]
fn out_trees_and_diffs_hold_no_value_in_clear_text() {
    let platform = Platform::with(BASE, &[("dev", DEV), ("prod", PROD)]);
    let out = platform.path().join("deploy");
    let out_text = out.to_str().expect("UTF-8 path");
    let run = platform.run(&["render", "--all", "--out", out_text]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert_run_has_no_value("render --all --out", &run);
    for (path, bytes) in listing(&out) {
        assert_no_value(&path, &String::from_utf8_lossy(&bytes));
    }
    // A changed value shows in a diff as a change, not as text.
    platform.write("environments/dev.yaml", &DEV.replace(DEV_VALUE, BASE_VALUE));
    let dev_dir = out.join("dev");
    let diff = platform.run(&["diff", "dev", "--against", dev_dir.to_str().expect("UTF-8")]);
    assert_eq!(diff.code, 1, "{}", diff.stderr);
    assert_run_has_no_value("diff dev", &diff);
    for format in ["markdown", "json"] {
        let diff = platform.run(&[
            "diff",
            "dev",
            "--against",
            dev_dir.to_str().expect("UTF-8"),
            "--format",
            format,
        ]);
        assert_run_has_no_value(&format!("diff dev --format {format}"), &diff);
    }
}

/// Mistakes next to, in or around secret values: each is reported (exit 2)
/// by every command without showing a value.
#[test]
fn errors_never_quote_a_value() {
    let db_line =
        "      db: { plain: { password: qx7-canary-base-4411 }, env: { DB_PASSWORD: password } }\n";
    let broken = [
        // Plain values outside development (the `prod` overlay keeps them).
        ("plaintext in production", BASE.to_owned(), "prod", "{}"),
        // An unrelated mistake on the line that holds a value.
        (
            "unknown key on the value's line",
            BASE.replace("DB_PASSWORD: password", "DB_PASSWORD: pasword"),
            "dev",
            "{}",
        ),
        // A value where a mapping belongs, at every level.
        (
            "plain is a scalar",
            BASE.replace(db_line, "      db: { plain: qx7-canary-base-4411 }\n"),
            "dev",
            "{}",
        ),
        (
            "secret is a scalar",
            BASE.replace(db_line, "      db: qx7-canary-base-4411\n"),
            "dev",
            "{}",
        ),
        (
            "value is a list",
            BASE.replace(
                "password: qx7-canary-base-4411",
                "password: [qx7-canary-base-4411]",
            ),
            "dev",
            "{}",
        ),
        // A misspelt backend holding the value.
        (
            "misspelt plain",
            BASE.replace("db: { plain:", "db: { plian:"),
            "dev",
            "{}",
        ),
        // A clear-text value where ciphertext belongs.
        (
            "clear text as sealed data",
            BASE.replace(
                db_line,
                "      db: { sealed: { encryptedData: { password: qx7-canary-base-4411 } } }\n",
            ),
            "dev",
            "{}",
        ),
        // Two backends.
        (
            "two backends",
            BASE.replace(
                "db: { plain:",
                "db: { existing: { name: db, keys: [password] }, plain:",
            ),
            "dev",
            "{}",
        ),
    ];
    for (what, base, env, overlay) in broken {
        let platform = Platform::with(&base, &[(env, overlay)]);
        for args in [
            vec!["render", env],
            vec!["check", env],
            vec!["check", env, "--format", "json"],
            vec!["check", env, "--format", "sarif"],
            vec!["explain", env],
        ] {
            let run = platform.run(&args);
            let label = format!("{what}: {}", args.join(" "));
            if args[0] != "explain" || what != "plaintext in production" {
                assert_eq!(run.code, 2, "{label}: {}", run.stderr);
            }
            assert_run_has_no_value(&label, &run);
        }
    }
}

#[test]
fn yaml_errors_never_quote_a_value() {
    // Errors raised before the spec is typed, where no key path is known yet:
    // each on or next to a line holding a value.
    let overlays: [(&str, Vec<u8>); 7] = [
        (
            "duplicate key, both values",
            b"workloads:\n  api:\n    secrets:\n      db: { plain: { password: qx7-canary-dev-9923, password: qx7-canary-base-4411 } }\n".to_vec(),
        ),
        (
            "tab indentation",
            b"workloads:\n  api:\n    secrets:\n      db:\n\tplain: { password: qx7-canary-dev-9923 }\n".to_vec(),
        ),
        (
            "undefined alias",
            b"workloads:\n  api:\n    secrets:\n      db: { plain: { password: qx7-canary-dev-9923, other: *nope } }\n".to_vec(),
        ),
        (
            "block scalar indentation",
            b"workloads:\n  api:\n    secrets:\n      token:\n        plain:\n          value: |\n              qx7-canary-block-3307\n            qx7-canary-dev-9923\n".to_vec(),
        ),
        (
            "invalid UTF-8",
            b"workloads:\n  api:\n    secrets:\n      db: { plain: { password: qx7-canary-dev-9923\xff } }\n".to_vec(),
        ),
        (
            "unsupported tag",
            b"workloads:\n  api:\n    secrets:\n      db: { plain: { password: !vault qx7-canary-dev-9923 } }\n".to_vec(),
        ),
        (
            "null key",
            b"workloads:\n  api:\n    secrets:\n      db: { plain: { password: qx7-canary-dev-9923, ~: x } }\n".to_vec(),
        ),
    ];
    for (what, overlay) in overlays {
        let platform = Platform::with(BASE, &[]);
        platform.write_bytes("environments/dev.yaml", &overlay);
        for args in [
            vec!["check", "--all"],
            vec!["render", "dev"],
            vec!["explain", "dev"],
        ] {
            let run = platform.run(&args);
            let label = format!("{what}: {}", args.join(" "));
            assert_eq!(run.code, 2, "{label}: {}", run.stderr);
            assert_run_has_no_value(&label, &run);
        }
    }
}

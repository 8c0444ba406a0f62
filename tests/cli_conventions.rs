//! Conventions a user brings from cargo, git, Helm and Kustomize: the
//! platform found from a subdirectory, `.yml` overlays, an empty overlay that
//! changes nothing, and hints for a misspelt overlay entry, a Helm key or a
//! missing tier, each at the overlay line that caused it.

use std::process::Command;

use crate::support::cli::{MINIMAL_BASE, MINIMAL_PROD, Platform};
use crate::support::snapshot_settings;

#[test]
fn a_command_run_in_a_subdirectory_finds_the_platform() {
    let platform = Platform::with(MINIMAL_BASE, &[("prod", MINIMAL_PROD)]);
    let inside = platform.path().join("deploy/prod");
    std::fs::create_dir_all(&inside).expect("a subdirectory");
    let output = Command::new(env!("CARGO_BIN_EXE_platformgen"))
        .env_clear()
        .env("NO_COLOR", "1")
        .current_dir(&inside)
        .args(["render", "prod"])
        .output()
        .expect("platformgen runs");
    assert!(
        output.status.success(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    let expected = platform.run(&["render", "prod"]).success().stdout;
    assert_eq!(String::from_utf8_lossy(&output.stdout), expected);
}

#[test]
fn a_yml_overlay_is_an_environment_but_not_next_to_a_yaml_one() {
    let platform = Platform::with(MINIMAL_BASE, &[]);
    platform.write("environments/prod.yml", MINIMAL_PROD);
    let with_yml = platform.run(&["render", "prod"]).success().stdout;
    let yaml = Platform::with(MINIMAL_BASE, &[("prod", MINIMAL_PROD)]);
    assert_eq!(with_yml, yaml.run(&["render", "prod"]).success().stdout);
    let checked = platform.run(&["check", "--all"]);
    assert!(checked.stderr.contains("in prod"), "{}", checked.stderr);

    platform.write("environments/prod.yaml", MINIMAL_PROD);
    let both = platform.run(&["check", "--all"]);
    assert_eq!(both.code, 2);
    assert!(
        both.stderr
            .contains("`environments/prod.yaml` and `environments/prod.yml` are both there"),
        "{}",
        both.stderr
    );
}

#[test]
fn an_empty_overlay_changes_nothing() {
    let base = MINIMAL_BASE.replace(
        "ingress: { controllerNamespace: ingress-nginx }",
        "domain: example.com\ningress: { controllerNamespace: ingress-nginx, className: nginx, tls: { issuer: selfSigned } }",
    );
    let empty = Platform::with(&base, &[("dev", ""), ("qa", "# nothing changes yet\n")]);
    let braces = Platform::with(&base, &[("dev", "{}\n")]);
    let expected = braces.run(&["render", "dev"]).success().stdout;
    assert_eq!(empty.run(&["render", "dev"]).success().stdout, expected);
    // Without a tier the empty overlay of `qa` still needs one.
    let qa = empty.run(&["check", "qa"]);
    assert_eq!(qa.code, 2);
    snapshot_settings().bind(|| {
        insta::assert_snapshot!("missing_tier_at_the_overlay", qa.report(empty.path()));
    });
}

#[test]
fn a_misspelt_overlay_entry_and_a_helm_key_get_hints() {
    let platform = Platform::with(
        MINIMAL_BASE,
        &[(
            "prod",
            &MINIMAL_PROD.replace(
                "web: { replicas: 3 }",
                "wbe: { replicas: 3 }\n  db: { replicaCount: 1 }",
            ),
        )],
    );
    let run = platform.run(&["check", "prod"]);
    assert_eq!(run.code, 2);
    snapshot_settings().bind(|| {
        insta::assert_snapshot!("overlay_typo_and_helm_key", run.report(platform.path()));
    });
}

#[test]
fn completions_and_the_man_page_come_from_the_flags() {
    let platform = Platform::new();
    for shell in ["bash", "zsh", "fish", "elvish", "powershell"] {
        let script = platform.run(&["completions", shell]).success().stdout;
        // Flags as each shell writes them: `--image`, or fish's `-l image`.
        for word in ["render", "kustomize", "image", "set", "against-ref"] {
            assert!(script.contains(word), "{shell} completes {word}");
        }
    }
    // The bash script is valid bash.
    let bash = platform.run(&["completions", "bash"]).success().stdout;
    let file = platform.path().join("platformgen.bash");
    std::fs::write(&file, bash).expect("the script");
    let status = Command::new("bash")
        .arg("-n")
        .arg(&file)
        .status()
        .expect("bash runs");
    assert!(status.success());

    let page = platform.run(&["man"]).success().stdout;
    assert!(page.contains(".TH platformgen 1"), "{page}");
    for command in ["init", "render", "check", "diff", "kustomize", "explain"] {
        assert!(
            page.contains(&format!("platformgen\\-{command}")),
            "the man page lists {command}"
        );
    }
}

/// `render -o json` is the same objects as the YAML stream, in the same
/// order, as one `List` (read back by an independent YAML reader).
#[test]
fn render_as_json_is_the_yaml_stream_as_one_list() {
    let platform = Platform::with(MINIMAL_BASE, &[("prod", MINIMAL_PROD)]);
    let yaml = platform.run(&["render", "prod"]).success().stdout;
    let json = platform
        .run(&["render", "prod", "-o", "json"])
        .success()
        .stdout;
    let list: serde_json::Value = serde_json::from_str(&json).expect("JSON");
    assert_eq!(list["apiVersion"], "v1");
    assert_eq!(list["kind"], "List");
    let documents = crate::support::python::documents(&yaml);
    assert_eq!(list["items"].as_array().expect("items"), &documents);
    let refused = platform.run(&["render", "--all", "-o", "json"]);
    assert_eq!(refused.code, 2, "one environment at a time");
}

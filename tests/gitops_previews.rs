//! Previews of pull requests (`gitops.argocd.previews`): the environment's
//! ArgoCD objects are an ApplicationSet with the pull-request generator, an
//! AppProject admitting every preview's namespaces and nothing else, and the
//! Config Management Plugin's configuration; the plugin's script renders
//! each pull request's preview into namespaces of its own; the mistakes are
//! reported at their spec line.

use serde_json::{Value, json};

use crate::support::cli::{MINIMAL_BASE, MINIMAL_PROD, Platform};
use crate::support::{external, python, rejection, snapshot_settings};

const PREVIEW: &str = "\
tier: development
parameters: { pullRequest: \"0\", tag: \"1.2.3\" }
cluster:
  namespaceTemplate: \"{name}-pr-${pullRequest}\"
  ownsClusterObjects: false
gitops:
  argocd:
    destination: { name: staging }
    previews:
      github:
        owner: acme
        repo: shop
        tokenRef: { secretName: github-token, key: token }
        labels: [preview]
      requeueAfterSeconds: 120
      parameters: { pullRequest: number, tag: head_short_sha_7 }
workloads:
  web: { image: \"ghcr.io/acme/web:${tag}\", expose: null }
";

fn base() -> String {
    format!(
        "{MINIMAL_BASE}gitops:\n  argocd: {{ repoURL: https://github.com/acme/shop.git, targetRevision: main }}\n"
    )
}

fn preview_platform(preview: &str) -> Platform {
    Platform::with(&base(), &[("preview", preview), ("prod", MINIMAL_PROD)])
}

fn find<'a>(objects: &'a [Value], kind: &str, name: &str) -> &'a Value {
    objects
        .iter()
        .find(|o| o["kind"] == kind && o["metadata"]["name"] == name)
        .unwrap_or_else(|| panic!("no {kind} {name}"))
}

#[test]
fn a_preview_environment_is_an_application_set_over_the_pull_requests() {
    let platform = preview_platform(PREVIEW);
    let stream = platform.run(&["argocd", "preview"]).success().stdout;
    let objects = python::documents(&stream);
    assert!(
        !objects
            .iter()
            .any(|o| o["kind"] == "Application" && o["metadata"]["name"] == "shop-preview"),
        "no Application for the environment itself"
    );
    let set = find(&objects, "ApplicationSet", "shop-preview");
    let spec = &set["spec"];
    assert_eq!(spec["goTemplate"], true);
    assert_eq!(
        spec["generators"],
        json!([{ "pullRequest": {
            "github": {
                "owner": "acme",
                "repo": "shop",
                "tokenRef": { "secretName": "github-token", "key": "token" },
                "labels": ["preview"],
            },
            "requeueAfterSeconds": 120,
        }}])
    );
    let template = &spec["template"];
    assert_eq!(template["metadata"]["name"], "shop-preview-{{.number}}");
    // Closing the pull request deletes the Application, and the finalizer
    // its objects.
    assert_eq!(
        template["metadata"]["finalizers"],
        json!(["resources-finalizer.argocd.argoproj.io"])
    );
    assert_eq!(spec["syncPolicy"]["preserveResourcesOnDeletion"], false);
    let app = &template["spec"];
    assert_eq!(app["project"], "shop-preview");
    // The pull requests are the spec repository's own: each preview renders
    // its pull request's spec.
    assert_eq!(app["source"]["targetRevision"], "{{.head_sha}}");
    assert_eq!(app["source"]["path"], ".");
    assert_eq!(
        app["source"]["plugin"],
        json!({ "name": "platformgen", "env": [
            { "name": "PLATFORMGEN_ENVIRONMENT", "value": "preview" },
            { "name": "PLATFORMGEN_PARAMETER_pullRequest", "value": "{{.number}}" },
            { "name": "PLATFORMGEN_PARAMETER_tag", "value": "{{.head_short_sha_7}}" },
        ]})
    );
    assert_eq!(
        app["destination"],
        json!({ "name": "staging", "namespace": "shop-pr-{{.number}}" })
    );
    assert_eq!(
        app["syncPolicy"]["automated"],
        json!({ "prune": true, "selfHeal": true })
    );
    let project = find(&objects, "AppProject", "shop-preview");
    assert_eq!(
        project["spec"]["destinations"],
        json!([{ "name": "staging", "namespace": "shop-pr-*" }])
    );
    assert_eq!(
        project["spec"]["clusterResourceWhitelist"],
        json!([{ "group": "", "kind": "Namespace" }]),
        "the previews own no cluster-scoped object but their Namespaces"
    );
    let plugin = find(&objects, "ConfigMap", "platformgen-plugin");
    assert_eq!(plugin["metadata"]["namespace"], "argocd");
    assert!(
        plugin["data"]["plugin.yaml"]
            .as_str()
            .is_some_and(|text| text.contains("kind: ConfigManagementPlugin")),
        "{plugin}"
    );
    snapshot_settings().bind(|| insta::assert_snapshot!("argocd_preview", stream));

    // From another repository's pull requests, the spec at `targetRevision`.
    let other = preview_platform(&PREVIEW.replace("repo: shop", "repo: shop-app"));
    let objects = python::documents(&other.run(&["argocd", "preview"]).success().stdout);
    let set = find(&objects, "ApplicationSet", "shop-preview");
    assert_eq!(
        set["spec"]["template"]["spec"]["source"]["targetRevision"],
        "main"
    );
}

#[test]
fn the_preview_objects_are_strictly_valid() {
    let platform = preview_platform(PREVIEW);
    let out = tempfile::tempdir().expect("tempdir");
    platform
        .run(&[
            "argocd",
            "preview",
            "--out",
            out.path().to_str().expect("a UTF-8 path"),
        ])
        .success();
    external::validate_manifests(&[out.path()]);
    let problems = external::built_in_validation(&[out.path()]);
    assert!(problems.is_empty(), "{problems:#?}");
}

/// The plugin's script, as ArgoCD's repo server runs it: with the
/// variables the ApplicationSet's template sets, from the spec's directory.
fn run_plugin(platform: &Platform, variables: &[(&str, &str)]) -> Vec<Value> {
    let objects = python::documents(&platform.run(&["argocd", "preview"]).success().stdout);
    let plugin = find(&objects, "ConfigMap", "platformgen-plugin");
    let config: Value = serde_json::from_value(
        python::documents(plugin["data"]["plugin.yaml"].as_str().expect("plugin.yaml")).remove(0),
    )
    .expect("the plugin's configuration");
    let generate = &config["spec"]["generate"];
    assert_eq!(generate["command"], json!(["sh", "-c"]));
    let script = generate["args"][0].as_str().expect("the script");
    let bin = tempfile::tempdir().expect("tempdir");
    std::os::unix::fs::symlink(
        env!("CARGO_BIN_EXE_platformgen"),
        bin.path().join("platformgen"),
    )
    .expect("symlink");
    let output = std::process::Command::new("sh")
        .arg("-c")
        .arg(script)
        .env_clear()
        .env("PATH", format!("{}:/usr/bin:/bin", bin.path().display()))
        .envs(variables.iter().copied())
        .current_dir(platform.path())
        .output()
        .expect("sh runs");
    assert!(
        output.status.success(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    python::documents(&String::from_utf8(output.stdout).expect("UTF-8"))
}

#[test]
fn the_plugin_renders_each_pull_requests_preview_in_namespaces_of_its_own() {
    let platform = preview_platform(PREVIEW);
    let render = |number: &str, sha: &str| {
        run_plugin(
            &platform,
            &[
                ("ARGOCD_ENV_PLATFORMGEN_ENVIRONMENT", "preview"),
                ("ARGOCD_ENV_PLATFORMGEN_PARAMETER_pullRequest", number),
                ("ARGOCD_ENV_PLATFORMGEN_PARAMETER_tag", sha),
            ],
        )
    };
    // `1e50000` would be a number to YAML: it stays the tag's text.
    let first = render("42", "1e50000");
    let second = render("43", "abc1234");
    let namespaces = |objects: &[Value]| -> std::collections::BTreeSet<String> {
        objects
            .iter()
            .filter_map(|o| o["metadata"]["namespace"].as_str().map(str::to_owned))
            .collect()
    };
    assert_eq!(
        namespaces(&first),
        std::collections::BTreeSet::from(["shop-pr-42".to_owned()])
    );
    assert_eq!(
        namespaces(&second),
        std::collections::BTreeSet::from(["shop-pr-43".to_owned()])
    );
    assert!(
        first
            .iter()
            .any(|o| o["kind"] == "Namespace" && o["metadata"]["name"] == "shop-pr-42")
    );
    let web = first
        .iter()
        .find(|o| o["kind"] == "Deployment" && o["metadata"]["name"] == "web")
        .expect("the web Deployment");
    assert_eq!(
        web["spec"]["template"]["spec"]["containers"][0]["image"],
        "ghcr.io/acme/web:1e50000"
    );
    // No cluster-scoped object but the Namespace: the owner renders them.
    assert!(
        first
            .iter()
            .all(|o| o["metadata"]["namespace"].is_string() || o["kind"] == "Namespace"),
        "{first:#?}"
    );
}

#[test]
fn a_staging_tier_preview_is_warned_about_what_outlives_it() {
    let platform = preview_platform(&PREVIEW.replace("tier: development", "tier: staging"));
    let run = platform.run(&["render", "preview"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert!(
        run.stderr
            .contains("warning[PG3106]: a staging-tier preview outlives its pull request in part"),
        "{}",
        run.stderr
    );
}

#[test]
fn preview_mistakes_are_reported_where_they_were_made() {
    let cases = [
        (
            "preview_in_production",
            PREVIEW.replace("tier: development", "tier: production"),
        ),
        (
            "preview_without_a_number",
            PREVIEW.replace("pullRequest: number, ", ""),
        ),
        (
            "preview_unknown_field",
            PREVIEW.replace("head_short_sha_7", "head_sha_short"),
        ),
        (
            "preview_undeclared_parameter",
            PREVIEW.replace("tag: head_short_sha_7", "imageTag: head_short_sha_7"),
        ),
        (
            "preview_without_namespace_template",
            PREVIEW.replace("  namespaceTemplate: \"{name}-pr-${pullRequest}\"\n", ""),
        ),
        (
            "preview_template_without_the_number",
            PREVIEW.replace("{name}-pr-${pullRequest}", "{name}-preview"),
        ),
        (
            "preview_number_not_a_part",
            PREVIEW.replace("{name}-pr-${pullRequest}", "{name}-pr${pullRequest}"),
        ),
        (
            "preview_owning_cluster_objects",
            PREVIEW.replace("  ownsClusterObjects: false\n", ""),
        ),
        (
            "preview_without_a_repository",
            PREVIEW.replace("        owner: acme\n", ""),
        ),
        (
            "preview_unknown_provider",
            PREVIEW.replace("      github:\n", "      gitlab:\n"),
        ),
    ];
    for (name, overlay) in cases {
        let report = rejection::rejected(&preview_platform(&overlay), "preview");
        assert!(
            report.contains("PG3106") || name == "preview_unknown_provider",
            "{name}: {report}"
        );
        snapshot_settings().bind(|| insta::assert_snapshot!(name, report));
    }
}

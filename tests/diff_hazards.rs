//! `platformgen diff` flags what Kubernetes will refuse or destroy: changes
//! to fields the API server will not change in place, and removals that take
//! data with them. Each is a warning in the text, Markdown and JSON reports;
//! `--fail-on-destructive` turns them into exit status 3, and without it the
//! exit statuses stay 0 (no change), 1 (changes) and 2 (error).
//!
//! Fixtures are the minimal platform rendered to `deploy/`, then either the
//! spec changed (a resized volume, a removed StatefulSet) or the previous
//! render edited to what an older release would have written (a different
//! selector, an extra claim or data service since removed).

use crate::support::cli::{MINIMAL_BASE, MINIMAL_PROD, Platform, Run};
use crate::support::snapshot_settings;

fn rendered() -> Platform {
    let platform = Platform::with(MINIMAL_BASE, &[("prod", MINIMAL_PROD)]);
    platform
        .run(&["render", "prod", "--out", "deploy"])
        .success();
    platform
}

fn diff(platform: &Platform, extra: &[&str]) -> Run {
    let mut args = vec!["diff", "prod", "--against", "deploy"];
    args.extend_from_slice(extra);
    platform.run(&args)
}

/// Rewrites a file of the previous render.
fn edit_previous(platform: &Platform, relative: &str, from: &str, to: &str) {
    let path = platform.path().join("deploy").join(relative);
    let text = std::fs::read_to_string(&path).expect("read");
    assert!(text.contains(from), "{from:?} in {relative}:\n{text}");
    std::fs::write(&path, text.replacen(from, to, 1)).expect("write");
}

#[track_caller]
fn assert_contains(haystack: &str, needle: &str) {
    assert!(haystack.contains(needle), "{needle:?} in\n{haystack}");
}

/// The `!` lines of a text report.
fn marked(stdout: &str) -> Vec<&str> {
    stdout
        .lines()
        .filter(|line| line.starts_with("  ! "))
        .collect()
}

#[test]
fn a_resized_volume_claim_template_is_refused_and_fails_ci_only_with_the_flag() {
    let platform = rendered();
    platform.write(
        "platform.yaml",
        &MINIMAL_BASE.replace("size: 5Gi", "size: 10Gi"),
    );
    let run = diff(&platform, &[]);
    assert_eq!(run.code, 1, "{}", run.stderr);
    assert_eq!(
        marked(&run.stdout),
        [
            "  ! refused: `spec.volumeClaimTemplates` cannot change in place: the API server \
          refuses the update, and claims already made keep their old size and class; remedy: \
          delete the StatefulSet with `kubectl delete statefulset --cascade=orphan` (pods and \
          volume claims stay), let the sync re-create it, and resize or migrate existing claims \
          yourself"
        ]
    );
    // The marked line follows the resource's title.
    assert_contains(
        &run.stdout,
        "prod: changed StatefulSet shop/db\n  ! refused: `spec.volumeClaimTemplates`",
    );
    assert_contains(
        &run.stderr,
        "prod: warning: 1 change Kubernetes will refuse or that destroys data\n",
    );

    let failing = diff(&platform, &["--fail-on-destructive"]);
    assert_eq!(failing.code, 3, "{}", failing.stderr);
    assert_eq!(failing.stdout, run.stdout);

    // JSON: a field per object, and one per environment.
    let json = diff(&platform, &["--format", "json"]);
    assert_eq!(json.code, 1);
    let report: serde_json::Value = serde_json::from_str(&json.stdout).expect("JSON");
    let prod = &report["environments"]["prod"];
    assert_eq!(prod["destructive"], true);
    let hazards = &prod["resources"][0]["hazards"];
    assert_eq!(prod["resources"][0]["kind"], "StatefulSet");
    assert_eq!(hazards[0]["severity"], "refused");
    assert_eq!(hazards[0]["field"], "spec.volumeClaimTemplates");
    assert_contains(
        hazards[0]["remedy"].as_str().unwrap_or_default(),
        "--cascade=orphan",
    );
    let json_failing = diff(&platform, &["--format", "json", "--fail-on-destructive"]);
    assert_eq!(json_failing.code, 3);
}

#[test]
fn harmless_changes_keep_exit_statuses_with_the_flag() {
    let platform = rendered();
    let unchanged = diff(&platform, &["--fail-on-destructive"]);
    assert_eq!(unchanged.code, 0, "{}", unchanged.stderr);
    platform.write(
        "environments/prod.yaml",
        &MINIMAL_PROD.replace("replicas: 3", "replicas: 4"),
    );
    let scaled = diff(&platform, &["--fail-on-destructive"]);
    assert_eq!(scaled.code, 1, "{}", scaled.stderr);
    assert!(marked(&scaled.stdout).is_empty(), "{}", scaled.stdout);
    assert!(!scaled.stderr.contains("warning"), "{}", scaled.stderr);
    let json = diff(&platform, &["--format", "json"]);
    let report: serde_json::Value = serde_json::from_str(&json.stdout).expect("JSON");
    assert_eq!(report["environments"]["prod"]["destructive"], false);
    assert_eq!(
        report["environments"]["prod"]["resources"][0]["hazards"],
        serde_json::json!([])
    );
    // Errors stay 2, flag or not.
    let error = platform.run(&["diff", "prod", "--against", "nope", "--fail-on-destructive"]);
    assert_eq!(error.code, 2, "{}", error.stderr);
}

#[test]
fn removing_a_stateful_workload_orphans_its_claims() {
    let platform = rendered();
    let db_start = MINIMAL_BASE.find("  db:\n").expect("db");
    let db_end = MINIMAL_BASE.find("ingress:").expect("ingress");
    let without_db = format!("{}{}", &MINIMAL_BASE[..db_start], &MINIMAL_BASE[db_end..])
        .replace("    uses: [db]\n", "");
    platform.write("platform.yaml", &without_db);
    let run = diff(&platform, &["--fail-on-destructive"]);
    assert_eq!(run.code, 3, "{}\n{}", run.stderr, run.stdout);
    assert_contains(
        &run.stdout,
        "prod: removed StatefulSet shop/db\n  ! destructive: its volume claims stay, orphaned",
    );
    // Its Services and ServiceAccount go without a warning.
    assert_eq!(marked(&run.stdout).len(), 1, "{}", run.stdout);
}

#[test]
fn selectors_and_cluster_ips_cannot_change_in_place() {
    let platform = rendered();
    edit_previous(
        &platform,
        "shop/deployment-web.yaml",
        "  selector:\n    matchLabels:\n",
        "  selector:\n    matchLabels:\n      tier: front\n",
    );
    edit_previous(
        &platform,
        "shop/service-db-headless.yaml",
        "  clusterIP: None\n",
        "",
    );
    let run = diff(&platform, &[]);
    assert_eq!(run.code, 1, "{}", run.stderr);
    let marked = marked(&run.stdout);
    assert_eq!(marked.len(), 2, "{}", run.stdout);
    assert!(
        marked[0].starts_with("  ! refused: `spec.clusterIP` cannot change in place"),
        "{marked:?}"
    );
    assert!(
        marked[1].starts_with("  ! refused: `spec.selector` cannot change in place")
            && marked[1].contains("remedy: delete it and let the sync re-create it"),
        "{marked:?}"
    );
    assert_contains(
        &run.stderr,
        "prod: warning: 2 changes Kubernetes will refuse or that destroy data\n",
    );
}

#[test]
fn an_immutable_config_map_cannot_change() {
    let prod = MINIMAL_PROD.replace(
        "web: { replicas: 3 }",
        "web: { replicas: 3, config: { env: { MODE: blue } } }",
    );
    let platform = Platform::with(MINIMAL_BASE, &[("prod", &prod)]);
    platform
        .run(&["render", "prod", "--out", "deploy"])
        .success();
    edit_previous(
        &platform,
        "shop/configmap-web-config.yaml",
        "  MODE: blue\n",
        "  MODE: green\nimmutable: true\n",
    );
    let run = diff(&platform, &["--fail-on-destructive"]);
    assert_eq!(run.code, 3, "{}", run.stderr);
    let marked = marked(&run.stdout);
    assert_eq!(marked.len(), 2, "{}", run.stdout);
    assert!(
        marked[0].starts_with(
            "  ! refused: `data` cannot change in place: the object is `immutable: true`"
        ),
        "{marked:?}"
    );
    assert!(
        marked[1].starts_with("  ! refused: `immutable` cannot"),
        "{marked:?}"
    );
}

const CLAIM: &str = "\
apiVersion: v1
kind: PersistentVolumeClaim
metadata:
  name: uploads
  namespace: shop
spec:
  accessModes: [ReadWriteOnce]
  resources: { requests: { storage: 1Gi } }
";

const DATABASE: &str = "\
apiVersion: postgresql.cnpg.io/v1
kind: Cluster
metadata:
  name: orders
  namespace: shop
spec:
  instances: 2
  storage: { size: 1Gi }
";

const NAMESPACE: &str = "\
apiVersion: v1
kind: Namespace
metadata:
  name: legacy
";

const BACKUPS: &str = "\
apiVersion: velero.io/v1
kind: Schedule
metadata:
  name: nightly
  namespace: velero
spec:
  schedule: \"0 3 * * *\"
  template: { includedNamespaces: [shop] }
";

/// A previous render holding a claim, a database, a namespace and a backup
/// schedule that the new one no longer has.
fn with_removed_data() -> Platform {
    let platform = rendered();
    for (path, text) in [
        ("deploy/shop/persistentvolumeclaim-uploads.yaml", CLAIM),
        (
            "deploy/shop/cluster.postgresql.cnpg.io-orders.yaml",
            DATABASE,
        ),
        ("deploy/_cluster/namespace-legacy.yaml", NAMESPACE),
        ("deploy/velero/schedule.velero.io-nightly.yaml", BACKUPS),
    ] {
        platform.write(path, text);
        // Listed in the tree's index, as a render would have.
        let index = platform.path().join("deploy/.platformgen-index");
        let listed = std::fs::read_to_string(&index).expect("index");
        let relative = path.strip_prefix("deploy/").unwrap_or(path);
        let (header, paths) = listed.split_once('\n').expect("a header line");
        let mut paths: Vec<&str> = paths.lines().chain([relative]).collect();
        paths.sort_unstable();
        std::fs::write(&index, format!("{header}\n{}\n", paths.join("\n"))).expect("write index");
    }
    platform
}

#[test]
fn removed_claims_namespaces_and_data_services_destroy_data() {
    let platform = with_removed_data();
    let run = diff(&platform, &[]);
    assert_eq!(run.code, 1, "{}", run.stderr);
    for expected in [
        "prod: removed Namespace legacy\n  ! destructive: deleting a Namespace deletes everything in it",
        "prod: removed PersistentVolumeClaim shop/uploads\n  ! destructive: deleting a claim deletes its volume",
        "prod: removed Cluster shop/orders\n  ! destructive: the operator deletes the data service with it",
        "prod: removed Schedule velero/nightly\n  ! notice: backups stop being taken",
    ] {
        assert_contains(&run.stdout, expected);
    }
    assert_contains(
        &run.stderr,
        "prod: warning: 3 changes Kubernetes will refuse or that destroy data\n",
    );
    assert_eq!(diff(&platform, &["--fail-on-destructive"]).code, 3);
}

#[test]
fn markdown_report_warns_at_the_top() {
    let platform = with_removed_data();
    let run = diff(&platform, &["--format", "markdown"]);
    assert_eq!(run.code, 1, "{}", run.stderr);
    // The warning comes before the table and the details.
    let warning = run.stdout.find("> [!WARNING]").expect("a warning");
    assert!(warning < run.stdout.find("| environment |").expect("table"));
    snapshot_settings().bind(|| insta::assert_snapshot!("diff_hazards_markdown", run.stdout));
}

#[test]
fn text_and_json_reports_of_hazards() {
    let platform = with_removed_data();
    let text = diff(&platform, &[]);
    snapshot_settings().bind(|| {
        insta::assert_snapshot!("diff_hazards_text", marked(&text.stdout).join("\n"));
    });
    let json = diff(&platform, &["--format", "json"]);
    let report: serde_json::Value = serde_json::from_str(&json.stdout).expect("JSON");
    let hazards: Vec<serde_json::Value> = report["environments"]["prod"]["resources"]
        .as_array()
        .expect("resources")
        .iter()
        .map(|resource| {
            serde_json::json!({
                "resource": format!("{} {}", resource["kind"].as_str().unwrap_or_default(),
                    resource["name"].as_str().unwrap_or_default()),
                "hazards": resource["hazards"],
            })
        })
        .collect();
    let hazards = serde_json::to_string_pretty(&hazards).expect("JSON");
    snapshot_settings().bind(|| insta::assert_snapshot!("diff_hazards_json", hazards));
}

#[test]
fn a_changed_job_is_a_new_job_not_a_refused_change() {
    // Jobs are named by a hash of their content: a new image is another Job,
    // one removed and one added, which Kubernetes accepts and loses nothing.
    let job = "  migrate:\n    kind: Job\n    namespace: shop\n    image: ghcr.io/acme/web:1.2.3\n    \
               resources:\n      requests: { cpu: 100m, memory: 128Mi }\n      \
               limits: { cpu: 500m, memory: 256Mi }\n";
    let base = MINIMAL_BASE.replace("  db:\n", &format!("{job}  db:\n"));
    let platform = Platform::with(&base, &[("prod", MINIMAL_PROD)]);
    platform
        .run(&["render", "prod", "--out", "deploy"])
        .success();
    platform.write(
        "platform.yaml",
        &base.replace("web:1.2.3\n    resources", "web:1.2.4\n    resources"),
    );
    let run = diff(&platform, &["--fail-on-destructive"]);
    assert_eq!(run.code, 1, "{}\n{}", run.stderr, run.stdout);
    assert_contains(&run.stdout, "prod: removed Job shop/migrate-");
    assert_contains(&run.stdout, "prod: added Job shop/migrate-");
    assert!(marked(&run.stdout).is_empty(), "{}", run.stdout);
}

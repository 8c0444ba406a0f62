//! Jobs and CronJobs (`tests/fixtures/batch-workloads`, docs/operations.md):
//! a migration rendered as an ArgoCD Sync hook in the wave before the service
//! it serves, a one-off Job named by its content, CronJobs with their
//! schedule, history and Job settings, the restricted pod of every other
//! workload, the policy rules about services left out, and each mistake
//! reported at its spec line.

use serde_json::{Value, json};

use crate::support::cli::{MINIMAL_PROD, Platform, repository, run};
use crate::support::objects::{self, has, object};
use crate::support::{rejection, snapshot_settings};

fn fixture() -> std::path::PathBuf {
    repository().join("tests/fixtures/batch-workloads")
}

fn render(environment: &str) -> Vec<Value> {
    objects::render(&fixture(), environment)
}

/// The Job of workload `workload`: its name is `<workload>-<hash>`.
#[track_caller]
fn job<'a>(objects: &'a [Value], workload: &str) -> &'a Value {
    let jobs: Vec<&Value> = objects
        .iter()
        .filter(|o| o["kind"] == "Job")
        .filter(|o| o["metadata"]["labels"]["app.kubernetes.io/name"] == workload)
        .collect();
    assert_eq!(jobs.len(), 1, "one Job of {workload}");
    jobs[0]
}

fn annotations(object: &Value) -> Value {
    object["metadata"]["annotations"].clone()
}

const SYNC_WAVE: &str = "argocd.argoproj.io/sync-wave";

#[test]
fn a_job_runs_once_with_its_settings() {
    let objects = render("prod");
    let backfill = job(&objects, "orders-backfill");
    let name = backfill["metadata"]["name"].as_str().expect("name");
    let hash = name.strip_prefix("orders-backfill-").expect("name prefix");
    assert_eq!(hash.len(), 10, "{name}");
    assert!(hash.chars().all(|c| c.is_ascii_hexdigit()), "{name}");
    let spec = &backfill["spec"];
    assert_eq!(spec["backoffLimit"], 3);
    assert_eq!(spec["activeDeadlineSeconds"], 7200);
    assert!(
        spec.get("ttlSecondsAfterFinished").is_none(),
        "a synced Job is never deleted behind the GitOps controller's back"
    );
    assert!(spec.get("selector").is_none() && spec.get("manualSelector").is_none());
    let pod = &spec["template"]["spec"];
    assert_eq!(pod["restartPolicy"], "OnFailure");
    assert_eq!(pod["serviceAccountName"], "orders-backfill");
    let container = &pod["containers"][0];
    assert_eq!(container["name"], "orders-backfill");
    assert_eq!(
        container["command"],
        json!(["orders", "backfill", "--since", "2026-11-01"])
    );
    assert_eq!(
        container["volumeMounts"],
        json!([
            { "name": "writable-0", "mountPath": "/tmp" },
            { "name": "writable-1", "mountPath": "/var/cache/orders" },
        ])
    );
    let env: Vec<&str> = container["env"]
        .as_array()
        .expect("env")
        .iter()
        .map(|v| v["name"].as_str().unwrap_or(""))
        .collect();
    assert_eq!(env, ["PGUSER", "PGPASSWORD", "DATABASE_URL"]);
    assert!(container.get("livenessProbe").is_none());
    assert!(container.get("readinessProbe").is_none());
    // Not a hook: only the wave of its phase, beside the scanners' skip.
    let annotations = annotations(backfill);
    assert!(
        annotations.get("argocd.argoproj.io/hook").is_none(),
        "{annotations}"
    );
    assert_eq!(annotations[SYNC_WAVE], "3", "{annotations}");
    // A ServiceAccount and a NetworkPolicy of its own, no Service.
    assert!(has(&objects, "ServiceAccount", "orders-backfill"));
    assert!(has(&objects, "NetworkPolicy", "orders-backfill"));
    assert!(!has(&objects, "Service", "orders-backfill"));
    assert!(
        !has(&objects, "Service", "sales-report"),
        "a metrics port makes no Service"
    );
}

#[test]
fn a_migration_is_a_sync_hook_in_the_wave_before_the_service_it_serves() {
    let objects = render("prod");
    let migrate = job(&objects, "orders-migrate");
    let annotations = annotations(migrate);
    assert_eq!(annotations["argocd.argoproj.io/hook"], "Sync");
    assert_eq!(
        annotations["argocd.argoproj.io/hook-delete-policy"],
        "BeforeHookCreation"
    );
    assert_eq!(annotations[SYNC_WAVE], "3");
    let spec = &migrate["spec"];
    assert_eq!(spec["backoffLimit"], 6);
    assert_eq!(
        spec["activeDeadlineSeconds"], 3600,
        "a hung migration fails the sync"
    );
    assert_eq!(spec["ttlSecondsAfterFinished"], 604_800);
    assert_eq!(spec["template"]["spec"]["restartPolicy"], "Never");
    // The served Deployment, and what refers to it, roll in the next wave.
    for kind in [
        "Deployment",
        "HorizontalPodAutoscaler",
        "PodDisruptionBudget",
    ] {
        assert_eq!(
            object(&objects, kind, "orders")["metadata"]["annotations"][SYNC_WAVE],
            "4",
            "{kind}"
        );
    }
    // Everything else is in the wave of its kind's phase, at most the
    // Job's: nothing else waits for it.
    for other in objects
        .iter()
        .filter(|o| o["metadata"]["name"] != "orders" && !std::ptr::eq(*o, migrate))
    {
        let wave = other["metadata"]["annotations"][SYNC_WAVE]
            .as_str()
            .unwrap_or("");
        assert!(
            ["0", "1", "2", "3", "5"].contains(&wave),
            "{}/{}",
            other["kind"],
            other["metadata"]["name"]
        );
    }
}

#[test]
fn the_example_migrates_before_health_api_rolls() {
    let objects = objects::render(&repository(), "prod");
    let migrate = job(&objects, "health-api-migrate");
    assert_eq!(annotations(migrate)["argocd.argoproj.io/hook"], "Sync");
    assert_eq!(annotations(migrate)[SYNC_WAVE], "3");
    let container = &migrate["spec"]["template"]["spec"]["containers"][0];
    // The health API rolls out as a canary in prod: its pods are a Rollout's.
    let api =
        &object(&objects, "Rollout", "health-api")["spec"]["template"]["spec"]["containers"][0];
    assert_eq!(container["image"], api["image"], "the service's own image");
    assert_eq!(container["command"], json!(["alembic", "upgrade", "head"]));
    // The primary, not PgBouncer, with the owner's credentials.
    assert_eq!(
        container["env"][0]["value"],
        "postgres-rw.health-platform-data.svc"
    );
    assert_eq!(
        container["env"][4]["valueFrom"]["secretKeyRef"],
        json!({ "name": "postgres-app", "key": "password", "optional": false })
    );
    assert_eq!(
        object(&objects, "Rollout", "health-api")["metadata"]["annotations"][SYNC_WAVE],
        "4"
    );
    // Its AnalysisTemplate is configuration, there before the Rollout runs it.
    assert_eq!(
        object(&objects, "AnalysisTemplate", "health-api")["metadata"]["annotations"][SYNC_WAVE],
        "1"
    );
}

#[test]
fn a_migration_runs_the_image_of_its_service() {
    let image = |objects: &[Value], workload: &str| {
        let pod = match job_of(objects, workload) {
            Some(job) => &job["spec"]["template"]["spec"],
            None => &object(objects, "Deployment", workload)["spec"]["template"]["spec"],
        };
        pod["containers"][0]["image"]
            .as_str()
            .expect("image")
            .to_owned()
    };
    let prod = render("prod");
    assert_eq!(image(&prod, "orders"), "ghcr.io/acme/orders:2.5.0");
    assert_eq!(image(&prod, "orders-migrate"), "ghcr.io/acme/orders:2.5.0");
    // A release from CI: `--image` of the service moves its migration too,
    // under a new Job name.
    let stream = run(
        &fixture(),
        &[
            "render",
            "prod",
            "--image",
            "orders=ghcr.io/acme/orders:2.6.0",
        ],
    )
    .success()
    .stdout;
    let released = crate::support::python::documents(&stream);
    assert_eq!(
        image(&released, "orders-migrate"),
        "ghcr.io/acme/orders:2.6.0"
    );
    assert_ne!(
        job(&released, "orders-migrate")["metadata"]["name"],
        job(&prod, "orders-migrate")["metadata"]["name"]
    );
}

/// The Job of `workload`, if it is one.
fn job_of<'a>(objects: &'a [Value], workload: &str) -> Option<&'a Value> {
    objects.iter().find(|o| {
        o["kind"] == "Job" && o["metadata"]["labels"]["app.kubernetes.io/name"] == workload
    })
}

#[test]
fn a_cron_job_runs_on_its_schedule() {
    let prod = render("prod");
    let report = &object(&prod, "CronJob", "sales-report")["spec"];
    assert_eq!(report["schedule"], "30 2 * * MON-FRI");
    assert_eq!(report["timeZone"], "Europe/Berlin");
    assert_eq!(report["concurrencyPolicy"], "Forbid", "the safe default");
    assert_eq!(report["startingDeadlineSeconds"], 600);
    assert_eq!(report["successfulJobsHistoryLimit"], 5);
    assert_eq!(report["failedJobsHistoryLimit"], 2);
    assert_eq!(report["suspend"], false);
    let job = &report["jobTemplate"]["spec"];
    assert_eq!(job["backoffLimit"], 2);
    assert_eq!(job["activeDeadlineSeconds"], 1800);
    assert_eq!(job["ttlSecondsAfterFinished"], 86400);
    assert_eq!(
        report["jobTemplate"]["metadata"]["labels"]["app.kubernetes.io/name"],
        "sales-report"
    );
    let pod = &job["template"];
    assert!(pod["metadata"]["annotations"]["checksum/config"].is_string());
    assert_eq!(pod["spec"]["restartPolicy"], "Never");
    let container = &pod["spec"]["containers"][0];
    assert_eq!(container["args"], json!(["--format", "csv"]));
    assert_eq!(
        container["ports"],
        json!([{ "name": "metrics", "containerPort": 9100, "protocol": "TCP" }])
    );
    assert_eq!(
        container["env"][2]["value"],
        "postgresql://$(PGUSER):$(PGPASSWORD)@shop-db-ro.shop.svc:5432/shop",
        "on the replicas"
    );

    let cleanup = &object(&prod, "CronJob", "session-cleanup")["spec"];
    assert_eq!(cleanup["schedule"], "@hourly");
    assert!(cleanup.get("timeZone").is_none());
    assert_eq!(cleanup["concurrencyPolicy"], "Forbid");
    assert_eq!(cleanup["successfulJobsHistoryLimit"], 3);
    assert_eq!(cleanup["failedJobsHistoryLimit"], 1);
    assert_eq!(cleanup["jobTemplate"]["spec"]["backoffLimit"], 6);
    assert!(
        cleanup["jobTemplate"]["spec"]
            .get("ttlSecondsAfterFinished")
            .is_none()
    );

    let dev = render("dev");
    assert_eq!(
        object(&dev, "CronJob", "sales-report")["spec"]["suspend"],
        true
    );
    let cleanup = &object(&dev, "CronJob", "session-cleanup")["spec"];
    assert_eq!(cleanup["schedule"], "*/15 * * * *");
    assert_eq!(cleanup["concurrencyPolicy"], "Replace");
}

#[test]
fn a_job_is_named_by_its_content() {
    let name = |objects: &[Value], workload: &str| {
        job(objects, workload)["metadata"]["name"]
            .as_str()
            .expect("name")
            .to_owned()
    };
    let dev = render("dev");
    let prod = render("prod");
    // Same content in both environments: same name, so it never runs twice.
    assert_eq!(
        name(&dev, "orders-backfill"),
        name(&prod, "orders-backfill")
    );
    assert_eq!(
        name(&prod, "orders-backfill"),
        name(&render("prod"), "orders-backfill")
    );
    // A new image is a new Job: applying never hits the immutable template.
    assert_ne!(name(&dev, "orders-migrate"), name(&prod, "orders-migrate"));
}

#[test]
fn pods_meet_the_restricted_pod_security_standard() {
    let objects = render("prod");
    let pods: Vec<(&str, &Value)> = objects
        .iter()
        .filter_map(|o| match o["kind"].as_str() {
            Some("Job") => Some(("Job", &o["spec"]["template"]["spec"])),
            Some("CronJob") => Some((
                "CronJob",
                &o["spec"]["jobTemplate"]["spec"]["template"]["spec"],
            )),
            _ => None,
        })
        .collect();
    assert_eq!(pods.len(), 4, "two Jobs and two CronJobs");
    for (kind, pod) in pods {
        assert_eq!(
            pod["securityContext"],
            json!({
                "runAsNonRoot": true,
                "runAsUser": 10001,
                "runAsGroup": 10001,
                "fsGroup": 10001,
                "seccompProfile": { "type": "RuntimeDefault" },
            }),
            "{kind}"
        );
        assert_eq!(pod["automountServiceAccountToken"], false, "{kind}");
        assert_eq!(
            pod["containers"][0]["securityContext"],
            json!({
                "allowPrivilegeEscalation": false,
                "capabilities": { "drop": ["ALL"] },
                "privileged": false,
                "readOnlyRootFilesystem": true,
                "runAsNonRoot": true,
            }),
            "{kind}"
        );
        for bound in ["requests", "limits"] {
            assert!(pod["containers"][0]["resources"][bound]["memory"].is_string());
        }
    }
}

#[test]
fn check_applies_the_pod_rules_and_not_the_service_rules() {
    // Single pods without probes, one with a metrics port: no missing-probes,
    // single-replica or missing-disruption-budget finding. The pod rules
    // still run: their images have no digest (waived in the fixture).
    let run = run(&fixture(), &["check", "--all", "--format", "json"]).success();
    let report: Value = serde_json::from_str(&run.stdout).expect("JSON report");
    let environments = report["environments"].as_object().expect("environments");
    let mut suppressed = Vec::new();
    for (environment, result) in environments {
        assert_eq!(result["diagnostics"], json!([]), "{environment}");
        suppressed.extend(result["suppressed"].as_array().expect("suppressed"));
    }
    assert!(
        suppressed
            .iter()
            .all(|f| matches!(f["code"].as_str(), Some("PG4014" | "PG4016"))),
        "{suppressed:?}"
    );
    let digest_findings = |kind: &str| {
        suppressed
            .iter()
            .filter(|f| f["code"] == "PG4014")
            .filter(|f| {
                f["message"]
                    .as_str()
                    .unwrap_or("")
                    .contains(&format!("`{kind}/shop/"))
            })
            .count()
    };
    // In production (the rule is off in development).
    assert_eq!(digest_findings("Job"), 2, "two Jobs");
    assert_eq!(digest_findings("CronJob"), 2, "two CronJobs");
    // The migration's image is its service's: the finding points at `imageOf`.
    let text = std::fs::read_to_string(fixture().join("platform.yaml")).expect("fixture");
    let image_of_line = text
        .lines()
        .position(|line| line.trim() == "imageOf: orders")
        .expect("imageOf line")
        + 1;
    let migrate = suppressed
        .iter()
        .find(|f| {
            f["message"]
                .as_str()
                .unwrap_or("")
                .contains("`orders-migrate`")
        })
        .expect("the migration's finding");
    assert_eq!(migrate["location"]["line"], image_of_line);
}

// --- Mistakes, each at its spec line ---------------------------------------

#[track_caller]
fn case(name: &str, base: &str) {
    let report = rejection::rejected_spec(base, MINIMAL_PROD);
    snapshot_settings().bind(|| insta::assert_snapshot!(name, report));
}

/// MINIMAL_BASE with `workload` added to its workloads.
fn base_with(workload: &str) -> String {
    rejection::minimal_base_with(
        "ingress: { controllerNamespace: ingress-nginx }\n",
        &format!("{workload}ingress: {{ controllerNamespace: ingress-nginx }}\n"),
    )
}

const JOB: &str = "  migrate:
    kind: Job
    namespace: shop
    image: ghcr.io/acme/web:1.2.3
    resources:
      requests: { cpu: 100m, memory: 128Mi }
      limits: { cpu: 500m, memory: 256Mi }
";

#[test]
fn service_fields_on_a_job() {
    case(
        "service_fields_on_a_job",
        &base_with(&format!(
            "{JOB}    ports:\n      http: {{ port: 8080 }}\n    replicas: 2\n    autoscaling: {{ min: 2, max: 3, cpu: 70 }}\n    disruptionBudget: {{ maxUnavailable: 1 }}\n    probes:\n      liveness: {{ http: /health }}\n    expose: {{ host: migrate }}\n    serviceType: ClusterIP\n    storage: {{ size: 1Gi, mountPath: /data }}\n"
        )),
    );
}

#[test]
fn batch_settings_on_the_wrong_kind() {
    let base = base_with(&format!(
        "{JOB}    cronJob: {{ schedule: \"@daily\" }}\n  nightly:\n    kind: CronJob\n    namespace: shop\n    image: ghcr.io/acme/web:1.2.3\n    resources:\n      requests: {{ cpu: 100m, memory: 128Mi }}\n      limits: {{ cpu: 500m, memory: 256Mi }}\n    cronJob: {{ schedule: \"@daily\" }}\n    job: {{ runBefore: [web] }}\n"
    ))
    .replace(
        "    expose: { host: shop }\n",
        "    expose: { host: shop }\n    job: { backoffLimit: 1 }\n",
    );
    case("batch_settings_on_the_wrong_kind", &base);
}

#[test]
fn invalid_schedules_and_time_zones() {
    let cron = |name: &str, settings: &str| {
        format!(
            "  {name}:\n    kind: CronJob\n    namespace: shop\n    image: ghcr.io/acme/web:1.2.3\n    resources:\n      requests: {{ cpu: 100m, memory: 128Mi }}\n      limits: {{ cpu: 500m, memory: 256Mi }}\n{settings}"
        )
    };
    let base = base_with(
        &[
            cron(
                "hourly",
                "    cronJob: { schedule: \"0 24 * * *\", timeZone: CEST }\n",
            ),
            cron(
                "every",
                "    cronJob: { schedule: \"@every 1h\", timeZone: \"+01:00\" }\n",
            ),
            cron("sixfields", "    cronJob: { schedule: \"0 0 3 * * *\" }\n"),
            cron(
                "weekly",
                "    cronJob: { schedule: \"0 3 * * 7\", timeZone: Europe/Berlin }\n",
            ),
            cron("unscheduled", "    cronJob: { suspend: true }\n"),
            cron("bare", ""),
        ]
        .concat(),
    );
    case("invalid_schedules_and_time_zones", &base);
}

#[test]
fn a_job_is_no_dependency() {
    let base = base_with(JOB).replace("    uses: [db]\n", "    uses: [db, migrate]\n");
    case("a_job_is_no_dependency", &base);
}

#[test]
fn run_before_names_a_rolling_workload() {
    let base = base_with(&format!(
        "{JOB}    job: {{ runBefore: [wbe, backfill, db], activeDeadlineSeconds: 0 }}\n  backfill:\n    kind: Job\n    namespace: shop\n    image: ghcr.io/acme/web:1.2.3\n    resources:\n      requests: {{ cpu: 100m, memory: 128Mi }}\n      limits: {{ cpu: 500m, memory: 256Mi }}\n"
    ));
    case("run_before_names_a_rolling_workload", &base);
}

#[test]
fn image_of_another_workload() {
    let job = |name: &str, image: &str| {
        format!(
            "  {name}:\n    kind: Job\n    namespace: shop\n{image}    resources:\n      requests: {{ cpu: 100m, memory: 128Mi }}\n      limits: {{ cpu: 500m, memory: 256Mi }}\n"
        )
    };
    let base = base_with(
        &[
            job(
                "both",
                "    image: ghcr.io/acme/web:1.2.3\n    imageOf: web\n",
            ),
            job("misspelt", "    imageOf: wbe\n"),
            job("itself", "    imageOf: itself\n"),
            job("chained", "    imageOf: misspelt\n"),
            job("neither", ""),
        ]
        .concat(),
    );
    case("image_of_another_workload", &base);
}

#[test]
fn manifest_habits_get_hints() {
    let base = base_with(&format!(
        "{JOB}    backoffLimit: 2\n    schedule: \"@daily\"\n"
    ));
    case("manifest_habits_get_hints", &base);
}

#[test]
fn restart_policy_always() {
    case(
        "restart_policy_always",
        &base_with(&format!("{JOB}    job: {{ restartPolicy: Always }}\n")),
    );
}

#[test]
fn batch_workload_name_too_long() {
    let long = "a-job-with-a-name-that-is-fifty-three-characters-long";
    assert_eq!(long.len(), 53);
    case(
        "batch_workload_name_too_long",
        &base_with(&JOB.replace("migrate", long)),
    );
}

#[test]
fn a_deleted_job_would_run_again() {
    let platform = Platform::with(
        &base_with(&format!(
            "{JOB}    job: {{ ttlSecondsAfterFinished: 3600 }}\n"
        )),
        &[("prod", MINIMAL_PROD)],
    );
    let run = platform.run(&["render", "prod"]);
    assert_eq!(
        run.code, 0,
        "a warning does not stop the render:\n{}",
        run.stderr
    );
    assert!(run.stdout.contains("ttlSecondsAfterFinished: 3600"));
    snapshot_settings().bind(|| {
        insta::assert_snapshot!("a_deleted_job_would_run_again", run.stderr);
    });
}

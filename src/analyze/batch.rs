//! Jobs and CronJobs: the fields a workload that runs to completion must not
//! set, the `job` and `cronJob` sections (on the right kinds, the schedule and
//! time zone well formed), and `job.runBefore`, the order between a migration
//! and the workloads it serves.

use crate::diagnostic::{Code, Diagnostic, suggestion};
use crate::model::{BatchModel, CronJobModel, JobModel, WorkloadModel};
use crate::spec::{ConcurrencyPolicy, JobRestartPolicy, Workload, WorkloadKind};

use super::Context;
use super::cron_schedule;

/// Retries of a Job by default: Kubernetes' own default, about ten minutes
/// of exponential back-off (10 s, 20 s, … 320 s), long enough for a database
/// that is still starting on the first install.
const DEFAULT_BACKOFF_LIMIT: u32 = 6;
/// A hook Job's deadline by default: a hung migration fails the sync within
/// the hour instead of holding every later wave forever.
const DEFAULT_HOOK_DEADLINE_SECONDS: u32 = 3600;
/// How long a finished hook Job stays by default: a week to read its logs.
/// Hooks are not part of the synced state, so nothing re-creates them, and
/// the runs of earlier renders (other names) would otherwise stay forever.
const DEFAULT_HOOK_TTL_SECONDS: u32 = 604_800;

/// The spec fields of a workload that keeps running and serves, with why a
/// Job has no use for each.
const SERVICE_FIELDS: &[(&str, &str)] = &[
    ("replicas", "a Job runs one pod to completion"),
    ("autoscaling", "there is no load to scale a Job's pod by"),
    ("disruptionBudget", "a Job's pod is not kept available"),
    (
        "rollout",
        "a Job's pod is not replaced by a new version while it runs",
    ),
    (
        "probes",
        "a Job's pod is judged by its exit code; bound its run time with `job.activeDeadlineSeconds`",
    ),
    ("expose", "nothing routes traffic to a Job"),
    ("serviceType", "a Job gets no Service"),
    (
        "storage",
        "a Job gets no volume of its own; write to a data service",
    ),
];

/// Reports what a workload of `kind` sets that its kind does not use.
pub(super) fn check_fields(
    ctx: &mut Context<'_>,
    name: &str,
    workload: &Workload,
    kind: WorkloadKind,
) {
    if kind.runs_to_completion() {
        check_service_fields(ctx, name, workload, kind);
    } else if workload.job.is_some() {
        report_wrong_kind(ctx, name, "job", kind, "`job` is for a Job or CronJob");
    }
    if kind != WorkloadKind::CronJob && workload.cron_job.is_some() {
        report_wrong_kind(ctx, name, "cronJob", kind, "`cronJob` is for a CronJob");
    }
    if kind == WorkloadKind::CronJob
        && workload
            .job
            .as_ref()
            .is_some_and(|job| !job.run_before.is_empty())
    {
        let span = ctx.key(&["workloads", name, "job", "runBefore"]);
        ctx.report(
            Diagnostic::error(
                Code::BatchSettingsOnWrongKind,
                format!("CronJob `{name}` sets `job.runBefore`"),
            )
            .at(span, "a scheduled run is not part of a deployment")
            .with_help("run the migration as a workload of `kind: Job`, or remove `runBefore`"),
        );
    }
}

fn check_service_fields(
    ctx: &mut Context<'_>,
    name: &str,
    workload: &Workload,
    kind: WorkloadKind,
) {
    let probes = &workload.probes;
    let written = |field: &str| match field {
        "replicas" => workload.replicas.is_some(),
        "autoscaling" => workload
            .autoscaling
            .as_ref()
            .is_some_and(|a| a.enabled != Some(false)),
        "disruptionBudget" => workload
            .disruption_budget
            .as_ref()
            .is_some_and(|b| b.enabled != Some(false)),
        "probes" => {
            probes.liveness.is_some() || probes.readiness.is_some() || probes.startup.is_some()
        }
        "expose" => workload.sections.contains("expose"),
        "serviceType" => workload.service_type.is_some(),
        "storage" => workload.storage.is_some(),
        "rollout" => workload.rollout.is_some(),
        _ => false,
    };
    for (field, why) in SERVICE_FIELDS {
        if written(field) {
            let span = ctx.key(&["workloads", name, field]);
            ctx.report(
                Diagnostic::error(
                    Code::FieldNotForBatch,
                    format!("{} `{name}` sets `{field}`", kind.as_str()),
                )
                .at(span, *why)
                .with_help(format!(
                    "remove `{field}`, or run `{name}` as a Deployment or StatefulSet"
                )),
            );
        }
    }
    let metrics_port = workload.metrics.as_ref().map(|m| m.port.as_str());
    for port in workload.ports.keys() {
        if Some(port.as_str()) != metrics_port {
            let span = ctx.key(&["workloads", name, "ports", port]);
            ctx.report(
                Diagnostic::error(
                    Code::FieldNotForBatch,
                    format!("{} `{name}` declares port `{port}`", kind.as_str()),
                )
                .at(span, "nothing routes traffic to a Job")
                .with_help(format!(
                    "remove the port; a {} declares a port only to serve its `metrics`",
                    kind.as_str()
                )),
            );
        }
    }
}

fn report_wrong_kind(
    ctx: &mut Context<'_>,
    name: &str,
    section: &str,
    kind: WorkloadKind,
    label: &str,
) {
    let span = ctx.key(&["workloads", name, section]);
    let wanted = if section == "job" {
        "`kind: Job` or `kind: CronJob`"
    } else {
        "`kind: CronJob`"
    };
    ctx.report(
        Diagnostic::error(
            Code::BatchSettingsOnWrongKind,
            format!("{} `{name}` sets `{section}`", kind.as_str()),
        )
        .at(span, label)
        .with_help(format!("set {wanted}, or remove `{section}`")),
    );
}

/// The settings of a Job or CronJob, with defaults; `None` for other kinds or
/// when the `cronJob` section is wrong (reported).
pub(super) fn resolve(
    ctx: &mut Context<'_>,
    name: &str,
    workload: &Workload,
    kind: WorkloadKind,
) -> Option<BatchModel> {
    if !kind.runs_to_completion() {
        return None;
    }
    let settings = workload.job.clone().unwrap_or_default();
    let hook = kind == WorkloadKind::Job && !settings.run_before.is_empty();
    if kind == WorkloadKind::Job
        && !hook
        && let Some(ttl) = settings.ttl_seconds_after_finished
    {
        let span = ctx.value(&["workloads", name, "job", "ttlSecondsAfterFinished"]);
        ctx.report(
            Diagnostic::warning(
                Code::FinishedJobDeleted,
                format!("Job `{name}` is deleted {ttl} s after it finishes, and a GitOps sync creates it again"),
            )
            .at(span, "the Job runs again after every expiry")
            .with_help("remove `ttlSecondsAfterFinished`: a new render with other content gets a new Job name and runs anew"),
        );
    }
    let job = JobModel {
        backoff_limit: settings.backoff_limit.unwrap_or(DEFAULT_BACKOFF_LIMIT),
        active_deadline_seconds: settings
            .active_deadline_seconds
            .or(hook.then_some(DEFAULT_HOOK_DEADLINE_SECONDS)),
        ttl_seconds_after_finished: settings
            .ttl_seconds_after_finished
            .or(hook.then_some(DEFAULT_HOOK_TTL_SECONDS)),
        restart_policy: settings.restart_policy.unwrap_or(JobRestartPolicy::Never),
        run_before: if kind == WorkloadKind::Job {
            settings.run_before
        } else {
            Vec::new()
        },
    };
    if workload
        .job
        .as_ref()
        .and_then(|j| j.active_deadline_seconds)
        == Some(0)
    {
        let span = ctx.value(&["workloads", name, "job", "activeDeadlineSeconds"]);
        ctx.report(
            Diagnostic::error(
                Code::InvalidValue,
                "`activeDeadlineSeconds: 0` stops the Job before it starts",
            )
            .at(span, "must be at least 1"),
        );
    }
    let cron = if kind == WorkloadKind::CronJob {
        Some(resolve_cron(ctx, name, workload)?)
    } else {
        None
    };
    Some(BatchModel { job, cron })
}

fn resolve_cron(ctx: &mut Context<'_>, name: &str, workload: &Workload) -> Option<CronJobModel> {
    let settings = workload.cron_job.clone().unwrap_or_default();
    let Some(schedule) = settings.schedule else {
        let (span, label) = if workload.cron_job.is_some() {
            (ctx.key(&["workloads", name, "cronJob"]), "no `schedule`")
        } else {
            (ctx.key(&["workloads", name]), "no `cronJob.schedule`")
        };
        ctx.report(
            Diagnostic::error(
                Code::MissingField,
                format!("CronJob `{name}` has no schedule"),
            )
            .at(span, label)
            .with_help("add `cronJob: { schedule: \"30 2 * * *\" }` (every day at 02:30), or `@daily`, `@hourly`, …"),
        );
        return None;
    };
    let mut valid = true;
    if let Some(problem) = cron_schedule::schedule_problem(&schedule) {
        let span = ctx.value(&["workloads", name, "cronJob", "schedule"]);
        ctx.report(
            Diagnostic::error(
                Code::InvalidSchedule,
                format!("invalid schedule `{schedule}` of CronJob `{name}`"),
            )
            .at(span, problem)
            .with_help("five fields: minute hour day-of-month month day-of-week, e.g. `30 2 * * *` (02:30 every day)"),
        );
        valid = false;
    }
    if let Some(zone) = &settings.time_zone
        && let Some(problem) = cron_schedule::time_zone_problem(zone)
    {
        let span = ctx.value(&["workloads", name, "cronJob", "timeZone"]);
        ctx.report(
            Diagnostic::error(
                Code::InvalidTimeZone,
                format!("invalid time zone `{zone}` of CronJob `{name}`"),
            )
            .at(span, problem)
            .with_help("an IANA time zone name, e.g. `Europe/Berlin`, `America/New_York` or `UTC`"),
        );
        valid = false;
    }
    valid.then(|| CronJobModel {
        schedule: schedule.trim().to_owned(),
        time_zone: settings.time_zone,
        concurrency_policy: settings
            .concurrency_policy
            .unwrap_or(ConcurrencyPolicy::Forbid),
        starting_deadline_seconds: settings.starting_deadline_seconds,
        successful_jobs_history_limit: settings.successful_jobs_history_limit.unwrap_or(3),
        failed_jobs_history_limit: settings.failed_jobs_history_limit.unwrap_or(1),
        suspend: settings.suspend.unwrap_or(false),
    })
}

/// Checks each Job's `runBefore` against the workloads of this environment,
/// and tells each workload named there which Jobs it waits for.
pub(super) fn link_run_before(ctx: &mut Context<'_>, workloads: &mut [WorkloadModel]) {
    let spec = ctx.spec;
    let enabled = |w: &&Workload| w.enabled != Some(false);
    for (name, workload) in spec.workloads.iter().filter(|(_, w)| enabled(w)) {
        if workload.kind != Some(WorkloadKind::Job) {
            continue;
        }
        let Some(settings) = &workload.job else {
            continue;
        };
        for (index, target) in settings.run_before.iter().enumerate() {
            let span = ctx.value(&["workloads", name, "job", "runBefore", &index.to_string()]);
            let problem = match spec.workloads.get(target) {
                None => Some(("no workload has this name".to_owned(), None)),
                Some(w) if !enabled(&w) => Some((
                    format!(
                        "`{target}` is disabled in environment `{}`",
                        ctx.environment
                    ),
                    None,
                )),
                Some(w) if w.kind.is_some_and(WorkloadKind::runs_to_completion) => Some((
                    format!(
                        "`{target}` is a {}, not a Deployment or StatefulSet",
                        w.kind.map_or("", WorkloadKind::as_str)
                    ),
                    Some(ctx.key(&["workloads", target])),
                )),
                Some(_) => None,
            };
            if let Some((label, declared)) = problem {
                let rolling = spec
                    .workloads
                    .iter()
                    .filter(|(_, w)| {
                        enabled(w) && !w.kind.is_some_and(WorkloadKind::runs_to_completion)
                    })
                    .map(|(n, _)| n.as_str());
                let mut diagnostic = Diagnostic::error(
                    Code::InvalidRunBefore,
                    format!("Job `{name}` cannot run before `{target}`"),
                )
                .at(span, label)
                .with_help_opt(suggestion::did_you_mean(target, rolling));
                if let Some(declared) = declared {
                    diagnostic = diagnostic.with_secondary(declared, "declared here");
                }
                ctx.report(diagnostic);
                continue;
            }
            if let Some(model) = workloads.iter_mut().find(|w| &w.name == target)
                && !model.runs_after.contains(name)
            {
                model.runs_after.push(name.clone());
            }
        }
    }
}

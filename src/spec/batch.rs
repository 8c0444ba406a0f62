//! `JobSettings` and `CronJobSettings`: what a workload of `kind: Job` or
//! `kind: CronJob` runs to completion, how often it retries, how long it may
//! take, and for a CronJob when it starts. docs/operations.md describes how
//! they are rendered.

use schemars::JsonSchema;
use serde::Deserialize;

/// How a Job runs: retries, deadline, clean-up, and for a migration the
/// workloads it must finish before. Also the Jobs a CronJob starts.
#[derive(Debug, Clone, Default, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
pub struct JobSettings {
    /// Failed pods (or, with `restartPolicy: OnFailure`, container restarts)
    /// before the Job is marked failed. Default 6 (about ten minutes of
    /// exponential back-off: enough for a database that is still starting).
    #[serde(default)]
    pub backoff_limit: Option<u32>,
    /// Seconds the Job may run in all, retries included, before it is
    /// stopped and marked failed. Default: none, except for a Job with
    /// `runBefore` (3600): a hung migration must fail the sync rather than
    /// hold it forever.
    #[serde(default)]
    pub active_deadline_seconds: Option<u32>,
    /// Seconds after the Job finishes before Kubernetes deletes it and its
    /// pods. Default: 604800 (7 days) for a Job with `runBefore`, none for
    /// other Jobs (a GitOps controller would re-create a deleted Job and run
    /// it again), left to the CronJob's history limits for a CronJob.
    #[serde(default)]
    pub ttl_seconds_after_finished: Option<u32>,
    /// `Never` (default): a failed container makes a new pod, and the failed
    /// pod stays for its logs. `OnFailure`: the container restarts in the same
    /// pod. A Job's pods never use `Always`.
    #[serde(default)]
    pub restart_policy: Option<JobRestartPolicy>,
    /// Workloads (Deployments or StatefulSets) that must not roll before
    /// this Job has succeeded, typically a schema migration before the
    /// services that read the new schema. Rendered for ArgoCD as a `Sync`
    /// hook in the wave before those workloads (docs/operations.md). `kind:
    /// Job` only.
    #[serde(default)]
    pub run_before: Vec<String>,
}

/// A Job pod's restart policy.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, JsonSchema)]
pub enum JobRestartPolicy {
    Never,
    OnFailure,
}

impl JobRestartPolicy {
    pub fn as_str(self) -> &'static str {
        match self {
            JobRestartPolicy::Never => "Never",
            JobRestartPolicy::OnFailure => "OnFailure",
        }
    }
}

/// When a CronJob starts its Jobs, and how many finished ones it keeps.
#[derive(Debug, Clone, Default, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
pub struct CronJobSettings {
    /// Cron schedule: five fields (minute, hour, day of month, month, day of
    /// week), e.g. `"30 2 * * *"`, or one of `@hourly`, `@daily`,
    /// `@midnight`, `@weekly`, `@monthly`, `@yearly`, `@annually`. Required.
    #[serde(default)]
    pub schedule: Option<String>,
    /// IANA time zone the schedule is read in, e.g. `Europe/Berlin`. Default:
    /// the time zone of the kube-controller-manager (usually UTC).
    #[serde(default)]
    pub time_zone: Option<String>,
    /// What to do when a run is due while the previous one still runs.
    /// Default `Forbid`: skip the new run, so two runs never work on the same
    /// data at once (two backups writing one file, two reports double
    /// counting).
    #[serde(default)]
    pub concurrency_policy: Option<ConcurrencyPolicy>,
    /// Seconds after its scheduled time a run may still start (after a
    /// controller outage, say); later, it is skipped. Default: no limit.
    #[serde(default)]
    pub starting_deadline_seconds: Option<u32>,
    /// Succeeded Jobs kept, with their pods and logs. Default 3.
    #[serde(default)]
    pub successful_jobs_history_limit: Option<u32>,
    /// Failed Jobs kept, with their pods and logs. Default 1.
    #[serde(default)]
    pub failed_jobs_history_limit: Option<u32>,
    /// `true` stops new runs (running ones finish). Default `false`.
    #[serde(default)]
    pub suspend: Option<bool>,
}

/// A CronJob's `concurrencyPolicy`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, JsonSchema)]
pub enum ConcurrencyPolicy {
    /// Skip a run while the previous one still runs.
    Forbid,
    /// Stop the running one and start the new run.
    Replace,
    /// Run both at once.
    Allow,
}

impl ConcurrencyPolicy {
    pub fn as_str(self) -> &'static str {
        match self {
            ConcurrencyPolicy::Forbid => "Forbid",
            ConcurrencyPolicy::Replace => "Replace",
            ConcurrencyPolicy::Allow => "Allow",
        }
    }
}

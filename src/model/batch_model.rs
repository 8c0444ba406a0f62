//! `BatchModel`: how a Job or CronJob workload runs, with every default
//! applied.

use crate::spec::{ConcurrencyPolicy, JobRestartPolicy};

/// A Job's settings, or those of each Job a CronJob starts.
#[derive(Debug, Clone)]
pub struct JobModel {
    pub backoff_limit: u32,
    pub active_deadline_seconds: Option<u32>,
    pub ttl_seconds_after_finished: Option<u32>,
    pub restart_policy: JobRestartPolicy,
    /// The workloads that roll only after this Job has succeeded; when not
    /// empty, the Job is a GitOps sync hook.
    pub run_before: Vec<String>,
}

impl JobModel {
    /// Whether the Job runs as a sync hook before other workloads roll.
    pub fn is_hook(&self) -> bool {
        !self.run_before.is_empty()
    }
}

/// When a CronJob starts its Jobs and how many it keeps.
#[derive(Debug, Clone)]
pub struct CronJobModel {
    pub schedule: String,
    pub time_zone: Option<String>,
    pub concurrency_policy: ConcurrencyPolicy,
    pub starting_deadline_seconds: Option<u32>,
    pub successful_jobs_history_limit: u32,
    pub failed_jobs_history_limit: u32,
    pub suspend: bool,
}

/// A workload that runs to completion: a Job (`cron: None`) or a CronJob.
#[derive(Debug, Clone)]
pub struct BatchModel {
    pub job: JobModel,
    pub cron: Option<CronJobModel>,
}

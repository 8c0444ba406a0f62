//! CronJob: a workload that runs to completion on a schedule. Unlike a Job's,
//! a CronJob's spec may change in place, so it keeps the workload's name; the
//! Jobs it starts are named by the controller.

use k8s_openapi::api::batch::v1::{CronJob, CronJobSpec, JobTemplateSpec};
use k8s_openapi::apimachinery::pkg::apis::meta::v1::ObjectMeta;

use super::job;
use crate::model::labels;
use crate::model::{BatchModel, CronJobModel, PlatformModel, WorkloadModel};

pub(super) fn cron_job(
    platform: &PlatformModel,
    workload: &WorkloadModel,
    batch: &BatchModel,
    cron: &CronJobModel,
) -> CronJob {
    CronJob {
        metadata: ObjectMeta {
            name: Some(workload.name.clone()),
            namespace: Some(workload.namespace.clone()),
            labels: Some(labels::image_labels(platform, workload)),
            annotations: super::workload_annotations::non_empty(workload),
            ..ObjectMeta::default()
        },
        spec: Some(CronJobSpec {
            schedule: cron.schedule.clone(),
            time_zone: cron.time_zone.clone(),
            concurrency_policy: Some(cron.concurrency_policy.as_str().to_owned()),
            starting_deadline_seconds: cron.starting_deadline_seconds.map(i64::from),
            successful_jobs_history_limit: Some(clamp_i32(cron.successful_jobs_history_limit)),
            failed_jobs_history_limit: Some(clamp_i32(cron.failed_jobs_history_limit)),
            suspend: Some(cron.suspend),
            job_template: JobTemplateSpec {
                metadata: Some(ObjectMeta {
                    labels: Some(labels::image_labels(platform, workload)),
                    ..ObjectMeta::default()
                }),
                spec: Some(job::job_spec(platform, workload, &batch.job)),
            },
        }),
        ..CronJob::default()
    }
}

fn clamp_i32(value: u32) -> i32 {
    i32::try_from(value).unwrap_or(i32::MAX)
}

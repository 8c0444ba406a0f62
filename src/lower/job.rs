//! Job: a workload that runs once to completion (a schema migration), and the
//! Job template a CronJob starts on its schedule.
//!
//! A Job's pod template is immutable: applying a Job whose template changed
//! (a new image) under the old name fails. So a Job's name carries a hash of
//! its spec, `<workload>-<hash>`: a new render with other content is a new
//! Job, which runs, and the previous one is pruned with the render it came
//! from; rendering the same content again keeps the name, so a finished Job
//! is not run again.

use k8s_openapi::api::batch::v1::{Job, JobSpec};
use k8s_openapi::apimachinery::pkg::apis::meta::v1::ObjectMeta;
use sha2::{Digest, Sha256};

use super::{pod_template, sync_order};
use crate::model::labels;
use crate::model::{JobModel, PlatformModel, WorkloadModel};

/// Hexadecimal digits of the content hash in a Job's name (the workload name
/// is at most 52 characters, so the name stays a 63-character label).
pub(crate) const HASH_LENGTH: usize = 10;

pub(super) fn job(platform: &PlatformModel, workload: &WorkloadModel, settings: &JobModel) -> Job {
    let spec = job_spec(platform, workload, settings);
    let mut annotations = super::workload_annotations::annotations(workload);
    if settings.is_hook() {
        annotations.extend(sync_order::hook_annotations());
    }
    Job {
        metadata: ObjectMeta {
            name: Some(name(workload, &spec)),
            namespace: Some(workload.namespace.clone()),
            labels: Some(labels::image_labels(platform, workload)),
            annotations: (!annotations.is_empty()).then_some(annotations),
            ..ObjectMeta::default()
        },
        spec: Some(spec),
        ..Job::default()
    }
}

/// What each run does: the pod template, retries, deadline and clean-up. The
/// Job controller makes the selector (`manualSelector` stays off).
pub(super) fn job_spec(
    platform: &PlatformModel,
    workload: &WorkloadModel,
    settings: &JobModel,
) -> JobSpec {
    JobSpec {
        backoff_limit: Some(clamp_i32(settings.backoff_limit)),
        active_deadline_seconds: settings.active_deadline_seconds.map(i64::from),
        ttl_seconds_after_finished: settings.ttl_seconds_after_finished.map(clamp_i32),
        template: pod_template::pod_template(platform, workload),
        ..JobSpec::default()
    }
}

/// `<workload>-<hash of the spec>`: the spec as canonical JSON (sorted keys),
/// so the same content always gets the same name.
fn name(workload: &WorkloadModel, spec: &JobSpec) -> String {
    hashed_name(&workload.name, spec)
}

/// `<prefix>-<hash of the spec>`, the name of a Job whose template can change
/// between renders (a Job's template is immutable): for the workloads' Jobs
/// and for those capabilities render.
pub(crate) fn hashed_name(prefix: &str, spec: &JobSpec) -> String {
    let canonical =
        serde_json::to_vec(&serde_json::to_value(spec).unwrap_or_default()).unwrap_or_default();
    let digest = Sha256::digest(&canonical);
    format!(
        "{prefix}-{}",
        crate::object::hex::lower_hex(&digest, HASH_LENGTH)
    )
}

fn clamp_i32(value: u32) -> i32 {
    i32::try_from(value).unwrap_or(i32::MAX)
}

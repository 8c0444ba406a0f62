//! The KEDA capability's lowering: the `ScaledObject` of each workload that
//! scales on events, and the `TriggerAuthentication` its RabbitMQ trigger
//! reads the broker's credentials through.

mod scaled_object;
mod trigger_authentication;

use crate::lower::Objects;
use crate::lower::push;
use crate::model::{PlatformModel, WorkloadModel};
use crate::spec::WorkloadKind;

/// The KEDA objects of `workload`, if it scales on events.
pub fn objects(platform: &PlatformModel, workload: &WorkloadModel, manifests: &mut Objects) {
    let Some(autoscaling) = &workload.autoscaling else {
        return;
    };
    // Jobs and CronJobs take no `autoscaling` (PG3050).
    if matches!(workload.kind, WorkloadKind::Job | WorkloadKind::CronJob) {
        return;
    }
    let Some(events) = super::model::event_scaling(workload) else {
        return;
    };
    if let Some(auth) = trigger_authentication::trigger_authentication(platform, workload, events) {
        push(manifests, &auth, workload.origin);
    }
    push(
        manifests,
        &scaled_object::scaled_object(platform, workload, autoscaling, events),
        workload.origin,
    );
}

//! The rollouts capability's lowering: for a workload with `delivery`, the
//! Rollout that runs its pods (the core renders no Deployment for it), the
//! canary or preview Service beside the workload's own, the AnalysisTemplate
//! of its analysis, and the Ingress of a blue/green preview host.

mod analysis_template;
mod preview_ingress;
mod rollout;
mod second_service;

use crate::lower::{Objects, push};
use crate::model::{PlatformModel, WorkloadModel};

use super::model::StrategyModel;

/// The objects of `workload`'s progressive delivery, if it has one.
pub fn objects(platform: &PlatformModel, workload: &WorkloadModel, objects: &mut Objects) {
    let Some(delivery) = super::model::delivery(workload) else {
        return;
    };
    let origin = workload.origin;
    push(
        objects,
        &rollout::rollout(platform, workload, delivery),
        origin,
    );
    if let Some(service) = second_service::service(platform, workload, delivery) {
        push(objects, &service, origin);
    }
    if let Some(analysis) = &delivery.analysis {
        push(
            objects,
            &analysis_template::analysis_template(platform, workload, analysis),
            origin,
        );
    }
    if let StrategyModel::BlueGreen(blue_green) = &delivery.strategy
        && let Some(host) = &blue_green.preview_host
        && let Some(ingress) = preview_ingress::ingress(platform, workload, delivery, host)
    {
        push(objects, &ingress, origin);
    }
}

//! The KEDA capability's network flows: KEDA's operator reads queue depths
//! from each broker a workload scales on, through its management API.

use std::collections::BTreeSet;

use crate::model::PlatformModel;

use super::model::RABBITMQ_MANAGEMENT_PORT;

/// One flow from KEDA's operator to a broker's pods.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub struct ScalerFlow {
    /// The broker's pod group.
    pub group: String,
    pub port: u16,
}

/// The brokers KEDA's operator reads, each once, in name order.
pub fn scaler_flows(platform: &PlatformModel) -> Vec<ScalerFlow> {
    let flows: BTreeSet<ScalerFlow> = platform
        .workloads
        .iter()
        .filter_map(|w| w.autoscaling.as_ref()?.events.as_ref())
        .flat_map(|events| events.rabbitmq_groups())
        .map(|group| ScalerFlow {
            group: group.to_owned(),
            port: RABBITMQ_MANAGEMENT_PORT,
        })
        .collect();
    flows.into_iter().collect()
}

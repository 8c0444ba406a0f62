//! The tracing capability's network flows: each traced workload to the
//! collector workload's OTLP port (a collector outside the platform is an
//! `egress` destination of each traced workload instead).

use crate::model::PlatformModel;

/// One flow from a traced workload to the collector.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TraceFlow {
    pub workload: String,
    pub collector: String,
    pub port: u16,
}

/// The flows to the in-platform collector, in spec order.
pub fn trace_flows(platform: &PlatformModel) -> Vec<TraceFlow> {
    let Some(tracing) = &platform.tracing else {
        return Vec::new();
    };
    let Some((collector, port)) = &tracing.collector else {
        return Vec::new();
    };
    tracing
        .workloads
        .iter()
        .map(|workload| TraceFlow {
            workload: workload.clone(),
            collector: collector.clone(),
            port: *port,
        })
        .collect()
}

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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::testing;

    const OVERLAY: &str = "\
tracing:
  otlp: { service: collector }
workloads:
  web: { tracing: true }
  collector:
    namespace: shop
    image: otel/opentelemetry-collector:0.115.1
    ports: { otlp-grpc: { port: 4317 }, ui: { port: 8080 } }
    resources:
      requests: { cpu: 100m, memory: 128Mi }
      limits: { cpu: 500m, memory: 256Mi }
    tracing: true
";

    #[test]
    fn traced_workloads_reach_the_collector_port_and_the_collector_itself_is_skipped() {
        let model = testing::platform(OVERLAY);
        assert_eq!(
            trace_flows(&model),
            [TraceFlow {
                workload: "web".to_owned(),
                collector: "collector".to_owned(),
                port: 4317,
            }]
        );
    }
}

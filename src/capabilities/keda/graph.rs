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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::testing;

    const OVERLAY: &str = "\
namespaces: { data: {} }
rabbitmq:
  queue:
    namespace: data
    storage: { size: 1Gi }
    resources:
      requests: { cpu: 100m, memory: 256Mi }
      limits: { cpu: 100m, memory: 256Mi }
workloads:
  web:
    autoscaling:
      min: 1
      max: 4
      events:
        rabbitmq: { service: queue, queue: orders, messagesPerReplica: 5 }
    connections:
      queue: { env: { AMQP_HOST: host } }
";

    #[test]
    fn keda_reads_each_scaled_broker_on_the_management_port() {
        let model = testing::platform(OVERLAY);
        assert_eq!(
            scaler_flows(&model),
            [ScalerFlow {
                group: "queue".to_owned(),
                port: 15672,
            }]
        );
        assert_eq!(
            model.keda.as_ref().map(|k| k.namespace.as_str()),
            Some("keda")
        );
        let web = model.workload("web").expect("web");
        let events = web.autoscaling.as_ref().and_then(|a| a.events.as_ref());
        assert_eq!(events.map(|e| e.triggers.len()), Some(1));
    }
}

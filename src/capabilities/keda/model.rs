//! `EventScalingModel`: a workload's KEDA triggers, resolved.

/// KEDA's operator pods, as its release manifests and Helm chart label them.
pub const OPERATOR_POD_LABELS: [(&str, &str); 1] = [("app", "keda-operator")];

/// The RabbitMQ management API's port, which the HTTP trigger reads.
pub const RABBITMQ_MANAGEMENT_PORT: u16 = 15672;

/// The triggers of one workload's ScaledObject, in spec order.
#[derive(Debug, Clone, Default)]
pub struct EventScalingModel {
    pub triggers: Vec<TriggerModel>,
}

#[derive(Debug, Clone)]
pub enum TriggerModel {
    Rabbitmq {
        /// The broker's pod group, which KEDA's operator reaches.
        group: String,
        /// The management API's URL, without credentials.
        host: String,
        vhost: String,
        queue: String,
        messages_per_replica: u32,
        /// The Secret with `username` and `password` in the workload's
        /// namespace (the operator's, or the connection's copy).
        secret: String,
    },
    Prometheus {
        server_address: String,
        query: String,
        threshold: String,
    },
    Cron {
        timezone: String,
        start: String,
        end: String,
        replicas: u32,
    },
}

impl EventScalingModel {
    /// The broker groups KEDA reads queue depths from.
    pub fn rabbitmq_groups(&self) -> impl Iterator<Item = &str> {
        self.triggers.iter().filter_map(|trigger| match trigger {
            TriggerModel::Rabbitmq { group, .. } => Some(group.as_str()),
            _ => None,
        })
    }
}

/// A workload's KEDA triggers (`WorkloadModel::parts`), when it scales on
/// events.
pub const EVENT_SCALING: crate::model::Part<EventScalingModel> =
    crate::model::Part::new("eventScaling");

/// The workload's KEDA triggers, when it scales on events.
pub fn event_scaling(workload: &crate::model::WorkloadModel) -> Option<&EventScalingModel> {
    EVENT_SCALING.get(&workload.parts)
}

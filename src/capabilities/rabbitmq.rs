//! RabbitMQ through the RabbitMQ Cluster Operator: `rabbitmq.<name>` renders a
//! `RabbitmqCluster` (a broker of one or more nodes, quorum queues by
//! default); workloads connect with `connections.<name>`, their credentials
//! taken from the default-user Secret the operator generates.

pub mod analyze;
pub mod lower;
pub mod model;
pub mod spec;

use super::capability::Capability;

pub const CAPABILITY: Capability = Capability {
    name: "rabbitmq",
    spec_keys: &["rabbitmq"],
    sections: spec::SECTIONS,
    namespace_paths: spec::NAMESPACE_PATHS,
    docs: "docs/data-services/rabbitmq.md",
    analyze: Some(analyze::analyze),
    analyze_workload: None,
    provides_env: None,
    lower: Some(lower::objects),
    lower_workload: None,
    rules: &[],
};

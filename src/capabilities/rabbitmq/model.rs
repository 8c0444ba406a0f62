//! `RabbitmqModel`: one RabbitMQ Cluster Operator broker to render, every
//! default applied.

use std::collections::BTreeMap;

use crate::model::TolerationModel;
use crate::source::Span;
use crate::spec::{Quantity, Resources};

/// The pod label the operator sets to the cluster's name, which its
/// Services select by (`internal/metadata/label.go`).
pub const NAME_LABEL: &str = "app.kubernetes.io/name";

#[derive(Debug, Clone)]
pub struct RabbitmqModel {
    pub name: String,
    pub namespace: String,
    pub description: Option<String>,
    /// The image, `rabbitmq:<version>-management`.
    pub image: String,
    pub replicas: u32,
    pub storage_size: Quantity,
    pub storage_class: Option<String>,
    pub resources: Resources,
    pub node_selector: BTreeMap<String, String>,
    pub tolerations: Vec<TolerationModel>,
    pub priority_class: Option<String>,
    /// `quorum` or `classic`: RabbitMQ's node-wide `default_queue_type`.
    pub default_queue_type: &'static str,
    pub origin: Span,
}

impl RabbitmqModel {
    /// The Secret the operator generates with the default user's
    /// credentials (keys `username`, `password`, `host`, `port`,
    /// `connection_string`, …).
    pub fn default_user_secret(&self) -> String {
        format!("{}-default-user", self.name)
    }

    /// The client Service the operator creates: the cluster's own name.
    pub fn service_host(&self) -> String {
        format!("{}.{}.svc", self.name, self.namespace)
    }
}

/// The platform's rabbitmq services to render (`PlatformModel::parts`), in
/// spec order.
pub const RABBITMQ: crate::model::Part<Vec<RabbitmqModel>> = crate::model::Part::new("rabbitmq");

/// The platform's rabbitmq services to render, in spec order.
pub fn rendered(platform: &crate::model::PlatformModel) -> &[RabbitmqModel] {
    RABBITMQ.get(&platform.parts).map_or(&[], Vec::as_slice)
}

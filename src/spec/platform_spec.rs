//! `PlatformSpec`: the root of what users write. `platform.yaml` holds a complete
//! one; each `environments/<env>.yaml` holds a partial one that is merged over it
//! (see `merge`). Serde + schemars only: no Kubernetes types, no I/O.

use indexmap::IndexMap;
use schemars::JsonSchema;
use serde::Deserialize;

use super::{Ingress, Monitoring, Namespace, Network, Platform, PolicySpec, Tier, Workload};

/// A platform: its namespaces and workloads, and the settings every environment
/// shares or overrides.
#[derive(Debug, Clone, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
pub struct PlatformSpec {
    /// Identity of the platform and the Kubernetes version it targets.
    pub platform: Platform,
    /// How strict this environment is. Defaults from the environment's file name:
    /// `dev` is `development`, `staging` is `staging`, `prod` is `production`;
    /// any other environment must set it.
    #[serde(default)]
    pub tier: Option<Tier>,
    /// DNS domain of this environment. Relative hosts in `expose.host` are
    /// placed under it (`api` becomes `api.<domain>`).
    #[serde(default)]
    pub domain: Option<String>,
    /// Values that other values use as `${name}`, set in the base and changed
    /// per environment (a Vault path prefix, an image tag, a URL). Built in:
    /// `${environment}`, `${platform}`, `${domain}`.
    #[serde(default)]
    pub parameters: IndexMap<String, String>,
    /// Ingress controller and TLS settings for publicly exposed workloads.
    #[serde(default)]
    pub ingress: Ingress,
    /// NetworkPolicies derived from the dependency graph, and where the
    /// Kubernetes API server is. Policies are on unless `policies: false`.
    #[serde(default)]
    pub network: Network,
    /// Where the monitoring system (Prometheus) runs, so network policies admit
    /// it to each workload's `metrics` port.
    #[serde(default)]
    pub monitoring: Option<Monitoring>,
    /// Namespaces, by name. Each workload lives in one of them.
    pub namespaces: IndexMap<String, Namespace>,
    /// Workloads (services and stateful stores), by name. The name becomes the
    /// name of the Kubernetes objects made for it.
    #[serde(default)]
    pub workloads: IndexMap<String, Workload>,
    /// Cloud provider of the cluster: selects the provisioners of the generated
    /// `fast-ssd` and `standard` StorageClasses and the annotations of
    /// LoadBalancer Services. Without it, no StorageClass is generated.
    #[serde(default)]
    pub cloud: Option<super::Cloud>,
    /// PostgreSQL clusters by name, run by the CloudNativePG operator.
    /// Workloads name one in `uses` and `connections`.
    #[serde(default)]
    pub postgres: IndexMap<String, crate::capabilities::postgres::spec::PostgresSpec>,
    /// MinIO object stores by name, run by the MinIO Operator as Tenants.
    /// Workloads name one in `uses` and `connections`; PostgreSQL backups in
    /// `endpoint.service`.
    #[serde(default)]
    pub minio: IndexMap<String, crate::capabilities::minio::spec::MinioSpec>,
    /// MongoDB replica sets by name, run by the MongoDB Community Operator.
    /// Workloads name one in `uses` and `connections`.
    #[serde(default)]
    pub mongodb: IndexMap<String, crate::capabilities::mongodb::spec::MongodbSpec>,
    /// RabbitMQ brokers by name, run by the RabbitMQ Cluster Operator.
    /// Workloads name one in `uses` and `connections`.
    #[serde(default)]
    pub rabbitmq: IndexMap<String, crate::capabilities::rabbitmq::spec::RabbitmqSpec>,
    /// Redis servers by name, run by the OT-Container-Kit redis-operator.
    /// Workloads name one in `uses` and `connections`.
    #[serde(default)]
    pub redis: IndexMap<String, crate::capabilities::redis::spec::RedisSpec>,
    /// Where traces go: the OTLP collector of the workloads with
    /// `tracing: true`.
    #[serde(default)]
    pub tracing: Option<crate::capabilities::tracing::spec::TracingSpec>,
    /// Where KEDA runs, for workloads whose `autoscaling` scales on `events`.
    #[serde(default)]
    pub keda: Option<crate::capabilities::keda::spec::KedaSpec>,
    /// Backups of the platform's objects and volumes (Velero Schedules).
    #[serde(default)]
    pub backups: Option<crate::capabilities::velero::spec::BackupsSpec>,
    /// StorageClasses by name: changes to the generated ones, additional ones,
    /// and ones the cluster already has (`existing: true`).
    #[serde(default)]
    pub storage_classes: IndexMap<String, super::StorageClassSpec>,
    /// PriorityClasses by name, rendered as cluster-scoped objects. Workloads
    /// name one in `scheduling.priorityClass`.
    #[serde(default)]
    pub priority_classes: IndexMap<String, super::PriorityClassSpec>,
    /// The cluster's node pools by name (on-demand, spot, GPU). Workloads name
    /// one in `scheduling.nodePool`.
    #[serde(default)]
    pub node_pools: IndexMap<String, super::NodePool>,
    /// Policy settings of `platformgen check`: waivers and rule levels.
    #[serde(default)]
    pub policy: PolicySpec,
    /// Changes to single rendered objects, by name, for what the spec cannot
    /// say (docs/escape-hatches.md). Applied before the policy rules.
    #[serde(default)]
    pub patches: IndexMap<String, super::PatchSpec>,
}

impl PlatformSpec {
    /// The data services of every engine by name, each with whether it is
    /// enabled: what `uses` may name besides workloads.
    pub fn data_services(&self) -> impl Iterator<Item = (&str, bool)> {
        self.postgres
            .iter()
            .map(|(name, cluster)| (name.as_str(), cluster.enabled != Some(false)))
            .chain(
                self.minio
                    .iter()
                    .map(|(name, tenant)| (name.as_str(), tenant.enabled != Some(false))),
            )
            .chain(
                self.rabbitmq
                    .iter()
                    .map(|(name, broker)| (name.as_str(), broker.enabled != Some(false))),
            )
            .chain(
                self.redis
                    .iter()
                    .map(|(name, redis)| (name.as_str(), redis.enabled != Some(false))),
            )
            .chain(
                self.mongodb
                    .iter()
                    .map(|(name, set)| (name.as_str(), set.enabled != Some(false))),
            )
    }
}

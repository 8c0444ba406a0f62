//! Redis through the OT-Container-Kit redis-operator: `redis.<name>` renders a
//! standalone `Redis` (one server), or a `RedisReplication` (a primary and
//! replicas) watched by a `RedisSentinel` (three sentinels that promote a
//! replica when the primary fails); workloads connect with
//! `connections.<name>`, their password taken from a Secret the platform never
//! writes.

pub mod analyze;
pub mod lower;
pub mod model;
pub mod spec;

use super::capability::Capability;

pub const CAPABILITY: Capability = Capability {
    name: "redis",
    spec_keys: &["redis"],
    sections: spec::SECTIONS,
    namespace_paths: spec::NAMESPACE_PATHS,
    docs: "docs/data-services/redis.md",
    analyze: Some(analyze::analyze),
    analyze_workload: None,
    provides_env: None,
    lower: Some(lower::objects),
    lower_workload: None,
    rules: &[],
};

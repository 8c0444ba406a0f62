//! MongoDB through the MongoDB Community Operator: `mongodb.<name>` renders a
//! `MongoDBCommunity` (a replica set of one or more members, SCRAM users whose
//! passwords come from existing Secrets); workloads connect with
//! `connections.<name>`, as the replica set's application user, with the
//! connection string the operator writes into that user's Secret.

pub mod analyze;
pub mod lower;
pub mod model;
pub mod spec;

use super::capability::Capability;

pub const CAPABILITY: Capability = Capability {
    name: "mongodb",
    spec_keys: &["mongodb"],
    sections: spec::SECTIONS,
    namespace_paths: spec::NAMESPACE_PATHS,
    docs: "docs/data-services/mongodb.md",
    analyze: Some(analyze::analyze),
    analyze_workload: None,
    provides_env: None,
    lower: Some(lower::objects),
    lower_workload: None,
    rules: &[],
};

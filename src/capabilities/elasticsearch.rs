//! Elasticsearch as a single-node store that stateless replicas share (the
//! trace store of Jaeger's replicas, a log store): `elasticsearch.<name>`
//! renders a StatefulSet of one node with its data volume, HTTPS only with a
//! certificate of the platform's internal CA, and a file-realm user per
//! client, allowed exactly its indices; workloads connect with
//! `connections.<name>`, their password taken from their own `secrets`.

pub mod analyze;
pub mod lower;
pub mod model;
pub mod spec;

use super::capability::Capability;

pub const CAPABILITY: Capability = Capability {
    name: "elasticsearch",
    spec_keys: &["elasticsearch"],
    sections: spec::SECTIONS,
    namespace_paths: spec::NAMESPACE_PATHS,
    docs: "docs/data-services/elasticsearch.md",
    analyze: Some(analyze::analyze),
    analyze_workload: None,
    provides_env: None,
    lower: Some(lower::objects),
    lower_workload: None,
    rules: &[],
};

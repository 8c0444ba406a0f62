//! MinIO through the MinIO Operator: `minio.<name>` renders a `Tenant`, an
//! S3-compatible object store of one or more server pools with erasure
//! coding, its buckets and users; workloads connect with
//! `connections.<name>` and the PostgreSQL backups name it as their endpoint.

pub mod analyze;
pub mod lower;
pub mod model;
pub mod spec;

use super::capability::Capability;

pub const CAPABILITY: Capability = Capability {
    name: "minio",
    spec_keys: &["minio"],
    sections: spec::SECTIONS,
    namespace_paths: spec::NAMESPACE_PATHS,
    docs: "docs/data-services/minio.md",
    analyze: Some(analyze::analyze),
    analyze_workload: None,
    provides_env: None,
    lower: Some(lower::objects),
    lower_workload: None,
    rules: &[],
};

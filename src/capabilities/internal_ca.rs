//! The platform's internal certificate authority: cert-manager issuers and a
//! CA of the platform's own, rendered when a data service serves TLS with a
//! certificate of it, and handed to every namespace so that clients verify
//! those services. It owns no spec key: the data services that need it say
//! so in their model (`DataServiceModel::trust`).

pub mod lower;
pub mod model;

use super::capability::Capability;

pub const CAPABILITY: Capability = Capability {
    name: "internal_ca",
    spec_keys: &[],
    sections: &[],
    namespace_paths: &[],
    docs: "docs/data-services.md",
    analyze: None,
    analyze_workload: None,
    provides_env: None,
    lower: Some(lower::objects),
    lower_workload: None,
    rules: &[],
};

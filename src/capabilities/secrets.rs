//! Secrets backends: each secret of a workload comes from exactly one backend
//! (`external`: an ExternalSecret of the External Secrets Operator; `sealed`:
//! a SealedSecret with kubeseal ciphertext; `existing`: a Secret made
//! elsewhere; `plain`: a Secret with clear-text values, development tier
//! only) and reaches the container as environment variables by key and as
//! read-only files.
//!
//! Secrets live under `workloads.<name>.secrets`, so the capability owns no
//! top-level key. Its workload analysis hook ([`analyze::analyze_workload`])
//! runs within the core analysis of each workload: the secrets are checked
//! against the variables and mount paths the workload already has, and
//! resolved into the variables and files the core pod template renders
//! (`SecretEnvModel`, `SecretFilesModel`). The platform-wide checks run in
//! the analysis hook, the objects each secret renders in the workload
//! lowering hook, and the policy rule PG4008 (`policy.rs`) is registered in
//! `rules` below.

pub mod analyze;
pub mod lower;
pub mod model;
pub mod policy;
pub mod spec;

use super::capability::Capability;

pub const CAPABILITY: Capability = Capability {
    name: "secrets",
    spec_keys: &["workloads.*.secrets"],
    sections: spec::SECTIONS,
    namespace_paths: &[],
    docs: "docs/secrets.md",
    analyze: Some(analyze::analyze),
    analyze_workload: Some(analyze::analyze_workload),
    provides_env: Some(analyze::provides_env),
    lower: None,
    lower_workload: Some(lower::objects),
    rules: &[&policy::RULE],
};

//! GitOps with ArgoCD: `gitops.argocd` says where the committed render lives
//! and which cluster each environment is synced to; `platformgen argocd`
//! renders the AppProject and Application of an environment (and the
//! Applications of the add-ons its render needs), `platformgen addons` lists
//! those add-ons. The sync waves and protection annotations on the render's
//! own objects are the core's (`lower/sync_order.rs`).

pub mod analyze;
pub mod lower;
pub mod model;
pub mod preview_namespaces;
pub mod spec;

use super::capability::Capability;

pub const CAPABILITY: Capability = Capability {
    name: "gitops",
    spec_keys: &[
        "gitops",
        "gitops.argocd",
        "gitops.argocd.destination",
        "gitops.argocd.sync",
        "gitops.argocd.retry",
        "gitops.argocd.addons",
        "gitops.argocd.addons.charts",
        "gitops.argocd.previews",
        "gitops.argocd.previews.github",
    ],
    sections: spec::SECTIONS,
    namespace_paths: &[],
    docs: "docs/gitops.md",
    analyze_workload: None,
    analyze: Some(analyze::analyze),
    provides_env: None,
    lower: None,
    lower_workload: None,
    rules: &[],
};

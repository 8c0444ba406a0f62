//! RBAC: the Kubernetes API access a workload declares under `serviceAccount`
//! (`rules` in its namespace, `clusterRules` cluster-wide), rendered as a Role
//! and RoleBinding `<workload>` and a ClusterRole and ClusterRoleBinding
//! `<platform>-<workload>`, each bound only to the workload's ServiceAccount.
//! The ServiceAccount itself, and whether its token is mounted, stay with the
//! workload: every workload has one, API access or not.

pub mod analyze;
pub mod lower;
pub mod model;

use super::capability::Capability;

pub const CAPABILITY: Capability = Capability {
    name: "rbac",
    // Its keys are nested in each workload (`serviceAccount.rules`,
    // `serviceAccount.clusterRules`), not at the top of the spec.
    spec_keys: &[
        "workloads.*.serviceAccount.rules",
        "workloads.*.serviceAccount.clusterRules",
    ],
    sections: &[],
    namespace_paths: &[],
    docs: "docs/spec.md",
    analyze: Some(analyze::analyze),
    analyze_workload: None,
    provides_env: None,
    lower: None,
    lower_workload: Some(lower::objects),
    rules: &[],
};

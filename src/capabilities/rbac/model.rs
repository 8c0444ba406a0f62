//! `RbacModel`: the Kubernetes API access granted to a workload's
//! ServiceAccount, namespaced and cluster-wide.

#[derive(Debug, Clone, Default)]
pub struct RbacModel {
    /// Rules of the Role `<workload>` in the workload's namespace.
    pub rules: Vec<RbacRuleModel>,
    /// Rules of the ClusterRole `<platform>-<workload>`.
    pub cluster_rules: Vec<RbacRuleModel>,
}

#[derive(Debug, Clone)]
pub struct RbacRuleModel {
    pub api_groups: Vec<String>,
    pub resources: Vec<String>,
    pub resource_names: Vec<String>,
    pub verbs: Vec<String>,
}

/// A workload's Kubernetes API access (`WorkloadModel::parts`).
pub const ACCESS: crate::model::Part<RbacModel> = crate::model::Part::new("rbac");

/// The workload's Kubernetes API access.
pub fn access(workload: &crate::model::WorkloadModel) -> &RbacModel {
    static NONE: std::sync::LazyLock<RbacModel> = std::sync::LazyLock::new(RbacModel::default);
    ACCESS.get(&workload.parts).unwrap_or(&NONE)
}

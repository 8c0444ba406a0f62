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

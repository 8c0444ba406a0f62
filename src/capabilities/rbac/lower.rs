//! RBAC for a workload that declares Kubernetes API access: a Role and a
//! RoleBinding `<workload>` in its namespace for `serviceAccount.rules`, and a
//! ClusterRole and ClusterRoleBinding `<platform>-<workload>` for
//! `clusterRules` (cluster-scoped names are shared by every platform of the
//! cluster, hence the prefix). Both bind only the workload's ServiceAccount.

use k8s_openapi::api::rbac::v1::{
    ClusterRole, ClusterRoleBinding, PolicyRule, Role, RoleBinding, RoleRef, Subject,
};
use k8s_openapi::apimachinery::pkg::apis::meta::v1::ObjectMeta;

use super::model::RbacRuleModel;
use crate::lower::Objects;
use crate::lower::push;
use crate::model::labels;
use crate::model::{PlatformModel, WorkloadModel};

const RBAC_GROUP: &str = "rbac.authorization.k8s.io";

/// The RBAC objects of one workload, if it declares API access.
pub fn objects(platform: &PlatformModel, workload: &WorkloadModel, manifests: &mut Objects) {
    let origin = workload.origin;
    if !crate::capabilities::rbac::model::access(workload)
        .rules
        .is_empty()
    {
        push(manifests, &role(platform, workload), origin);
        push(manifests, &role_binding(platform, workload), origin);
    }
    if !crate::capabilities::rbac::model::access(workload)
        .cluster_rules
        .is_empty()
    {
        push(manifests, &cluster_role(platform, workload), origin);
        push(manifests, &cluster_role_binding(platform, workload), origin);
    }
}

fn cluster_role_name(platform: &PlatformModel, workload: &WorkloadModel) -> String {
    format!("{}-{}", platform.name, workload.name)
}

fn rules(rules: &[RbacRuleModel]) -> Vec<PolicyRule> {
    rules
        .iter()
        .map(|rule| PolicyRule {
            api_groups: Some(rule.api_groups.clone()),
            resources: Some(rule.resources.clone()),
            resource_names: (!rule.resource_names.is_empty()).then(|| rule.resource_names.clone()),
            verbs: rule.verbs.clone(),
            ..PolicyRule::default()
        })
        .collect()
}

fn metadata(
    platform: &PlatformModel,
    workload: &WorkloadModel,
    name: String,
    namespaced: bool,
) -> ObjectMeta {
    ObjectMeta {
        name: Some(name),
        namespace: namespaced.then(|| workload.namespace.clone()),
        labels: Some(labels::workload_labels(platform, workload)),
        ..ObjectMeta::default()
    }
}

fn subject(workload: &WorkloadModel) -> Vec<Subject> {
    vec![Subject {
        kind: "ServiceAccount".to_owned(),
        name: workload.name.clone(),
        namespace: Some(workload.namespace.clone()),
        ..Subject::default()
    }]
}

fn role(platform: &PlatformModel, workload: &WorkloadModel) -> Role {
    Role {
        metadata: metadata(platform, workload, workload.name.clone(), true),
        rules: Some(rules(&super::model::access(workload).rules)),
    }
}

fn role_binding(platform: &PlatformModel, workload: &WorkloadModel) -> RoleBinding {
    RoleBinding {
        metadata: metadata(platform, workload, workload.name.clone(), true),
        role_ref: RoleRef {
            api_group: RBAC_GROUP.to_owned(),
            kind: "Role".to_owned(),
            name: workload.name.clone(),
        },
        subjects: Some(subject(workload)),
    }
}

fn cluster_role(platform: &PlatformModel, workload: &WorkloadModel) -> ClusterRole {
    ClusterRole {
        metadata: metadata(
            platform,
            workload,
            cluster_role_name(platform, workload),
            false,
        ),
        rules: Some(rules(&super::model::access(workload).cluster_rules)),
        ..ClusterRole::default()
    }
}

fn cluster_role_binding(platform: &PlatformModel, workload: &WorkloadModel) -> ClusterRoleBinding {
    let name = cluster_role_name(platform, workload);
    ClusterRoleBinding {
        metadata: metadata(platform, workload, name.clone(), false),
        role_ref: RoleRef {
            api_group: RBAC_GROUP.to_owned(),
            kind: "ClusterRole".to_owned(),
            name,
        },
        subjects: Some(subject(workload)),
    }
}

//! The ServiceAccount `mongodb-database` the operator's pods run as
//! (`mongodbstatefulset.go`: `mongodbDatabaseServiceAccountName`), with the
//! Role its Helm chart grants it (`templates/database_roles.yaml`): the
//! readiness probe reads and annotates its pod, the version upgrade hook
//! deletes it, the agent reads Secrets. The chart creates these only in its
//! own namespace (or `database.namespace`); replica sets elsewhere need
//! their own, so the platform renders one set per namespace.

use k8s_openapi::api::core::v1::ServiceAccount;
use k8s_openapi::api::rbac::v1::{PolicyRule, Role, RoleBinding, RoleRef, Subject};
use k8s_openapi::apimachinery::pkg::apis::meta::v1::ObjectMeta;

use crate::model::{PlatformModel, labels};

/// The name the operator's pod template uses.
const NAME: &str = "mongodb-database";

/// The ServiceAccount, Role and RoleBinding of `namespace`.
pub(super) fn objects(
    platform: &PlatformModel,
    namespace: &str,
) -> (ServiceAccount, Role, RoleBinding) {
    let meta = || {
        let mut labels = labels::platform_labels(platform);
        labels.insert(labels::NAME.to_owned(), NAME.to_owned());
        labels.insert(labels::COMPONENT.to_owned(), "database".to_owned());
        ObjectMeta {
            name: Some(NAME.to_owned()),
            namespace: Some(namespace.to_owned()),
            labels: Some(labels),
            ..ObjectMeta::default()
        }
    };
    let rule = |resources: &str, verbs: &[&str]| PolicyRule {
        api_groups: Some(vec![String::new()]),
        resources: Some(vec![resources.to_owned()]),
        verbs: verbs.iter().map(|v| (*v).to_owned()).collect(),
        ..PolicyRule::default()
    };
    (
        ServiceAccount {
            metadata: meta(),
            ..ServiceAccount::default()
        },
        Role {
            metadata: meta(),
            rules: Some(vec![
                rule("secrets", &["get"]),
                rule("pods", &["patch", "delete", "get"]),
            ]),
        },
        RoleBinding {
            metadata: meta(),
            role_ref: RoleRef {
                api_group: "rbac.authorization.k8s.io".to_owned(),
                kind: "Role".to_owned(),
                name: NAME.to_owned(),
            },
            subjects: Some(vec![Subject {
                kind: "ServiceAccount".to_owned(),
                name: NAME.to_owned(),
                namespace: Some(namespace.to_owned()),
                ..Subject::default()
            }]),
        },
    )
}

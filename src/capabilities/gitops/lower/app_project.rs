//! `AppProject` (`argoproj.io/v1alpha1`): what an Application in it may do.
//! The environment's project allows exactly what its render holds: its
//! repository, its namespaces on its cluster, and its kinds, so its
//! Application can neither reach another environment's namespaces nor
//! create a kind the render does not hold.

use std::collections::BTreeSet;

use k8s_openapi::apimachinery::pkg::apis::meta::v1::ObjectMeta;
use serde::Serialize;
use serde_json::{Value, json};

use crate::object::Manifest;
use crate::object::kinds::{self, Scope};

use super::super::model::Destination;

#[derive(Debug, Serialize)]
pub(super) struct AppProject {
    pub(super) metadata: ObjectMeta,
    pub(super) spec: Value,
}

crate::custom_resource!(
    AppProject,
    "argoproj.io",
    "v1alpha1",
    "AppProject",
    Namespaced,
    "appprojects"
);

/// What a render holds, as an AppProject allows it: the namespaces its
/// objects live in (its Namespaces, and the namespaces of its other objects,
/// such as a Velero Schedule in Velero's), and its kinds by scope, each once
/// in the kind registry's order.
#[derive(Debug, Default, PartialEq, Eq)]
pub struct RenderScope {
    pub namespaces: BTreeSet<String>,
    pub cluster_kinds: Vec<(String, String)>,
    pub namespaced_kinds: Vec<(String, String)>,
}

/// The scope of `objects`.
pub fn render_scope(objects: &[Manifest]) -> RenderScope {
    let mut scope = RenderScope::default();
    let mut sorted: Vec<&Manifest> = objects.iter().collect();
    sorted.sort_by_key(|manifest| manifest.kind_rank());
    for manifest in sorted {
        let key = &manifest.key;
        let pair = (key.group.to_string(), key.kind.to_string());
        let cluster_scoped = match kinds::lookup(&key.group, &key.kind) {
            Some(kind) => kind.scope == Scope::Cluster,
            None => manifest.namespace().is_none(),
        };
        if key.kind == "Namespace" && key.group.is_empty() {
            scope.namespaces.insert(key.name.clone());
        }
        if let Some(namespace) = manifest.namespace() {
            scope.namespaces.insert(namespace.to_owned());
        }
        let list = if cluster_scoped {
            &mut scope.cluster_kinds
        } else {
            &mut scope.namespaced_kinds
        };
        if !list.contains(&pair) {
            list.push(pair);
        }
    }
    scope
}

/// The destination of `namespace` on the cluster, as ArgoCD writes it.
pub(super) fn destination(destination: &Destination, namespace: &str) -> Value {
    match destination {
        Destination::Server(server) => json!({ "server": server, "namespace": namespace }),
        Destination::Name(name) => json!({ "name": name, "namespace": namespace }),
    }
}

fn group_kinds(kinds: &[(String, String)]) -> Value {
    Value::Array(
        kinds
            .iter()
            .map(|(group, kind)| json!({ "group": group, "kind": kind }))
            .collect(),
    )
}

/// The environment's project.
pub(super) fn environment_project(
    metadata: ObjectMeta,
    description: String,
    repo_url: &str,
    cluster: &Destination,
    scope: &RenderScope,
) -> AppProject {
    AppProject {
        metadata,
        spec: json!({
            "description": description,
            "sourceRepos": [repo_url],
            "destinations": scope
                .namespaces
                .iter()
                .map(|namespace| destination(cluster, namespace))
                .collect::<Vec<_>>(),
            "clusterResourceWhitelist": group_kinds(&scope.cluster_kinds),
            "namespaceResourceWhitelist": group_kinds(&scope.namespaced_kinds),
        }),
    }
}

/// The project of a cluster's add-ons: their charts install CRDs, cluster
/// roles and webhooks, and objects in namespaces of their own, so it allows
/// any kind in any namespace of that cluster, from the charts' repositories
/// only.
pub(super) fn addons_project(
    metadata: ObjectMeta,
    repositories: &BTreeSet<String>,
    cluster: &Destination,
) -> AppProject {
    AppProject {
        metadata,
        spec: json!({
            "description": "Operators and controllers the platforms on this cluster need",
            "sourceRepos": repositories,
            "destinations": [destination(cluster, "*")],
            "clusterResourceWhitelist": [{ "group": "*", "kind": "*" }],
        }),
    }
}

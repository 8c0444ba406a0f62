//! What one environment's render occupies in its cluster: the identities of
//! its namespaced objects and Namespaces, and its other cluster-scoped
//! objects with their text. `check` compares the footprints of environments
//! declared to share a cluster; an environment that does not own the
//! cluster-scoped objects leaves them out of its render.

use std::collections::{BTreeMap, BTreeSet};

use crate::object::Manifest;
use crate::object::kinds::Scope;

#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Footprint {
    /// `Kind/namespace/name` of every namespaced object, and `Namespace/name`
    /// of every Namespace: what two environments on one cluster must not
    /// both render.
    pub namespaced: BTreeSet<String>,
    /// `Kind/name` of every other cluster-scoped object (StorageClasses,
    /// PriorityClasses, ClusterIssuers, …) and its YAML: what one owner
    /// renders for every environment on the cluster.
    pub cluster_scoped: BTreeMap<String, String>,
    /// Whether the environment renders the cluster-scoped objects itself
    /// (`cluster.ownsClusterObjects`).
    pub owns_cluster_objects: bool,
}

impl Footprint {
    pub fn new(owns_cluster_objects: bool) -> Self {
        Self {
            owns_cluster_objects,
            ..Self::default()
        }
    }

    /// Adds `manifest` to the footprint.
    pub fn record(&mut self, manifest: &Manifest) {
        let identity = manifest.key.display();
        if is_owned_by_the_cluster(manifest) {
            self.cluster_scoped
                .insert(identity, manifest.yaml().into_owned());
        } else {
            self.namespaced.insert(identity);
        }
    }
}

/// Whether `manifest` is a cluster-scoped object other than a Namespace:
/// one object for the whole cluster, whichever environment renders it.
pub fn is_owned_by_the_cluster(manifest: &Manifest) -> bool {
    let cluster_scoped = match manifest.kind_info() {
        Some(kind) => kind.scope == Scope::Cluster,
        None => manifest.namespace().is_none(),
    };
    cluster_scoped && !(manifest.key.group.is_empty() && manifest.key.kind == "Namespace")
}

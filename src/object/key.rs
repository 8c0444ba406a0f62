//! `ResourceKey`: which object a manifest is, across renders and environments:
//! API group, kind, namespace and name. The version is left out on purpose:
//! `autoscaling/v1` and `autoscaling/v2` of one HorizontalPodAutoscaler are the
//! same object in the cluster, so a version bump is a change to that object,
//! not one object removed and another added.
//!
//! The one identity of an object: the collision check of lowering, file paths
//! in `--out` trees, diff matching, kustomize and the `--out` index all use it.
//! Owns identity only; apply order stays with
//! [`Manifest::sort_key`](crate::object::Manifest::sort_key).

use std::borrow::Cow;

use crate::object::kinds;

/// Group and kind are borrowed from the kind's type for every object
/// lowering makes (`'static`), and owned only for objects read back: a large
/// render holds tens of thousands of keys.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct ResourceKey {
    /// `apps` for `apps/v1`; empty for the core group (`v1`).
    pub group: Cow<'static, str>,
    pub kind: Cow<'static, str>,
    pub namespace: Option<String>,
    pub name: String,
}

impl ResourceKey {
    /// `Kind/namespace/name`, for messages and diff headers.
    pub fn display(&self) -> String {
        match &self.namespace {
            Some(namespace) => format!("{}/{namespace}/{}", self.kind, self.name),
            None => format!("{}/{}", self.kind, self.name),
        }
    }

    /// The object's file in an `--out` tree: `<kind>-<name>.yaml` under a
    /// directory per namespace (`_cluster` for cluster-scoped objects). Kinds
    /// outside Kubernetes' built-in groups carry their group
    /// (`<kind>.<group>-<name>.yaml`), so two operators' kinds of one name
    /// (CloudNativePG's and Velero's `Backup`) never share a file.
    pub fn file_path(&self) -> String {
        self.file_path_of(kinds::lookup(&self.group, &self.kind))
    }

    /// [`ResourceKey::file_path`], given the kind's row in the registry
    /// (which an object has already looked up).
    pub(crate) fn file_path_of(&self, kind: Option<&kinds::Kind>) -> String {
        let directory = self.namespace.as_deref().unwrap_or("_cluster");
        let built_in = kind.is_some_and(|k| k.origin == kinds::Origin::BuiltIn);
        let kind = self.kind.to_ascii_lowercase();
        if built_in || self.group.is_empty() {
            format!("{directory}/{kind}-{}.yaml", self.name)
        } else {
            format!("{directory}/{kind}.{}-{}.yaml", self.group, self.name)
        }
    }
}

/// The group of an `apiVersion`: what comes before the `/`, or nothing for
/// the core group.
pub fn group(api_version: &str) -> &str {
    api_version.rsplit_once('/').map_or("", |(group, _)| group)
}

/// The version of an `apiVersion`: what comes after the `/`, or all of it
/// for the core group.
pub fn version(api_version: &str) -> &str {
    api_version
        .rsplit_once('/')
        .map_or(api_version, |(_, version)| version)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::object::Manifest;

    #[track_caller]
    fn case(api_version: &str, expected_group: &str, expected_version: &str) {
        assert_eq!(group(api_version), expected_group);
        assert_eq!(version(api_version), expected_version);
    }

    #[test]
    fn splits_api_versions_into_group_and_version() {
        case("v1", "", "v1");
        case("apps/v1", "apps", "v1");
        case("autoscaling/v2", "autoscaling", "v2");
        case("bitnami.com/v1alpha1", "bitnami.com", "v1alpha1");
    }

    #[test]
    fn versions_of_one_group_are_one_resource() {
        let manifest = |api_version: &str| {
            Manifest::from_value(
                serde_json::json!({
                    "apiVersion": api_version,
                    "kind": "HorizontalPodAutoscaler",
                    "metadata": {"name": "web", "namespace": "shop"},
                }),
                crate::source::Span::default(),
            )
            .expect("an identity")
        };
        assert_eq!(
            manifest("autoscaling/v1").key,
            manifest("autoscaling/v2").key
        );
        assert_ne!(
            manifest("autoscaling/v2").key,
            manifest("example.com/v2").key
        );
    }
}

//! The `--out` tree of one environment: one file per object under a directory
//! per namespace, and a `kustomization.yaml` listing them in apply order so
//! `kubectl apply -k` and `kustomize build` take the tree as it is.

use serde_json::json;

use super::{OutputPathError, OutputTree};
use crate::object::Manifest;
use crate::yaml::write as yaml;

pub const KUSTOMIZATION: &str = "kustomization.yaml";

pub fn tree(manifests: &[Manifest]) -> Result<OutputTree<'_>, OutputPathError> {
    let mut tree = OutputTree::new();
    let mut resources = Vec::with_capacity(manifests.len());
    for manifest in manifests {
        let path = manifest.file_path();
        tree.insert(path.clone(), manifest.yaml())?;
        resources.push(path);
    }
    let kustomization = json!({
        "apiVersion": "kustomize.config.k8s.io/v1beta1",
        "kind": "Kustomization",
        "resources": resources,
    });
    tree.insert(KUSTOMIZATION.to_owned(), yaml::to_yaml(&kustomization))?;
    Ok(tree)
}

//! `StorageClassModel`: a StorageClass to render, with the cloud's preset and
//! the spec's changes already combined.

use std::collections::BTreeMap;

use super::spec::{ReclaimPolicy, VolumeBindingMode};
use crate::source::Span;

#[derive(Debug, Clone)]
pub struct StorageClassModel {
    pub name: String,
    pub provisioner: String,
    pub parameters: BTreeMap<String, String>,
    pub reclaim_policy: ReclaimPolicy,
    pub volume_binding_mode: VolumeBindingMode,
    pub allow_volume_expansion: bool,
    /// Annotated as the cluster's default class.
    pub default: bool,
    /// Where the class comes from in the spec (`cloud` or its `storageClasses` key).
    pub origin: Span,
}

/// StorageClasses to render (`PlatformModel::parts`), not the ones the
/// cluster already has.
pub const STORAGE_CLASSES: crate::model::Part<Vec<StorageClassModel>> =
    crate::model::Part::new("storageClasses");

/// The StorageClasses to render.
pub fn storage_classes(platform: &crate::model::PlatformModel) -> &[StorageClassModel] {
    STORAGE_CLASSES
        .get(&platform.parts)
        .map_or(&[], Vec::as_slice)
}

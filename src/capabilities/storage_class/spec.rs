//! `StorageClassSpec`: a StorageClass the platform declares: an addition to or
//! a change of the classes generated for `cloud`, or a class the cluster
//! already provides (`existing: true`).

use std::collections::BTreeMap;

use schemars::JsonSchema;
use serde::Deserialize;

#[derive(Debug, Clone, Default, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
pub struct StorageClassSpec {
    /// The cluster provides this class (e.g. `do-block-storage`, `gp2`): render
    /// nothing, but let workloads use its name. No other field may be set.
    #[serde(default)]
    pub existing: Option<bool>,
    /// CSI driver that provisions the volumes, e.g. `ebs.csi.aws.com`. Required
    /// for a class `cloud` does not generate; setting it on a generated class
    /// (`fast-ssd`, `standard`) replaces that class instead of adjusting it.
    #[serde(default)]
    pub provisioner: Option<String>,
    /// Driver parameters. On a generated class, added to (or replacing single
    /// entries of) the cloud's parameters.
    #[serde(default)]
    pub parameters: BTreeMap<String, String>,
    /// What happens to a volume when its claim is deleted. Default `Delete`.
    #[serde(default)]
    pub reclaim_policy: Option<ReclaimPolicy>,
    /// When volumes are created. Default `WaitForFirstConsumer`: in the zone of
    /// the node the pod is scheduled to.
    #[serde(default)]
    pub volume_binding_mode: Option<VolumeBindingMode>,
    /// Whether claims may grow. Default `true` (`false` for k3s local paths,
    /// which cannot grow).
    #[serde(default)]
    pub allow_volume_expansion: Option<bool>,
    /// Make this the cluster's default class (for claims that name none).
    /// At most one class may set it. Default `false`.
    #[serde(default)]
    pub default: Option<bool>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, JsonSchema)]
pub enum ReclaimPolicy {
    /// Delete the volume with its claim.
    Delete,
    /// Keep the volume (and its data) after the claim is deleted.
    Retain,
}

impl ReclaimPolicy {
    pub fn as_str(self) -> &'static str {
        match self {
            ReclaimPolicy::Delete => "Delete",
            ReclaimPolicy::Retain => "Retain",
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, JsonSchema)]
pub enum VolumeBindingMode {
    /// Create the volume when a pod using it is scheduled, in that pod's zone.
    WaitForFirstConsumer,
    /// Create the volume as soon as the claim exists.
    Immediate,
}

impl VolumeBindingMode {
    pub fn as_str(self) -> &'static str {
        match self {
            VolumeBindingMode::WaitForFirstConsumer => "WaitForFirstConsumer",
            VolumeBindingMode::Immediate => "Immediate",
        }
    }
}

use crate::spec::{Scope, Section, SectionType};

/// `storageClasses`: StorageClasses by name.
pub const STORAGE_CLASSES: Section<indexmap::IndexMap<String, StorageClassSpec>> =
    Section::new(Scope::Platform, "storageClasses");

pub const SECTIONS: &[SectionType] = &[SectionType::of(
    STORAGE_CLASSES,
    "StorageClasses by name: changes to the generated ones, additional ones, and ones the cluster already has (`existing: true`).",
)];

/// The platform's `storageClasses` section, by name.
pub fn storage_classes(
    spec: &crate::spec::PlatformSpec,
) -> &indexmap::IndexMap<String, StorageClassSpec> {
    static NONE: std::sync::LazyLock<indexmap::IndexMap<String, StorageClassSpec>> =
        std::sync::LazyLock::new(indexmap::IndexMap::new);
    STORAGE_CLASSES.get(&spec.sections).unwrap_or(&NONE)
}

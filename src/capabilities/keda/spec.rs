//! What users write for KEDA: the operator's namespace (`keda`). The event
//! sources of a workload's autoscaling are core spec (`spec::EventTriggers`),
//! held by `autoscaling`. Serde + schemars only.

use schemars::JsonSchema;
use serde::Deserialize;

/// Where KEDA runs, so the network policies admit its operator to the
/// brokers it reads queue depths from.
#[derive(Debug, Clone, Default, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
pub struct KedaSpec {
    /// The namespace KEDA's operator runs in. Default `keda`. Not one of the
    /// platform's namespaces.
    #[serde(default)]
    pub namespace: Option<String>,
}

use crate::spec::{Scope, Section, SectionType};

/// `keda`: where KEDA runs.
pub const KEDA: Section<KedaSpec> = Section::new(Scope::Platform, "keda");

pub const SECTIONS: &[SectionType] = &[SectionType::of(
    KEDA,
    "Where KEDA runs, for workloads whose `autoscaling` scales on `events`.",
)];

/// The platform's `keda` section, if the spec sets it.
pub fn keda(spec: &crate::spec::PlatformSpec) -> Option<&KedaSpec> {
    KEDA.get(&spec.sections)
}

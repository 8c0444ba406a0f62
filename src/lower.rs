//! Lowering: the resolved model to Kubernetes objects (k8s-openapi types), one
//! file per kind. Pure: no I/O, no diagnostics except name collisions between
//! generated objects, no templates. May assume a consistent model.

mod autoscaler;
mod config_map;
mod deployment;
mod disruption_budget;
mod load_balancer;
mod namespace;
mod network_policy;
mod objects;
pub(crate) mod operator_resource;
mod pod_template;
mod priority_class;
pub mod scanner_skips;
mod service;
mod service_account;
mod stateful_set;
mod tolerations;

use std::collections::BTreeMap;

use k8s_openapi::apimachinery::pkg::apis::meta::v1::ObjectMeta;
use k8s_openapi::{Metadata, Resource};
use serde::Serialize;

use crate::diagnostic::{Code, Diagnostic, Diagnostics};
use crate::model::{PlatformModel, WorkloadModel};
use crate::object::{Manifest, ResourceKey};
use crate::source::Span;
use crate::spec::{ServiceType, WorkloadKind};

pub use config_map::checksum as config_checksum;
pub use objects::Objects;

/// Adds a typed object; its identity comes from its type and metadata.
pub(crate) fn push<T>(objects: &mut Objects, object: &T, origin: Span)
where
    T: Resource + Metadata<Ty = ObjectMeta> + Serialize,
{
    objects.push(object, origin);
}

/// A capability's platform-wide objects.
pub type PlatformHook = fn(&PlatformModel, &mut Objects);

/// A capability's objects of one workload.
pub type WorkloadHook = fn(&PlatformModel, &WorkloadModel, &mut Objects);

/// The capabilities' lowering hooks, in the order they run.
#[derive(Debug, Default)]
pub struct Hooks {
    pub platform: Vec<PlatformHook>,
    pub workload: Vec<WorkloadHook>,
}

/// Every object of the platform, in apply order.
pub fn lower(platform: &PlatformModel, hooks: &Hooks) -> (Vec<Manifest>, Diagnostics) {
    lower_with(platform, hooks, false)
}

/// [`lower`], keeping only each object's YAML text (see [`Manifest::freeze`]):
/// what rendering needs, in a fraction of the memory.
pub fn lower_to_text(platform: &PlatformModel, hooks: &Hooks) -> (Vec<Manifest>, Diagnostics) {
    lower_with(platform, hooks, true)
}

/// The objects of every workload, in workload order. Sequential on purpose:
/// lowering on several threads measured slower (each thread's allocator arena
/// adds page faults that cost more than the parallel work saves).
fn lower_workloads(platform: &PlatformModel, hooks: &Hooks, objects: &mut Objects) {
    for workload in &platform.workloads {
        lower_workload(platform, workload, objects);
        for hook in &hooks.workload {
            hook(platform, workload, objects);
        }
    }
}

/// The objects of one workload.
fn lower_workload(platform: &PlatformModel, workload: &WorkloadModel, manifests: &mut Objects) {
    let origin = workload.origin;
    push(
        manifests,
        &service_account::service_account(platform, workload),
        origin,
    );
    if let Some(config) = &workload.config {
        push(
            manifests,
            &config_map::config_map(platform, workload, config),
            origin,
        );
    }
    if workload.service_type != ServiceType::None && !workload.ports.is_empty() {
        push(manifests, &service::service(platform, workload), origin);
    }
    match workload.kind {
        WorkloadKind::Deployment => push(
            manifests,
            &deployment::deployment(platform, workload),
            origin,
        ),
        WorkloadKind::StatefulSet => {
            push(
                manifests,
                &service::headless_service(platform, workload),
                origin,
            );
            push(
                manifests,
                &stateful_set::stateful_set(platform, workload),
                origin,
            );
        }
    }
    if let Some(autoscaling) = &workload.autoscaling {
        push(
            manifests,
            &autoscaler::autoscaler(platform, workload, autoscaling),
            origin,
        );
    }
    if let Some(budget) = workload.disruption_budget {
        push(
            manifests,
            &disruption_budget::disruption_budget(platform, workload, budget),
            origin,
        );
    }
}

fn lower_with(
    platform: &PlatformModel,
    hooks: &Hooks,
    text_only: bool,
) -> (Vec<Manifest>, Diagnostics) {
    let mut objects = if text_only {
        Objects::frozen()
    } else {
        Objects::new()
    };
    for model in &platform.namespaces {
        push(
            &mut objects,
            &namespace::namespace(platform, model),
            model.origin,
        );
    }
    // The capabilities' objects come before the core's, so a core object
    // clashing with one of them is the one a duplicate error points at.
    for hook in &hooks.platform {
        hook(platform, &mut objects);
    }
    network_policy::objects(platform, &mut objects);
    priority_class::objects(platform, &mut objects);
    lower_workloads(platform, hooks, &mut objects);
    let mut manifests = objects.into_vec();
    let diagnostics = check_unique(&manifests);
    manifests.sort_by(|a, b| a.sort_key().cmp(&b.sort_key()));
    (manifests, diagnostics)
}

/// Two spec items that generate the same object (same group, kind, namespace
/// and name: the identity every later stage uses) would silently overwrite
/// each other on apply: report both places.
fn check_unique(manifests: &[Manifest]) -> Diagnostics {
    let mut diagnostics = Diagnostics::default();
    let mut seen: BTreeMap<&ResourceKey, Span> = BTreeMap::new();
    for manifest in manifests {
        let key = &manifest.key;
        if let Some(first) = seen.get(&key) {
            diagnostics.push(
                Diagnostic::error(
                    Code::DuplicateName,
                    format!(
                        "two items generate the same object `{}`",
                        manifest.identity()
                    ),
                )
                .at(manifest.origin, "generates it here")
                .with_secondary(*first, "and here"),
            );
        } else {
            seen.insert(key, manifest.origin);
        }
    }
    diagnostics
}

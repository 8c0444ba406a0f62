//! Lowering: the resolved model to Kubernetes objects (k8s-openapi types), one
//! file per kind. Pure: no I/O, no diagnostics except name collisions between
//! generated objects, no templates. May assume a consistent model.

mod autoscaler;
mod config_map;
mod cron_job;
pub(crate) mod deployment;
mod disruption_budget;
mod gpu;
mod job;
mod load_balancer;
mod namespace;
mod network_policy;
mod objects;
pub(crate) mod operator_resource;
mod part;
mod patches;
mod pod_template;
mod priority_class;
pub mod scanner_skips;
mod secret_refs;
pub(crate) mod service;
mod service_account;
mod stateful_set;
pub(crate) mod sync_order;
mod tolerations;
mod workload_annotations;

use std::collections::BTreeMap;
use std::collections::btree_map::Entry;

use crate::diagnostic::{Code, Diagnostic, Diagnostics};
use crate::graph::FlowGraph;
use crate::model::{PlatformModel, WorkloadModel};
use crate::object::{Manifest, ResourceKey, sort_in_apply_order_finding_ties};
use crate::parallel;
use crate::source::Span;
use crate::spec::{ServiceType, WorkloadKind};

pub use config_map::checksum as config_checksum;
pub use config_map::data_checksum as config_data_checksum;
/// Hexadecimal digits of the spec hash in a Job's name, `<workload>-<hash>`.
pub(crate) use job::HASH_LENGTH as JOB_HASH_LENGTH;
pub(crate) use job::hashed_name as hashed_job_name;
pub use objects::Objects;
pub(crate) use objects::push;
pub use part::{in_apply_order, part_in_apply_order};
pub use patches::PATCHED_BY;
/// The name of a StatefulSet's volume claim template: claims are
/// `<this>-<statefulset>-<ordinal>`.
pub(crate) use pod_template::DATA_VOLUME;
pub use sync_order::SYNC_WAVE;

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
    lower_with(platform, hooks, false).gather()
}

/// [`lower`], keeping only each object's YAML text (see [`Manifest::freeze`]):
/// what rendering needs, in a fraction of the memory. The model is taken, and
/// freed once every object is made: gathering the objects into one vector in
/// apply order is the render's peak of memory, and the model is the largest
/// thing held beside them.
pub fn lower_to_text(platform: PlatformModel, hooks: &Hooks) -> (Vec<Manifest>, Diagnostics) {
    let lowered = lower_with(&platform, hooks, true);
    drop(platform);
    lowered.gather()
}

/// The core's objects of one workload.
fn lower_workload_core(
    platform: &PlatformModel,
    workload: &WorkloadModel,
    manifests: &mut Objects,
) {
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
    // A Job's port only serves its metrics, scraped from the pod: nothing
    // connects to it through a Service.
    if workload.service_type != ServiceType::None
        && !workload.ports.is_empty()
        && !workload.kind.runs_to_completion()
    {
        push(manifests, &service::service(platform, workload), origin);
    }
    match workload.kind {
        // Another object runs the pods (an Argo Rollout for a workload with
        // `delivery`), rendered by its capability.
        WorkloadKind::Deployment if workload.pod_owner.is_some() => {}
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
        WorkloadKind::Job | WorkloadKind::CronJob => {
            if let Some(batch) = &workload.batch {
                match &batch.cron {
                    None => push(manifests, &job::job(platform, workload, &batch.job), origin),
                    Some(cron) => push(
                        manifests,
                        &cron_job::cron_job(platform, workload, batch, cron),
                        origin,
                    ),
                }
            }
        }
    }
    // A workload scaling on events gets a KEDA ScaledObject instead (the
    // keda capability), which makes its own HorizontalPodAutoscaler.
    if let Some(autoscaling) = workload.autoscaling.as_ref().filter(|a| !a.on_events) {
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

/// Whether objects holding data are protected from a GitOps controller's
/// pruning: everywhere but development, where a dropped namespace is
/// expected to go with its volumes.
fn keeps_data(platform: &PlatformModel) -> bool {
    platform.tier != crate::spec::Tier::Development
}

/// How many workloads a render needs before its workloads are lowered on
/// two threads: below it, starting a thread costs more than it saves.
const PARALLEL_FROM: usize = 64;

/// How many workloads a lowering thread takes at a time: enough that
/// taking them costs nothing next to lowering them, few enough that the
/// last run leaves the other thread little to wait for.
const WORKLOADS_AT_ONCE: usize = 32;

fn lower_with(platform: &PlatformModel, hooks: &Hooks, text_only: bool) -> Lowered {
    let mut objects = if text_only {
        Objects::frozen()
    } else {
        Objects::new()
    }
    .with_patches(&platform.patches)
    .keeping_data(keeps_data(platform));
    let graph = lower_platform(platform, hooks, &mut objects);
    let workloads = platform.workloads.as_slice();
    if text_only && platform.patches.is_empty() && workloads.len() >= PARALLEL_FROM {
        // Runs of workloads taken in turn by two threads, joined in order:
        // lowering a workload reads nothing pushed before it, so the
        // objects, and their order, are those of one thread lowering them
        // all. Taken in turn, not in halves: workloads differ in weight (a
        // data service or an alert rule set weighs many Deployments), and
        // a thread left with the heavier half kept the other waiting.
        // Patches keep one thread, since whether each patch found an object
        // is their state.
        let keep_data = keeps_data(platform);
        let runs: Vec<&[WorkloadModel]> = workloads.chunks(WORKLOADS_AT_ONCE).collect();
        let runs = parallel::map_in_order(&runs, 1, |run| {
            let mut part = Objects::frozen().keeping_data(keep_data);
            lower_workloads(platform, run, hooks, graph.as_ref(), &mut part);
            part.compact();
            part
        })
        .collect();
        return Lowered { objects, runs };
    }
    lower_workloads(platform, workloads, hooks, graph.as_ref(), &mut objects);
    Lowered {
        objects,
        runs: Vec::new(),
    }
}

/// Every object made, not yet in apply order: the platform-wide ones and, when
/// the workloads were lowered on two threads, theirs in runs, in order.
struct Lowered {
    objects: Objects,
    runs: Vec<Objects>,
}

impl Lowered {
    /// The objects in one vector, in apply order, and their duplicates and
    /// patch problems.
    fn gather(self) -> (Vec<Manifest>, Diagnostics) {
        let Self { mut objects, runs } = self;
        objects.reserve(runs.iter().map(|run| run.len()).sum());
        for run in runs {
            objects.append(run);
        }
        let patch_problems = objects.finish_patches();
        let mut manifests = objects.into_vec();
        // Stable: the objects of one identity stay in the order they were
        // pushed, next to each other.
        let ties = sort_in_apply_order_finding_ties(&mut manifests);
        let mut diagnostics = check_unique_sorted(&manifests, &ties);
        diagnostics.extend(patch_problems);
        (manifests, diagnostics)
    }
}

/// Lowers the platform one workload at a time for a stage that inspects
/// objects but need not keep them (the checks and policy rules of `check`):
/// `hand_over` gets the platform-wide objects first (possibly none), then
/// each workload's objects as soon as that workload is lowered, in the
/// order they were pushed. Memory stays that of the largest workload's
/// objects, not the whole platform's, plus whatever the stage keeps.
///
/// A stage that judges a workload's objects together with the platform-wide
/// ones (the policy rules) does so over [`part_in_apply_order`] of the two;
/// a platform without workloads is that one part of the platform-wide
/// objects alone. Handing the platform-wide objects over first lets such a
/// stage run on another thread, in the order lowering made the objects,
/// while the next workload is lowered.
pub fn lower_visiting(
    platform: &PlatformModel,
    hooks: &Hooks,
    hand_over: &mut dyn FnMut(Vec<Manifest>),
) -> Diagnostics {
    let mut objects = Objects::new()
        .with_patches(&platform.patches)
        .keeping_data(keeps_data(platform));
    let graph = lower_platform(platform, hooks, &mut objects);
    let mut identities: Vec<(ResourceKey, Span)> =
        objects.iter().map(|m| (m.key.clone(), m.origin)).collect();
    // Lowering a workload reads none of the objects pushed before it (the
    // sink only applies patches as objects come), so each part leaves whole.
    hand_over(objects.split_off(0));
    for workload in &platform.workloads {
        lower_workload(platform, workload, hooks, graph.as_ref(), &mut objects);
        identities.extend(objects.iter().map(|m| (m.key.clone(), m.origin)));
        hand_over(objects.split_off(0));
    }
    let mut diagnostics = check_unique(identities.iter().map(|(key, origin)| (key, *origin)));
    diagnostics.extend(objects.finish_patches());
    diagnostics
}

/// The traffic graph the NetworkPolicies open, when `network.policies` is on.
fn flow_graph(platform: &PlatformModel) -> Option<FlowGraph> {
    platform
        .network
        .policies
        .then(|| FlowGraph::build(platform))
}

/// The objects that belong to no one workload, in the order their duplicate
/// errors should prefer, and the traffic graph. A large platform's graph is
/// built on a second thread while this one lowers the objects that do not
/// need it (a namespace's alert rules cover every workload in it).
fn lower_platform(
    platform: &PlatformModel,
    hooks: &Hooks,
    objects: &mut Objects,
) -> Option<FlowGraph> {
    let without_graph = |objects: &mut Objects| {
        for model in &platform.namespaces {
            push(
                objects,
                &namespace::namespace(platform, model),
                model.origin,
            );
        }
        // The capabilities' objects come before the core's, so a core object
        // clashing with one of them is the one a duplicate error points at.
        for hook in &hooks.platform {
            hook(platform, objects);
        }
    };
    let (graph, ()) = parallel::join(
        platform.workloads.len() >= PARALLEL_FROM,
        || flow_graph(platform),
        || without_graph(objects),
    );
    network_policy::platform_objects(platform, graph.as_ref(), objects);
    priority_class::objects(platform, objects);
    // The user's templates' objects belong to no workload either; one that
    // duplicates a generated object is an error naming both.
    for object in &platform.templated {
        objects.push_manifest(object.clone());
    }
    graph
}

/// The objects of `workloads`, one after the other.
fn lower_workloads(
    platform: &PlatformModel,
    workloads: &[WorkloadModel],
    hooks: &Hooks,
    graph: Option<&FlowGraph>,
    objects: &mut Objects,
) {
    for workload in workloads {
        lower_workload(platform, workload, hooks, graph, objects);
    }
}

/// Every object of one workload: the core's, its NetworkPolicy, then the
/// capabilities'.
fn lower_workload(
    platform: &PlatformModel,
    workload: &WorkloadModel,
    hooks: &Hooks,
    graph: Option<&FlowGraph>,
    objects: &mut Objects,
) {
    lower_workload_core(platform, workload, objects);
    network_policy::workload_object(platform, workload, graph, objects);
    for hook in &hooks.workload {
        hook(platform, workload, objects);
    }
}

/// [`check_unique`] of objects in a stable sort by [`Manifest::sort_key`],
/// given where equal sort keys meet (`ties`, from
/// [`sort_in_apply_order_finding_ties`]): the objects of one identity are
/// next to each other, in the order they were pushed, so only those runs
/// are searched. A large render's identities are not searched for among
/// 95,000 others, nor read again.
fn check_unique_sorted(manifests: &[Manifest], ties: &[usize]) -> Diagnostics {
    let mut diagnostics = Diagnostics::default();
    // Consecutive ties are one run: `at` and `at + 1` are both in it.
    for run in ties.chunk_by(|a, b| a + 1 == *b) {
        let (Some(&first), Some(&last)) = (run.first(), run.last()) else {
            continue;
        };
        diagnostics.extend(check_unique(
            manifests[first..=last + 1]
                .iter()
                .map(|m| (&m.key, m.origin)),
        ));
    }
    diagnostics
}

/// Two spec items that generate the same object (same group, kind, namespace
/// and name: the identity every later stage uses) would silently overwrite
/// each other on apply: report both places.
fn check_unique<'a>(identities: impl Iterator<Item = (&'a ResourceKey, Span)>) -> Diagnostics {
    let mut diagnostics = Diagnostics::default();
    // Only looked up, never iterated. Keyed name first, and searched once
    // per key: in a large render most keys share their group, kind and
    // namespace, so names tell them apart at the first comparison.
    let mut seen: BTreeMap<(&str, Option<&str>, &str, &str), Span> = BTreeMap::new();
    for (key, origin) in identities {
        let name_first = (
            key.name.as_str(),
            key.namespace.as_deref(),
            key.kind.as_ref(),
            key.group.as_ref(),
        );
        match seen.entry(name_first) {
            Entry::Occupied(first) => diagnostics.push(
                Diagnostic::error(
                    Code::DuplicateName,
                    format!("two items generate the same object `{}`", key.display()),
                )
                .at(origin, "generates it here")
                .with_secondary(*first.get(), "and here"),
            ),
            Entry::Vacant(slot) => {
                slot.insert(origin);
            }
        }
    }
    diagnostics
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::source::FileId;
    use crate::testing::Random;

    /// Objects of a few kinds, namespaces and names, some generated twice or
    /// three times, in a shuffled order: sorted with their ties, the
    /// duplicates reported are those a search of every identity reports,
    /// each at the later place with the first as its secondary.
    #[test]
    fn duplicates_found_at_the_sorts_ties_are_those_of_every_identity() {
        let kinds = [
            ("v1", "ConfigMap"),
            ("apps/v1", "Deployment"),
            ("example.com/v1", "Widget"),
        ];
        let mut random = Random::new(7);
        for round in 0..40 {
            let count = random.below(300) + 1;
            let objects: Vec<Manifest> = (0..count)
                .map(|at| {
                    let (api_version, kind) = kinds[random.below(kinds.len())];
                    let namespace = ["a", "b"][random.below(2)];
                    let value = serde_json::json!({
                        "apiVersion": api_version,
                        "kind": kind,
                        "metadata": {
                            "name": format!("n-{}", random.below(120)),
                            "namespace": namespace,
                        },
                    });
                    Manifest::from_value(value, Span::new(FileId::default(), at, at + 1))
                        .expect("identified")
                })
                .collect();
            let described = |diagnostics: Diagnostics| {
                let mut found: Vec<(String, Option<Span>, Vec<Span>)> = diagnostics
                    .iter()
                    .map(|d| {
                        (
                            d.message.clone(),
                            d.primary.as_ref().map(|label| label.span),
                            d.secondary.iter().map(|label| label.span).collect(),
                        )
                    })
                    .collect();
                found.sort_by_key(|(message, primary, _)| {
                    (message.clone(), primary.map(|s| s.start))
                });
                found
            };
            let every = described(check_unique(objects.iter().map(|m| (&m.key, m.origin))));
            let mut sorted = objects;
            let ties = sort_in_apply_order_finding_ties(&mut sorted);
            let at_ties = described(check_unique_sorted(&sorted, &ties));
            assert_eq!(at_ties, every, "round {round}");
            assert!(
                count < 100 || !every.is_empty(),
                "round {round}: duplicates made"
            );
        }
    }
}

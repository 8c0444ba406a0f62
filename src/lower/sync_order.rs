//! The order a GitOps controller applies the render in: ArgoCD's sync waves
//! and hooks (argo-cd docs, user-guide/sync-waves and resource_hooks).
//!
//! Every object is in the wave of its kind's apply phase (the kind registry's
//! [`Phase`]): foundation, guardrails and identity in wave 0, configuration
//! and secret sources in 1, data services in 2, volumes, Services, workloads
//! and their scaling in 3, exposure in 5. ArgoCD orders by wave first and by
//! its own kind order inside a wave, where custom resources come last:
//! without waves, an ExternalSecret would be applied after the Deployments
//! that read its Secret. Volume claims share the workloads' wave because a
//! claim of a `WaitForFirstConsumer` class stays pending (not healthy) until
//! a pod uses it, and ArgoCD waits for a wave to be healthy.
//!
//! A Job with `runBefore` is a `Sync` hook in the workload wave (3), and the
//! Deployments and StatefulSets it runs before (with their autoscalers and
//! disruption budgets, which refer to them) are in wave 4. ArgoCD applies a
//! wave only once every resource of the earlier waves is synced and healthy,
//! and a hook Job is healthy once it has succeeded. So the Job starts after
//! its ServiceAccount, NetworkPolicy, Secrets and data services are in
//! place, and the workloads roll only after it succeeded.
//! A `PreSync` hook would run before any of those exist: on a first install,
//! or when the Job is new, it could neither be created nor reach its
//! database. Hooks run on every sync, so a migration must be idempotent (as
//! `alembic upgrade head`, `flyway migrate` or `rails db:migrate` are).
//!
//! Other GitOps controllers and `kubectl apply` ignore these annotations and
//! apply everything at once.

use std::collections::BTreeMap;

use k8s_openapi::apimachinery::pkg::apis::meta::v1::ObjectMeta;
use serde_json::Value;

use crate::model::WorkloadModel;
use crate::object::Manifest;
use crate::object::kinds::{Kind, Phase};

const HOOK: &str = "argocd.argoproj.io/hook";
const HOOK_DELETE_POLICY: &str = "argocd.argoproj.io/hook-delete-policy";
pub const SYNC_WAVE: &str = "argocd.argoproj.io/sync-wave";
const SYNC_OPTIONS: &str = "argocd.argoproj.io/sync-options";
/// What an object holding data is told: never pruned when it leaves the
/// render, never deleted with the Application.
const KEEP: &str = "Prune=false,Delete=false";
/// The wave of the workloads (and of Jobs that run before other workloads).
const WORKLOAD_WAVE: i32 = 3;
/// The wave of the workloads that wait for Jobs.
const WAITING_WAVE: i32 = WORKLOAD_WAVE + 1;

/// The wave of the objects of a kind in `phase`. A small fixed set: each
/// wave is a point where ArgoCD waits for everything before it to be
/// healthy, so a wave is only worth having where something must wait.
pub(super) fn phase_wave(phase: Phase) -> i32 {
    match phase {
        Phase::Foundation | Phase::Guardrails | Phase::Identity => 0,
        Phase::Configuration => 1,
        Phase::Data => 2,
        Phase::Attachment | Phase::Workload | Phase::Scaling => WORKLOAD_WAVE,
        Phase::Exposure => 5,
    }
}

/// Gives `manifest` the wave of its kind's phase, unless lowering already
/// gave it one (Jobs that run first, workloads that wait for them), and,
/// when `keep_data`, the options that keep an object holding data from being
/// pruned or deleted. Kinds the registry does not know are left alone.
pub(super) fn annotate(manifest: &mut Manifest, keep_data: bool) {
    let Some(kind) = manifest.kind_info() else {
        return;
    };
    let Some(metadata) = manifest
        .value
        .get_mut("metadata")
        .and_then(Value::as_object_mut)
    else {
        return;
    };
    let annotations = metadata
        .entry("annotations")
        .or_insert_with(|| Value::Object(serde_json::Map::new()));
    let Some(annotations) = annotations.as_object_mut() else {
        return;
    };
    for (key, value) in kind_annotations(kind, keep_data) {
        annotations.entry(key).or_insert_with(|| Value::from(value));
    }
}

/// What [`annotate`] gives an object of `kind` whose metadata is `metadata`:
/// the metadata with the annotations it lacks added, or `None` when it lacks
/// none (or the registry does not know the kind). For typed objects, which
/// are written straight to text with no tree to annotate.
pub(super) fn annotated_metadata(
    kind: Option<&Kind>,
    metadata: &ObjectMeta,
    keep_data: bool,
) -> Option<ObjectMeta> {
    let missing: Vec<(&'static str, String)> = kind_annotations(kind?, keep_data)
        .into_iter()
        .filter(|(key, _)| {
            !metadata
                .annotations
                .as_ref()
                .is_some_and(|annotations| annotations.contains_key(*key))
        })
        .collect();
    if missing.is_empty() {
        return None;
    }
    let mut metadata = metadata.clone();
    let annotations = metadata.annotations.get_or_insert_default();
    for (key, value) in missing {
        annotations.insert(key.to_owned(), value);
    }
    Some(metadata)
}

/// The wave of `kind`'s phase and, when `keep_data` and the kind holds data,
/// the options that keep it.
fn kind_annotations(kind: &Kind, keep_data: bool) -> Vec<(&'static str, String)> {
    let mut annotations = vec![(SYNC_WAVE, phase_wave(kind.phase).to_string())];
    // A namespace holds the volumes of everything in it.
    if keep_data && (kind.holds_data || (kind.group.is_empty() && kind.kind == "Namespace")) {
        annotations.push((SYNC_OPTIONS, KEEP.to_owned()));
    }
    annotations
}

/// The annotations of a Job that runs before other workloads: a `Sync` hook
/// that ArgoCD deletes and creates anew at each sync (`BeforeHookCreation`),
/// so it runs again on every sync and an earlier run never blocks it.
pub(super) fn hook_annotations() -> BTreeMap<String, String> {
    BTreeMap::from([
        (HOOK.to_owned(), "Sync".to_owned()),
        (
            HOOK_DELETE_POLICY.to_owned(),
            "BeforeHookCreation".to_owned(),
        ),
        (SYNC_WAVE.to_owned(), WORKLOAD_WAVE.to_string()),
    ])
}

/// The annotations of a Job that configures what a sync has just applied (a
/// data service's settings its operator has no field for): a `PostSync` hook,
/// run once every object of the sync is healthy, deleted and created anew at
/// each sync (`BeforeHookCreation`), so it runs again on every sync and must
/// be idempotent.
pub(crate) fn post_sync_hook_annotations() -> BTreeMap<String, String> {
    BTreeMap::from([
        (HOOK.to_owned(), "PostSync".to_owned()),
        (
            HOOK_DELETE_POLICY.to_owned(),
            "BeforeHookCreation".to_owned(),
        ),
    ])
}

/// Adds the wave of a workload that waits for Jobs to `annotations`, when it
/// waits for any.
pub(super) fn add_waiting_wave(
    workload: &WorkloadModel,
    annotations: Option<BTreeMap<String, String>>,
) -> Option<BTreeMap<String, String>> {
    if workload.runs_after.is_empty() {
        return annotations;
    }
    let mut annotations = annotations.unwrap_or_default();
    annotations.insert(SYNC_WAVE.to_owned(), WAITING_WAVE.to_string());
    Some(annotations)
}

/// `value` without the annotations [`annotate`] adds, and without an
/// annotation map left empty: for unit tests about other annotations.
#[cfg(test)]
pub(crate) fn without_sync_annotations(mut value: serde_json::Value) -> serde_json::Value {
    if let Some(metadata) = value.get_mut("metadata").and_then(Value::as_object_mut)
        && let Some(annotations) = metadata
            .get_mut("annotations")
            .and_then(Value::as_object_mut)
    {
        annotations.remove(SYNC_WAVE);
        annotations.remove(SYNC_OPTIONS);
        if annotations.is_empty() {
            metadata.remove("annotations");
        }
    }
    value
}

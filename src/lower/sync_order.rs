//! The order a GitOps controller applies a migration in: ArgoCD's sync hooks
//! and waves (argo-cd docs, user-guide/sync-waves and resource_hooks).
//!
//! A Job with `runBefore` is a `Sync` hook in wave 1, and the Deployments and
//! StatefulSets it runs before (with their autoscalers and disruption
//! budgets, which refer to them) are in wave 2; everything else stays in wave
//! 0. ArgoCD applies a wave only once every resource of the earlier waves is
//! synced and healthy, and a hook Job is healthy once it has succeeded. So the
//! Job starts after its ServiceAccount, NetworkPolicy, Secrets and data
//! services are in place, and the workloads roll only after it succeeded.
//! A `PreSync` hook would run before any of those exist: on a first install,
//! or when the Job is new, it could neither be created nor reach its
//! database. Hooks run on every sync, so a migration must be idempotent (as
//! `alembic upgrade head`, `flyway migrate` or `rails db:migrate` are).
//!
//! Other GitOps controllers and `kubectl apply` ignore these annotations and
//! apply everything at once.

use std::collections::BTreeMap;

use crate::model::WorkloadModel;

const HOOK: &str = "argocd.argoproj.io/hook";
const HOOK_DELETE_POLICY: &str = "argocd.argoproj.io/hook-delete-policy";
const SYNC_WAVE: &str = "argocd.argoproj.io/sync-wave";
/// The wave of Jobs that run before other workloads.
const JOB_WAVE: &str = "1";
/// The wave of the workloads that wait for them.
const WAITING_WAVE: &str = "2";

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
        (SYNC_WAVE.to_owned(), JOB_WAVE.to_owned()),
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
    annotations.insert(SYNC_WAVE.to_owned(), WAITING_WAVE.to_owned());
    Some(annotations)
}

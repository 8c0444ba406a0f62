//! The names Kubernetes gives a workload's pods, as a PromQL regular
//! expression (matched whole), so alerts and dashboards select exactly its
//! pods, never a prefix another workload's could share.

use crate::spec::WorkloadKind;

/// A ReplicaSet's pod-template hash and a pod's random suffix are drawn from
/// this alphabet (`k8s.io/apimachinery/pkg/util/rand`, `SafeEncodeString`).
const SAFE: &str = "[bcdfghjklmnpqrstvwxz2456789]";

/// A Deployment's pods are `<name>-<template hash>-<suffix>`, a
/// StatefulSet's `<name>-<ordinal>`, a Job's `<job>-<suffix>` where the Job
/// is `<name>-<spec hash>`, a CronJob's `<name>-<scheduled minute>-<suffix>`.
pub(super) fn pod_pattern(name: &str, kind: WorkloadKind) -> String {
    // Workload names are DNS labels: nothing in them means anything in a
    // regular expression.
    match kind {
        WorkloadKind::StatefulSet => format!("{name}-[0-9]+"),
        WorkloadKind::Deployment => format!("{name}-{SAFE}{{1,10}}-{SAFE}{{5}}"),
        WorkloadKind::Job => format!("{}-{SAFE}{{5}}", job_pattern(name, kind)),
        WorkloadKind::CronJob => format!("{}-{SAFE}{{5}}", job_pattern(name, kind)),
    }
}

/// The names of a Job's or CronJob's Jobs: the Job's spec hash, or the
/// minute the CronJob controller scheduled the run for.
pub(super) fn job_pattern(name: &str, kind: WorkloadKind) -> String {
    if kind == WorkloadKind::CronJob {
        format!("{name}-[0-9]+")
    } else {
        format!("{name}-[0-9a-f]{{{}}}", crate::lower::JOB_HASH_LENGTH)
    }
}

//! The annotations of a workload's own object (Deployment, StatefulSet, Job,
//! CronJob): the spec's `annotations`, then the scanners' skips of its
//! waivers. Analysis rejects spec keys platformgen sets itself, so neither
//! replaces the other.

use std::collections::BTreeMap;

use super::scanner_skips::{self, Target};
use crate::model::WorkloadModel;

pub(super) fn annotations(workload: &WorkloadModel) -> BTreeMap<String, String> {
    let mut annotations = workload.annotations.clone();
    annotations.extend(scanner_skips::annotations(workload, Target::Pods));
    annotations
}

/// [`annotations`], or `None` when there are none (no empty map in the output).
pub(super) fn non_empty(workload: &WorkloadModel) -> Option<BTreeMap<String, String>> {
    Some(annotations(workload)).filter(|annotations| !annotations.is_empty())
}

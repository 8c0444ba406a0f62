//! `Pod`: a read-only view of the pod template inside any rendered object that
//! runs pods (Deployment, StatefulSet, DaemonSet, ReplicaSet, Job, CronJob, Pod,
//! Argo Rollout: the kinds with a `pod_template` in the kind registry), so rules check containers the same way whichever stage or
//! feature produced the object. Reads JSON only; knows no spec types.

use serde_json::{Map, Value};

use crate::object::Manifest;

#[derive(Debug, Clone, Copy)]
pub struct Pod<'a> {
    pub manifest: &'a Manifest,
    /// The pod's `spec` (a PodSpec).
    pub spec: &'a Value,
    /// The pod template's `metadata.labels`, if any.
    labels: Option<&'a Map<String, Value>>,
}

/// One container of a pod.
#[derive(Debug, Clone, Copy)]
pub struct Container<'a> {
    pub name: &'a str,
    pub value: &'a Value,
    /// An init container (runs to completion before the others start).
    pub init: bool,
}

impl<'a> Pod<'a> {
    /// The pod of `manifest`, when the object runs pods.
    pub fn of(manifest: &'a Manifest) -> Option<Pod<'a>> {
        let path = manifest.kind_info()?.pod_template?;
        let template = path
            .iter()
            .try_fold(&manifest.value, |value, field| value.get(field))?;
        Some(Pod {
            manifest,
            spec: template.get("spec")?,
            labels: crate::object::path::at(template, &["metadata", "labels"])
                .and_then(Value::as_object),
        })
    }

    /// Pods meant to keep running (and so needing probes and replicas), as
    /// opposed to Jobs' and CronJobs', which finish.
    pub fn is_long_running(&self) -> bool {
        self.manifest.kind_info().is_some_and(|k| k.long_running)
    }

    /// Deployments, StatefulSets and Argo Rollouts: objects with a replica count
    /// that a rule can ask to be 2 or more.
    pub fn is_replicated(&self) -> bool {
        self.manifest.kind_info().is_some_and(|k| k.replicated)
    }

    /// Init containers, then the regular ones.
    pub fn containers(&self) -> Vec<Container<'a>> {
        let list = |field: &str, init: bool| {
            self.spec
                .get(field)
                .and_then(Value::as_array)
                .into_iter()
                .flatten()
                .map(move |value| Container {
                    name: value.get("name").and_then(Value::as_str).unwrap_or(""),
                    value,
                    init,
                })
        };
        list("initContainers", true)
            .chain(list("containers", false))
            .collect()
    }

    /// The pod template's labels.
    pub fn labels(&self) -> Option<&'a Map<String, Value>> {
        self.labels
    }

    /// A setting of the pod's `securityContext`.
    pub fn security(&self, field: &str) -> Option<&'a Value> {
        self.spec.get("securityContext")?.get(field)
    }
}

impl<'a> Container<'a> {
    /// A setting of the container's `securityContext`.
    pub fn security(&self, field: &str) -> Option<&'a Value> {
        self.value.get("securityContext")?.get(field)
    }

    pub fn has_ports(&self) -> bool {
        self.value
            .get("ports")
            .and_then(Value::as_array)
            .is_some_and(|ports| !ports.is_empty())
    }
}

/// True when every `matchLabels` entry of `selector` is among `labels`, and the
/// selector selects something (an empty selector is left to the caller).
pub(super) fn selects(selector: &Value, labels: Option<&Map<String, Value>>) -> bool {
    let Some(match_labels) = selector.get("matchLabels").and_then(Value::as_object) else {
        return false;
    };
    // matchExpressions would need evaluating; no object platformgen renders
    // uses them, so a selector with expressions is treated as not matching.
    if selector
        .get("matchExpressions")
        .and_then(Value::as_array)
        .is_some_and(|e| !e.is_empty())
    {
        return false;
    }
    let Some(labels) = labels else {
        return false;
    };
    !match_labels.is_empty() && match_labels.iter().all(|(k, v)| labels.get(k) == Some(v))
}

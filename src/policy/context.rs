//! `Context`: what every rule reads for one environment: the resolved model, the
//! rendered manifests and the merged spec tree, plus the lookups rules share
//! (the workload an object came from, the spec span to report at, the objects
//! of a kind). Read-only: rules cannot change what they check.

use crate::manifest::Manifest;
use crate::merge;
use crate::model::{PlatformModel, WorkloadModel};
use crate::source::Span;
use crate::yaml::{Node, Value};

use super::pod::{Container, Pod};

pub struct Context<'a> {
    pub model: &'a PlatformModel,
    pub manifests: &'a [Manifest],
    pub tree: &'a Node,
}

impl<'a> Context<'a> {
    pub fn new(model: &'a PlatformModel, manifests: &'a [Manifest], tree: &'a Node) -> Self {
        Self {
            model,
            manifests,
            tree,
        }
    }

    /// Every object that runs pods, in apply order.
    pub fn pods(&self) -> impl Iterator<Item = Pod<'a>> + use<'a> {
        self.manifests.iter().filter_map(Pod::of)
    }

    /// Every object of `kind`, in apply order.
    pub fn objects(&self, kind: &'a str) -> impl Iterator<Item = &'a Manifest> + use<'a> {
        self.manifests.iter().filter(move |m| m.kind == kind)
    }

    /// The workload an object was generated from: objects carry the span of
    /// the spec key they came from, and a workload's objects carry its key.
    pub fn workload_of(&self, manifest: &Manifest) -> Option<&'a WorkloadModel> {
        self.model
            .workloads
            .iter()
            .find(|w| w.origin == manifest.origin)
    }

    /// The name waivers match a finding about `manifest` by: its workload's,
    /// or for pod-running objects from elsewhere in the spec, the object's own.
    pub fn owner(&self, manifest: &'a Manifest) -> Option<&'a str> {
        match self.workload_of(manifest) {
            Some(workload) => Some(&workload.name),
            None => Pod::of(manifest).map(|_| manifest.name.as_str()),
        }
    }

    /// Where `path` is written in the merged spec: a scalar's value, or the key
    /// of a mapping or list (its value may span many lines). `None` when the
    /// spec does not say it (or says `null`).
    pub fn written(&self, path: &[&str]) -> Option<Span> {
        let node = merge::find(self.tree, path)?;
        match node.value {
            Value::Null => None,
            Value::Scalar(_) => Some(node.span),
            Value::Seq(_) | Value::Map(_) => Some(merge::key_span(self.tree, path)),
        }
    }

    /// Where to report about `field` of the workload `manifest` came from: the
    /// field when written, else the workload's key; for an object no workload
    /// made, the spec key it came from.
    pub fn workload_field(&self, manifest: &Manifest, field: &[&str]) -> Span {
        let Some(workload) = self.workload_of(manifest) else {
            return manifest.origin;
        };
        self.first_written(&workload.name, &[field])
            .unwrap_or(workload.origin)
    }

    /// The first of `fields` of workload `name` that the spec writes.
    pub fn first_written(&self, name: &str, fields: &[&[&str]]) -> Option<Span> {
        fields.iter().find_map(|field| {
            let mut path = vec!["workloads", name];
            path.extend_from_slice(field);
            self.written(&path)
        })
    }

    /// [`Self::workload_field`] for a container: the workload's spec describes
    /// only its own container, so any other container (an init container, a
    /// sidecar) is reported at the object's origin.
    pub fn container_field(
        &self,
        pod: &Pod<'_>,
        container: &Container<'_>,
        field: &[&str],
    ) -> Span {
        match self.workload_of(pod.manifest) {
            Some(workload) if !container.init && container.name == workload.name => {
                self.workload_field(pod.manifest, field)
            }
            _ => pod.manifest.origin,
        }
    }

    /// The key of namespace `name` in the spec, when declared there.
    pub fn namespace_origin(&self, name: &str) -> Option<Span> {
        self.model
            .namespaces
            .iter()
            .find(|n| n.name == name)
            .map(|n| n.origin)
    }
}

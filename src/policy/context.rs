//! `Context`: what every rule reads for one environment: the resolved model, the
//! rendered manifests and the merged spec tree, plus the lookups rules share
//! (the workload an object came from, the spec span to report at, the objects
//! of a kind). Read-only: rules cannot change what they check.

use std::collections::BTreeMap;

use crate::merge;
use crate::model::{PlatformModel, WorkloadModel};
use crate::object::Manifest;
use crate::object::kinds;
use crate::source::Span;
use crate::yaml::{Node, Value};

use super::pod::{Container, Pod};

pub struct Context<'a> {
    pub model: &'a PlatformModel,
    /// The objects the rules judge, in apply order: every object, or one
    /// workload's with the platform-wide ones (see [`super::RuleScope`]).
    pub manifests: Vec<&'a Manifest>,
    pub tree: &'a Node,
    /// Indexes built once, so every rule stays linear in the platform's size.
    by_kind: BTreeMap<&'a str, Vec<&'a Manifest>>,
    by_origin: OriginIndex<'a>,
    /// (scaler kind, namespace, target kind, target name) → the first scaler
    /// of that kind targeting that object.
    scalers: BTreeMap<ScaleTarget<'a>, &'a Manifest>,
}

/// Workloads by the span of their spec key: the origin of their objects.
pub(super) type Origins<'a> = BTreeMap<Span, &'a WorkloadModel>;

/// [`Origins`] of the context's own, or shared by the contexts of one run.
pub(super) enum OriginIndex<'a> {
    Owned(Origins<'a>),
    Shared(&'a Origins<'a>),
}

impl<'a> OriginIndex<'a> {
    fn get(&self, origin: &Span) -> Option<&'a WorkloadModel> {
        match self {
            OriginIndex::Owned(origins) => origins.get(origin).copied(),
            OriginIndex::Shared(origins) => origins.get(origin).copied(),
        }
    }
}

/// The index of [`Context::workload_of`], built once per environment.
pub(super) fn origins(model: &PlatformModel) -> Origins<'_> {
    model.workloads.iter().map(|w| (w.origin, w)).collect()
}

type ScaleTarget<'a> = (&'a str, Option<&'a str>, &'a str, &'a str);

/// The object a scaler (a kind with `scales` in the kind registry: a
/// HorizontalPodAutoscaler, a KEDA ScaledObject) scales; the registry says
/// which kind it targets when `scaleTargetRef` names none.
fn scale_target(scaler: &Manifest) -> Option<(&str, &str)> {
    let target = crate::object::path::at(&scaler.value, &["spec", "scaleTargetRef"])?;
    let default_kind = scaler.kind_info()?.scales?;
    let kind = target
        .get("kind")
        .and_then(serde_json::Value::as_str)
        .unwrap_or(default_kind);
    let name = target.get("name").and_then(serde_json::Value::as_str)?;
    Some((kind, name))
}

impl<'a> Context<'a> {
    /// The context of every object of an environment.
    pub fn new(model: &'a PlatformModel, manifests: &'a [Manifest], tree: &'a Node) -> Self {
        Self::over(
            model,
            manifests.iter().collect(),
            tree,
            OriginIndex::Owned(origins(model)),
        )
    }

    /// The context of `manifests` (in apply order), some of an environment's
    /// objects; `by_origin` is [`origins`] of `model`.
    pub(super) fn over(
        model: &'a PlatformModel,
        manifests: Vec<&'a Manifest>,
        tree: &'a Node,
        by_origin: OriginIndex<'a>,
    ) -> Self {
        let mut by_kind: BTreeMap<&'a str, Vec<&'a Manifest>> = BTreeMap::new();
        for &manifest in &manifests {
            by_kind
                .entry(manifest.key.kind.as_ref())
                .or_default()
                .push(manifest);
        }
        let mut scalers = BTreeMap::new();
        let scaler_kinds = kinds::KINDS.iter().filter(|k| k.scales.is_some());
        for kind in scaler_kinds.map(|k| k.kind) {
            for scaler in by_kind.get(kind).into_iter().flatten() {
                if let Some((target_kind, target_name)) = scale_target(scaler) {
                    scalers
                        .entry((
                            kind,
                            scaler.key.namespace.as_deref(),
                            target_kind,
                            target_name,
                        ))
                        .or_insert(*scaler);
                }
            }
        }
        Self {
            model,
            manifests,
            tree,
            scalers,
            by_kind,
            by_origin,
        }
    }

    /// Every object that runs pods, in apply order.
    pub fn pods(&self) -> impl Iterator<Item = Pod<'a>> + use<'a, '_> {
        self.manifests.iter().copied().filter_map(Pod::of)
    }

    /// Every object of `kind`, in apply order.
    pub fn objects(&self, kind: &str) -> impl Iterator<Item = &'a Manifest> + use<'a, '_> {
        self.by_kind.get(kind).into_iter().flatten().copied()
    }

    /// The first scaler of `scaler_kind` that targets `manifest`.
    pub fn scaler(&self, scaler_kind: &str, manifest: &Manifest) -> Option<&'a Manifest> {
        self.scalers
            .get(&(
                scaler_kind,
                manifest.key.namespace.as_deref(),
                manifest.key.kind.as_ref(),
                manifest.key.name.as_str(),
            ))
            .copied()
    }

    /// The workload an object was generated from: objects carry the span of
    /// the spec key they came from, and a workload's objects carry its key.
    pub fn workload_of(&self, manifest: &Manifest) -> Option<&'a WorkloadModel> {
        self.by_origin.get(&manifest.origin)
    }

    /// The name waivers match a finding about `manifest` by: its workload's,
    /// or for pod-running objects from elsewhere in the spec, the object's own.
    pub fn owner(&self, manifest: &'a Manifest) -> Option<&'a str> {
        match self.workload_of(manifest) {
            Some(workload) => Some(&workload.name),
            None => Pod::of(manifest).map(|_| manifest.key.name.as_str()),
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
        // A workload without an `image` runs the one its `imageOf` names.
        let fallback: &[&str] = if field == ["image"] {
            &["imageOf"]
        } else {
            field
        };
        self.first_written(&workload.name, &[field, fallback])
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

    /// [`Self::workload_field`] for a container: the main container's field,
    /// or a sidecar's or init container's (`sidecars.<n>.<field>`); a
    /// container the spec does not describe is reported at the object's
    /// origin.
    pub fn container_field(
        &self,
        pod: &Pod<'_>,
        container: &Container<'_>,
        field: &[&str],
    ) -> Span {
        let Some(workload) = self.workload_of(pod.manifest) else {
            return pod.manifest.origin;
        };
        if !container.init && container.name == workload.name {
            return self.workload_field(pod.manifest, field);
        }
        for (list, containers) in [
            ("sidecars", &workload.sidecars),
            ("initContainers", &workload.init_containers),
        ] {
            if let Some(index) = containers.iter().position(|c| c.name == container.name) {
                let index = index.to_string();
                let mut path = vec![list, index.as_str()];
                path.extend_from_slice(field);
                return self
                    .first_written(&workload.name, &[&path, &path[..2]])
                    .unwrap_or(workload.origin);
            }
        }
        pod.manifest.origin
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

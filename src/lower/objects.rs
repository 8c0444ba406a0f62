//! `Objects`: where lowering puts the objects it makes. Rendering only needs
//! each object's YAML text, so a sink made with [`Objects::frozen`] turns every
//! object into its text the moment it arrives: the JSON tree of an object costs
//! many times its text, and a platform of thousands of workloads must never
//! hold them all at once.

use k8s_openapi::apimachinery::pkg::apis::meta::v1::ObjectMeta;
use k8s_openapi::{Metadata, Resource};
use serde::Serialize;

use super::patches::PatchSet;
use super::sync_order;
use crate::diagnostic::Diagnostics;
use crate::model::PatchModel;
use crate::object::{BlockPattern, Manifest, PLACEHOLDER, kinds};
use crate::source::Span;

/// Adds a typed object; its identity comes from its type and metadata.
pub(crate) fn push<T>(objects: &mut Objects, object: &T, origin: Span)
where
    T: Resource + Metadata<Ty = ObjectMeta> + Serialize,
{
    objects.push(object, origin);
}

/// The objects lowered so far, in the order they were made.
#[derive(Debug, Default)]
pub struct Objects {
    manifests: Vec<Manifest>,
    /// Keep each object as its YAML text only (see [`Manifest::freeze`]).
    frozen: bool,
    /// The spec's patches, applied to each object as it arrives.
    patches: PatchSet,
    /// Whether objects holding data are kept from being pruned or deleted by
    /// a GitOps controller (outside development).
    keep_data: bool,
}

impl Objects {
    /// A sink keeping every object as a tree, for the stages that inspect
    /// objects (policies, diff, kustomize).
    pub fn new() -> Self {
        Self::default()
    }

    /// A sink keeping every object as its YAML text only.
    pub fn frozen() -> Self {
        Self {
            frozen: true,
            ..Self::default()
        }
    }

    /// The same sink, applying `patches` to every object it receives.
    #[must_use]
    pub fn with_patches(mut self, patches: &[PatchModel]) -> Self {
        self.patches = PatchSet::new(patches);
        self
    }

    /// The same sink, marking objects that hold data so a GitOps controller
    /// never prunes or deletes them.
    #[must_use]
    pub fn keeping_data(mut self, keep: bool) -> Self {
        self.keep_data = keep;
        self
    }

    /// What became of the patches: those that found no object, failed or
    /// changed nothing. Call once every object has been pushed.
    pub fn finish_patches(&mut self) -> Diagnostics {
        std::mem::take(&mut self.patches).finish()
    }

    /// Adds a typed object; its identity comes from its type and metadata.
    pub fn push<T>(&mut self, object: &T, origin: Span)
    where
        T: Resource + Metadata<Ty = ObjectMeta> + Serialize,
    {
        if self.frozen && self.patches.is_empty() {
            // Straight to text: the tree would only be written and dropped.
            let manifest = self.frozen_manifest(object, origin);
            self.manifests.push(manifest);
            return;
        }
        let mut manifest = Manifest::of(object, origin);
        // Before patches, so a patch can still change a wave or an option.
        sync_order::annotate(&mut manifest, self.keep_data);
        if !self.patches.is_empty() {
            self.patches.apply(&mut manifest);
        }
        if self.frozen {
            manifest.freeze();
        }
        self.manifests.push(manifest);
    }

    /// Adds a typed object with a large literal block that differs from
    /// object to object only in a few names (a workload's dashboard): `build`
    /// makes the object around the block's text. A sink that freezes objects
    /// as they come, with no patches to apply, holds the block as `block`
    /// filled with `names` (see [`Manifest::splice`]), so a large render
    /// never holds every block's text at once. Any other sink, or names the
    /// block cannot take as they are, gets the object with the block's own
    /// `text`.
    pub fn push_with_block<T>(
        &mut self,
        build: impl Fn(String) -> T,
        block: &'static BlockPattern,
        names: &[&str],
        text: impl FnOnce() -> String,
        origin: Span,
    ) where
        T: Resource + Metadata<Ty = ObjectMeta> + Serialize,
    {
        if self.frozen && self.patches.is_empty() {
            let mut manifest = self.frozen_manifest(&build(PLACEHOLDER.to_owned()), origin);
            if manifest.splice(block, names) {
                self.manifests.push(manifest);
                return;
            }
        }
        self.push(&build(text()), origin);
    }

    /// `object` frozen straight to its text, with the annotations of its
    /// place in the sync order.
    fn frozen_manifest<T>(&self, object: &T, origin: Span) -> Manifest
    where
        T: Resource + Metadata<Ty = ObjectMeta> + Serialize,
    {
        let kind = kinds::lookup(T::GROUP, T::KIND);
        let metadata = sync_order::annotated_metadata(kind, object.metadata(), self.keep_data);
        Manifest::frozen_of(object, metadata.as_ref(), origin)
    }

    /// Adds an object that is already JSON (one a user template rendered).
    /// It is ordered and kept like a generated object of its kind: a
    /// templated ExternalSecret must reach the cluster before the pods that
    /// read its Secret, and a templated volume claim must not be pruned. A
    /// wave or sync option the template wrote itself is kept.
    pub fn push_manifest(&mut self, mut manifest: Manifest) {
        sync_order::annotate(&mut manifest, self.keep_data);
        if !self.patches.is_empty() {
            self.patches.apply(&mut manifest);
        }
        if self.frozen {
            manifest.freeze();
        }
        self.manifests.push(manifest);
    }

    /// Room for `additional` more objects, so appending many parts moves
    /// the objects already held once at most.
    pub fn reserve(&mut self, additional: usize) {
        self.manifests.reserve(additional);
    }

    /// Appends the objects of `other`, a sink of the same kind without
    /// patches, after this one's.
    pub fn append(&mut self, other: Objects) {
        debug_assert!(other.patches.is_empty() && other.frozen == self.frozen);
        self.manifests.extend(other.manifests);
    }

    /// Holds the objects in a vector of their exact number, for a part kept
    /// while others are lowered. A vector grown by doubling has up to half its
    /// room unused, and shrinking it gives none back: the allocator keeps a
    /// block that shrinks by less than half where it is. So the objects move
    /// to a new vector, and the old one's room serves the next part.
    pub fn compact(&mut self) {
        if self.manifests.capacity() > self.manifests.len() {
            self.manifests = self.manifests.drain(..).collect();
        }
    }

    /// Drops every object after the first `len`.
    pub fn truncate(&mut self, len: usize) {
        self.manifests.truncate(len);
    }

    /// The objects from `at` on, taken out.
    pub fn split_off(&mut self, at: usize) -> Vec<Manifest> {
        self.manifests.split_off(at)
    }

    pub fn into_vec(self) -> Vec<Manifest> {
        self.manifests
    }
}

impl std::ops::Deref for Objects {
    type Target = [Manifest];

    fn deref(&self) -> &[Manifest] {
        &self.manifests
    }
}

impl IntoIterator for Objects {
    type Item = Manifest;
    type IntoIter = std::vec::IntoIter<Manifest>;

    fn into_iter(self) -> Self::IntoIter {
        self.manifests.into_iter()
    }
}

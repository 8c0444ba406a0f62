//! `Manifest`: one rendered Kubernetes object with its identity, the place in the
//! spec it came from, and its position in the apply order.

use std::borrow::Cow;

use k8s_openapi::apimachinery::pkg::apis::meta::v1::ObjectMeta;
use k8s_openapi::{Metadata, Resource};
use serde::Serialize;
use serde_json::Value;

use super::frozen::{BlockPattern, Frozen};
use super::kinds::{self, Kind};
use super::{ResourceKey, group};
use crate::source::Span;
use crate::yaml::write as yaml;

#[derive(Debug, Clone, PartialEq)]
pub struct Manifest {
    /// Which object this is: group, kind, namespace, name.
    pub key: ResourceKey,
    /// The `apiVersion` written in the object: borrowed from the kind's type
    /// for every object lowering makes.
    pub api_version: Cow<'static, str>,
    /// The kind's apply-order rank, looked up once: sorting a large render
    /// compares ranks many times per object. It is also the kind's row in
    /// [`kinds::KINDS`] (past the last row for an unregistered kind), so
    /// [`Manifest::kind_info`] is an index, not a search: the policy rules
    /// ask it of every object of every part.
    rank: usize,
    /// The object, keys sorted (serde_json's map is a BTreeMap), so its YAML is
    /// canonical.
    pub value: Value,
    /// The spec key the object was derived from.
    pub origin: Span,
    /// The object's canonical YAML, once frozen (see [`Manifest::freeze`]);
    /// `value` is then `Null`.
    text: Option<Frozen>,
}

/// An object whose `apiVersion`, `kind` or `metadata.name` is missing or not a
/// string, so it has no identity.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("the object has no {0}")]
pub struct NoIdentity(pub &'static str);

impl Manifest {
    /// A typed object: its identity comes from its type (`apiVersion`, `kind`)
    /// and its metadata, and both are written into the object whether or not
    /// its type serializes them (custom resources' structs do not).
    pub fn of<T>(object: &T, origin: Span) -> Self
    where
        T: Resource + Metadata<Ty = ObjectMeta> + Serialize,
    {
        let metadata = object.metadata();
        let mut value = serde_json::to_value(object).expect("Kubernetes objects serialize to JSON");
        // k8s-openapi's types write both themselves; custom resources' structs
        // do not.
        if let Value::Object(map) = &mut value
            && !map.contains_key("kind")
        {
            map.insert("apiVersion".to_owned(), Value::from(T::API_VERSION));
            map.insert("kind".to_owned(), Value::from(T::KIND));
        }
        Self::typed::<T>(metadata, value, None, origin)
    }

    /// A typed object frozen straight to its canonical YAML (see
    /// [`Manifest::freeze`]), never held as a tree: the same text as
    /// [`Manifest::of`] then `freeze`, at a fraction of the cost. `metadata`,
    /// when given, is written in place of the object's own.
    pub fn frozen_of<T>(object: &T, metadata: Option<&ObjectMeta>, origin: Span) -> Self
    where
        T: Resource + Metadata<Ty = ObjectMeta> + Serialize,
    {
        let defaults = [("apiVersion", T::API_VERSION), ("kind", T::KIND)];
        let mut text =
            crate::yaml::to_yaml_from(object, metadata.map(|m| ("metadata", m)), &defaults)
                .expect("Kubernetes objects serialize to JSON");
        text.shrink_to_fit();
        let metadata = metadata.unwrap_or(object.metadata());
        Self::typed::<T>(metadata, Value::Null, Some(Frozen::Whole(text)), origin)
    }

    /// A frozen object whose text has a literal block printed as the
    /// [`PLACEHOLDER`](super::frozen::PLACEHOLDER) line: the block is held as
    /// `block` and its `names`, not as text. False, and the object is left
    /// as it is, if it is not frozen whole or its text cannot be spliced so
    /// (see [`Frozen::spliced`]); the caller then freezes the object with
    /// its block's own text.
    pub fn splice(&mut self, block: &'static BlockPattern, names: &[&str]) -> bool {
        let Some(Frozen::Whole(text)) = &mut self.text else {
            return false;
        };
        match Frozen::spliced(std::mem::take(text), block, names) {
            Ok(spliced) => {
                self.text = Some(spliced);
                true
            }
            Err(whole) => {
                *text = whole;
                false
            }
        }
    }

    /// An object of type `T` named by `metadata`, as a tree or as its text.
    fn typed<T: Resource>(
        metadata: &ObjectMeta,
        value: Value,
        text: Option<Frozen>,
        origin: Span,
    ) -> Self {
        Self {
            key: ResourceKey {
                group: Cow::Borrowed(T::GROUP),
                kind: Cow::Borrowed(T::KIND),
                namespace: metadata.namespace.clone(),
                name: metadata.name.clone().unwrap_or_default(),
            },
            api_version: Cow::Borrowed(T::API_VERSION),
            rank: kinds::rank(T::GROUP, T::KIND),
            value,
            origin,
            text,
        }
    }

    /// An untyped object (read back from a previous render, or built by a
    /// test), identified by its `apiVersion`, `kind` and metadata.
    pub fn from_value(value: Value, origin: Span) -> Result<Self, NoIdentity> {
        let text = |field: &'static str| {
            value
                .get(field)
                .and_then(Value::as_str)
                .map(str::to_owned)
                .ok_or(NoIdentity(field))
        };
        let metadata = |field: &str| {
            value
                .get("metadata")
                .and_then(|m| m.get(field))
                .and_then(Value::as_str)
                .map(str::to_owned)
        };
        let api_version = text("apiVersion")?;
        let kind = text("kind")?;
        let name = metadata("name").ok_or(NoIdentity("metadata.name"))?;
        let namespace = metadata("namespace");
        let rank = kinds::rank(group(&api_version), &kind);
        // A registered kind's names are the registry's.
        let (group, kind) = match kinds::KINDS.get(rank) {
            Some(registered) => (
                Cow::Borrowed(registered.group),
                Cow::Borrowed(registered.kind),
            ),
            None => (Cow::Owned(group(&api_version).to_owned()), Cow::Owned(kind)),
        };
        Ok(Self {
            key: ResourceKey {
                group,
                kind,
                namespace,
                name,
            },
            api_version: Cow::Owned(api_version),
            rank,
            value,
            origin,
            text: None,
        })
    }

    pub fn kind(&self) -> &str {
        &self.key.kind
    }

    pub fn name(&self) -> &str {
        &self.key.name
    }

    pub fn namespace(&self) -> Option<&str> {
        self.key.namespace.as_deref()
    }

    /// The kind's row in the registry, if it is registered.
    pub fn kind_info(&self) -> Option<&'static Kind> {
        kinds::KINDS.get(self.rank)
    }

    /// Replaces the object by its canonical YAML text. Rendering keeps only the
    /// text of objects already lowered, so a large platform never holds every
    /// object as a JSON tree at once (a tree costs many times its text).
    pub fn freeze(&mut self) {
        if self.text.is_none() {
            let mut text = yaml::to_yaml(&self.value);
            // Written by appending, the text holds up to twice its length.
            text.shrink_to_fit();
            self.text = Some(Frozen::Whole(text));
            self.value = Value::Null;
        }
    }

    /// Appends the object's canonical YAML to `out`.
    pub fn write_yaml(&self, out: &mut String) {
        match &self.text {
            Some(text) => text.write_into(out),
            None => yaml::write_yaml(out, &self.value),
        }
    }

    /// Calls `piece` with each piece of the object's canonical YAML, in
    /// order: a frozen object's text as it is held, without a copy.
    pub fn for_each_piece<'a>(&'a self, mut piece: impl FnMut(std::borrow::Cow<'a, str>)) {
        match &self.text {
            Some(text) => text.for_each_piece(|text| piece(std::borrow::Cow::Borrowed(text))),
            None => piece(std::borrow::Cow::Owned(yaml::to_yaml(&self.value))),
        }
    }

    /// The canonical YAML of an object frozen whole; `None` while it is a
    /// tree or its text is held in pieces (see [`Manifest::splice`]).
    pub fn frozen_text(&self) -> Option<&str> {
        self.text.as_ref().and_then(Frozen::whole)
    }

    /// The length of a frozen object's canonical YAML; `None` while it is a
    /// tree.
    pub fn frozen_len(&self) -> Option<usize> {
        self.text.as_ref().map(Frozen::len)
    }

    /// True when `other` is the same object, field for field: compared by
    /// text when both are frozen (canonical YAML is equal exactly when the
    /// values are), else as trees.
    pub fn same_object(&self, other: &Manifest) -> bool {
        match (&self.text, &other.text) {
            (Some(a), Some(b)) => a == b,
            _ => *self.tree() == *other.tree(),
        }
    }

    /// The object as a tree: `value`, or the frozen text read back (the
    /// emitter's canonical YAML reads back as exactly the value it was
    /// written from; see `yaml::to_json`). The canonical reader reads it;
    /// the general parser only if that one gives up, which the writers'
    /// tests rule out.
    pub fn tree(&self) -> std::borrow::Cow<'_, Value> {
        let Some(text) = &self.text else {
            return std::borrow::Cow::Borrowed(&self.value);
        };
        let text = text.text();
        if let Some(value) = crate::yaml::read_canonical(&text) {
            return std::borrow::Cow::Owned(value);
        }
        // Our own output: no aliases, and no input limits on size or depth.
        let limits = crate::yaml::Limits {
            max_file_bytes: usize::MAX,
            max_depth: usize::MAX,
            max_alias_nodes: 0,
        };
        let node = crate::yaml::parse(crate::source::FileId::default(), &text, &limits)
            .expect("canonical YAML written by emit::yaml parses back");
        std::borrow::Cow::Owned(crate::yaml::to_json(&node))
    }

    /// The object's canonical YAML: borrowed when frozen, so that a large
    /// `--out` tree does not copy every object's text.
    pub fn yaml(&self) -> std::borrow::Cow<'_, str> {
        match &self.text {
            Some(text) => text.text(),
            None => std::borrow::Cow::Owned(yaml::to_yaml(&self.value)),
        }
    }

    /// Where the kind sits in the apply order (see [`kinds::KINDS`]).
    pub fn kind_rank(&self) -> usize {
        self.rank
    }

    /// Total apply order: kind rank, then kind (for unregistered kinds), then
    /// namespace, then name, then group (for unregistered kinds). A
    /// registered kind's rank names its group and kind (the registry holds
    /// each pair once), so its key leaves both empty and comparing two keys
    /// reads no string that tells them nothing. Sorting many objects goes
    /// through [`super::sort_in_apply_order`], which orders by this key.
    pub fn sort_key(&self) -> (usize, &str, &str, &str, &str) {
        let (kind, group) = if self.rank < kinds::KINDS.len() {
            ("", "")
        } else {
            (self.key.kind.as_ref(), self.key.group.as_ref())
        };
        (
            self.kind_rank(),
            kind,
            self.namespace().unwrap_or(""),
            &self.key.name,
            group,
        )
    }

    /// `Kind/namespace/name`, for messages and diff headers.
    pub fn identity(&self) -> String {
        self.key.display()
    }

    /// The file of the object in an `--out` tree (see [`ResourceKey::file_path`]).
    pub fn file_path(&self) -> String {
        self.key.file_path_of(self.kind_info())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn object(api_version: &str, kind: &str) -> Manifest {
        let value = serde_json::json!({
            "apiVersion": api_version,
            "kind": kind,
            "metadata": {"name": "x"},
        });
        Manifest::from_value(value, Span::default()).expect("the object has an identity")
    }

    #[test]
    fn kind_info_is_the_registry_row_of_the_objects_group_and_kind() {
        for row in kinds::KINDS {
            let api_version = if row.group.is_empty() {
                row.version.to_owned()
            } else {
                format!("{}/{}", row.group, row.version)
            };
            let info = object(&api_version, row.kind)
                .kind_info()
                .expect("a registered kind has a row");
            assert_eq!((info.group, info.kind), (row.group, row.kind));
        }
    }

    #[test]
    fn an_unregistered_kind_has_no_row() {
        assert!(object("example.com/v1", "Widget").kind_info().is_none());
        // A registered kind's name in another group.
        assert!(object("example.com/v1", "Deployment").kind_info().is_none());
    }

    #[test]
    fn the_sort_key_orders_as_the_whole_identity_does() {
        let named = |api_version: &str, kind: &str, namespace: Option<&str>, name: &str| {
            let mut metadata = serde_json::json!({"name": name});
            if let Some(namespace) = namespace {
                metadata["namespace"] = serde_json::Value::from(namespace);
            }
            let value = serde_json::json!({
                "apiVersion": api_version,
                "kind": kind,
                "metadata": metadata,
            });
            Manifest::from_value(value, Span::default()).expect("identified")
        };
        // Rank, kind, namespace, name and group, each read from the object.
        let whole = |m: &Manifest| {
            (
                m.kind_rank(),
                m.key.kind.clone(),
                m.namespace().unwrap_or("").to_owned(),
                m.key.name.clone(),
                m.key.group.clone(),
            )
        };
        let mut objects = Vec::new();
        for (api_version, kind) in [
            ("v1", "Namespace"),
            ("v1", "ConfigMap"),
            ("apps/v1", "Deployment"),
            ("monitoring.coreos.com/v1", "PrometheusRule"),
            // Unregistered: ordered by kind, and a kind name shared by two
            // groups (one of them a registered kind's) by group last.
            ("example.com/v1", "Widget"),
            ("other.example/v1", "Widget"),
            ("example.com/v1", "Deployment"),
            ("example.com/v1", "Gadget"),
        ] {
            for namespace in [None, Some("a"), Some("b")] {
                for name in ["x", "y", "xy"] {
                    objects.push(named(api_version, kind, namespace, name));
                }
            }
        }
        for a in &objects {
            for b in &objects {
                assert_eq!(
                    a.sort_key().cmp(&b.sort_key()),
                    whole(a).cmp(&whole(b)),
                    "{} against {}",
                    a.identity(),
                    b.identity()
                );
            }
        }
    }
}

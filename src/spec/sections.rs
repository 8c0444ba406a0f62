//! `Sections`: the parts of the spec a capability owns, held without naming
//! their types. A capability declares each key it owns as a typed
//! [`Section`] (`postgres`, `workloads.*.expose`, `namespaces.*.quota`) and
//! registers its [`SectionType`]; the composition root hands the registered
//! types to [`read_platform`](super::read_platform), which reads each section
//! where it is written and stores it beside the core fields. The capability
//! reads it back through its `Section`, typed again.
//!
//! This is what keeps the spec (and the model, which holds capability parts
//! the same way) below the capabilities: `PlatformSpec`, `Workload` and
//! `Namespace` name no capability type, so no module below `capabilities`
//! depends on one, and a new capability is its folder plus its registry line.

use std::any::Any;
use std::collections::BTreeMap;
use std::fmt;
use std::marker::PhantomData;

use indexmap::IndexMap;
use schemars::{JsonSchema, Schema, SchemaGenerator};
use serde::de::DeserializeOwned;

use crate::diagnostic::Diagnostic;
use crate::merge::Provenance;
use crate::source::Span;
use crate::yaml::Node;

/// Where a section's key is written.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub enum Scope {
    /// At the top of the spec: `postgres`.
    Platform,
    /// In every workload: `workloads.<name>.expose`.
    Workload,
    /// In every namespace: `namespaces.<name>.quota`.
    Namespace,
}

impl Scope {
    /// The key path of `key` in this scope, `*` standing for any name.
    pub fn pattern(self, key: &str) -> String {
        match self {
            Scope::Platform => key.to_owned(),
            Scope::Workload => format!("workloads.*.{key}"),
            Scope::Namespace => format!("namespaces.*.{key}"),
        }
    }
}

/// A value a [`Sections`] can hold: any plain data type.
pub trait SectionValue: Any + Send + Sync + fmt::Debug {
    fn as_any(&self) -> &dyn Any;
    fn as_any_mut(&mut self) -> &mut dyn Any;
    fn clone_boxed(&self) -> Box<dyn SectionValue>;
}

impl<T: Any + Clone + Send + Sync + fmt::Debug> SectionValue for T {
    fn as_any(&self) -> &dyn Any {
        self
    }
    fn as_any_mut(&mut self) -> &mut dyn Any {
        self
    }
    fn clone_boxed(&self) -> Box<dyn SectionValue> {
        Box::new(self.clone())
    }
}

/// Capability-owned values by key, each of its capability's type.
#[derive(Default)]
pub struct Sections {
    entries: BTreeMap<&'static str, Box<dyn SectionValue>>,
}

impl Sections {
    /// The value under `key`, if one is held and is a `T`.
    pub fn get<T: Any>(&self, key: &str) -> Option<&T> {
        self.entries.get(key)?.as_ref().as_any().downcast_ref()
    }

    pub fn get_mut<T: Any>(&mut self, key: &str) -> Option<&mut T> {
        self.entries
            .get_mut(key)?
            .as_mut()
            .as_any_mut()
            .downcast_mut()
    }

    pub fn contains(&self, key: &str) -> bool {
        self.entries.contains_key(key)
    }

    pub fn insert<T: SectionValue>(&mut self, key: &'static str, value: T) {
        self.entries.insert(key, Box::new(value));
    }

    pub(super) fn value(&self, key: &str) -> Option<&dyn SectionValue> {
        self.entries.get(key).map(AsRef::as_ref)
    }

    fn insert_boxed(&mut self, key: &'static str, value: Box<dyn SectionValue>) {
        self.entries.insert(key, value);
    }
}

impl Clone for Sections {
    fn clone(&self) -> Self {
        Self {
            entries: self
                .entries
                .iter()
                .map(|(key, value)| (*key, value.as_ref().clone_boxed()))
                .collect(),
        }
    }
}

impl fmt::Debug for Sections {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_map()
            .entries(
                self.entries
                    .iter()
                    .map(|(key, value)| (key, value.as_ref())),
            )
            .finish()
    }
}

/// A typed key into the [`Sections`] of one scope: the key a capability owns
/// there, and the type its value reads as.
pub struct Section<T> {
    pub scope: Scope,
    pub key: &'static str,
    value: PhantomData<fn() -> T>,
}

impl<T> Clone for Section<T> {
    fn clone(&self) -> Self {
        *self
    }
}

impl<T> Copy for Section<T> {}

impl<T: Any> Section<T> {
    pub const fn new(scope: Scope, key: &'static str) -> Self {
        Self {
            scope,
            key,
            value: PhantomData,
        }
    }

    /// The section's value in `sections` (of a platform, workload or
    /// namespace, by its scope), when the spec writes it.
    pub fn get<'s>(&self, sections: &'s Sections) -> Option<&'s T> {
        sections.get(self.key)
    }
}

/// Reads a section's value from its node: `root` is the whole tree and
/// `path` the keys leading to the node, for messages.
type ReadFn =
    fn(&Node, &Node, &[&str], Span, &Provenance) -> Result<Box<dyn SectionValue>, Vec<Diagnostic>>;

/// The data services of a section's value, by name, each with whether it
/// is enabled.
type CatalogueFn = fn(&dyn SectionValue) -> Vec<(String, bool)>;

/// A registered section: its key and scope, how it is read, and its part of
/// the editor schema.
#[derive(Clone, Copy)]
pub struct SectionType {
    pub scope: Scope,
    pub key: &'static str,
    /// What the key is for: its description in the editor schema.
    pub description: &'static str,
    read: ReadFn,
    schema: fn(&mut SchemaGenerator) -> Schema,
    /// For a section of data services by name (`postgres`): their names,
    /// each with whether it is enabled. Workloads name them in `uses`.
    catalogue: Option<CatalogueFn>,
}

impl fmt::Debug for SectionType {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("SectionType")
            .field("scope", &self.scope)
            .field("key", &self.key)
            .finish_non_exhaustive()
    }
}

impl SectionType {
    pub const fn of<T>(section: Section<T>, description: &'static str) -> Self
    where
        T: DeserializeOwned + JsonSchema + SectionValue + Clone,
    {
        Self {
            scope: section.scope,
            key: section.key,
            description,
            read: read_value::<T>,
            schema: schema_of::<T>,
            catalogue: None,
        }
    }

    /// A section of data services by name, each of which may be disabled:
    /// what workloads may name in `uses` besides workloads.
    pub const fn data_services<S>(
        section: Section<IndexMap<String, S>>,
        description: &'static str,
    ) -> Self
    where
        S: DeserializeOwned + JsonSchema + DataServiceSpec + SectionValue + Clone,
    {
        Self {
            catalogue: Some(catalogue_of::<S>),
            ..Self::of(section, description)
        }
    }

    pub(super) fn catalogue(&self, value: &dyn SectionValue) -> Option<Vec<(String, bool)>> {
        self.catalogue.map(|names| names(value))
    }

    /// The schema of the section's value, its definitions added to `generator`.
    pub fn schema(&self, generator: &mut SchemaGenerator) -> Schema {
        (self.schema)(generator)
    }

    pub(super) fn read_into(
        &self,
        sections: &mut Sections,
        value: (&Node, &Node, &[&str], Span),
        provenance: &Provenance,
    ) -> Result<(), Vec<Diagnostic>> {
        let (node, root, path, key_span) = value;
        let value = (self.read)(node, root, path, key_span, provenance)?;
        sections.insert_boxed(self.key, value);
        Ok(())
    }
}

fn read_value<T: DeserializeOwned + SectionValue>(
    node: &Node,
    root: &Node,
    path: &[&str],
    key_span: Span,
    provenance: &Provenance,
) -> Result<Box<dyn SectionValue>, Vec<Diagnostic>> {
    super::from_tree::from_subtree::<T>(node, root, path, key_span, provenance)
        .map(|value| Box::new(value) as Box<dyn SectionValue>)
}

fn catalogue_of<S: DataServiceSpec + 'static>(value: &dyn SectionValue) -> Vec<(String, bool)> {
    value
        .as_any()
        .downcast_ref::<IndexMap<String, S>>()
        .map(|services| {
            services
                .iter()
                .map(|(name, service)| (name.clone(), service.enabled()))
                .collect()
        })
        .unwrap_or_default()
}

/// The spec of one data service: a PostgreSQL cluster, a broker.
pub trait DataServiceSpec {
    /// Whether it runs in this environment (`enabled: false` leaves it out).
    fn enabled(&self) -> bool;
}

fn schema_of<T: JsonSchema>(generator: &mut SchemaGenerator) -> Schema {
    generator.subschema_for::<T>()
}

//! `Part`: a typed key into the capability-owned parts of the model, the
//! model's side of [`Sections`](crate::spec::Sections). A capability's
//! analysis stores its resolved part (a PostgreSQL cluster's model, a
//! workload's exposure) beside the core model, and its lowering reads it
//! back, typed; the model names no capability type.

use std::marker::PhantomData;

use crate::spec::{SectionValue, Sections};

/// A capability's part of a platform's, a namespace's or a workload's model,
/// by key.
pub struct Part<T> {
    pub key: &'static str,
    value: PhantomData<fn() -> T>,
}

impl<T> Clone for Part<T> {
    fn clone(&self) -> Self {
        *self
    }
}

impl<T> Copy for Part<T> {}

impl<T: SectionValue> Part<T> {
    pub const fn new(key: &'static str) -> Self {
        Self {
            key,
            value: PhantomData,
        }
    }

    pub fn get<'p>(&self, parts: &'p Sections) -> Option<&'p T> {
        parts.get(self.key)
    }

    pub fn get_mut<'p>(&self, parts: &'p mut Sections) -> Option<&'p mut T> {
        parts.get_mut(self.key)
    }

    pub fn set(&self, parts: &mut Sections, value: T) {
        parts.insert(self.key, value);
    }
}

impl<T: SectionValue + Default> Part<T> {
    /// The part, made empty first when there is none yet.
    pub fn get_or_default<'p>(&self, parts: &'p mut Sections) -> &'p mut T {
        if !parts.contains(self.key) {
            parts.insert(self.key, T::default());
        }
        parts.get_mut(self.key).expect("just inserted")
    }
}

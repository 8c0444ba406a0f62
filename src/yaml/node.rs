//! `Node`: our own spanned YAML tree. Every key and every value knows the bytes it
//! came from, so merge provenance, serde errors and semantic checks can all point
//! at the exact place in the exact file. Maps keep the order they were written in.

use indexmap::IndexMap;

use crate::source::Span;

#[derive(Clone, Debug, PartialEq)]
pub struct Node {
    pub span: Span,
    pub value: Value,
}

#[derive(Clone, Debug, PartialEq)]
pub enum Value {
    /// `~`, `null`, `Null`, `NULL` or nothing at all, written plain.
    Null,
    Scalar(Scalar),
    Seq(Vec<Node>),
    Map(Map),
}

/// A scalar's text as written, after YAML unescaping and folding. Its type is
/// decided later by what the spec expects at that place.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Scalar {
    pub text: String,
    /// Written in quotes or as a block scalar (`|`, `>`): always a string, never a
    /// number or boolean.
    pub quoted: bool,
}

/// A mapping with string keys, in file order. Keys are unique (the parser rejects
/// duplicates).
#[derive(Clone, Debug, PartialEq, Default)]
pub struct Map {
    pub entries: Entries,
}

/// A map's entries by key. Hashed with foldhash rather than the standard
/// library's SipHash: every key of a spec is hashed as it is parsed and again
/// at each lookup, and SipHash cost more than the lookups' compares. The
/// order is the insertion order whatever the hasher, and the seed is the
/// process's own, so no input can be written to collide on purpose.
pub type Entries = IndexMap<String, Entry, foldhash::fast::RandomState>;

#[derive(Clone, Debug, PartialEq)]
pub struct Entry {
    pub key_span: Span,
    pub value: Node,
}

impl Node {
    pub fn new(span: Span, value: Value) -> Self {
        Self { span, value }
    }

    pub fn as_map(&self) -> Option<&Map> {
        match &self.value {
            Value::Map(map) => Some(map),
            _ => None,
        }
    }

    pub fn as_map_mut(&mut self) -> Option<&mut Map> {
        match &mut self.value {
            Value::Map(map) => Some(map),
            _ => None,
        }
    }

    pub fn as_str(&self) -> Option<&str> {
        match &self.value {
            Value::Scalar(scalar) => Some(&scalar.text),
            _ => None,
        }
    }

    /// The child at `key`, if this is a map that has it.
    pub fn get(&self, key: &str) -> Option<&Node> {
        self.as_map()?.entries.get(key).map(|entry| &entry.value)
    }

    /// A short description of the kind of value, for "expected X, found Y".
    pub fn kind_name(&self) -> &'static str {
        match &self.value {
            Value::Null => "null",
            Value::Scalar(_) => "a scalar",
            Value::Seq(_) => "a list",
            Value::Map(_) => "a mapping",
        }
    }
}

impl Value {
    pub fn is_null(&self) -> bool {
        matches!(self, Value::Null)
    }
}

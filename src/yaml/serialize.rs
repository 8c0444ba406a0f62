//! Canonical YAML straight from any [`Serialize`] value, with no JSON tree in
//! between: the text is byte for byte what [`super::write::to_yaml`] writes for the
//! value's `serde_json::Value` (`serde_json::to_value`), at a fraction of the
//! cost (a tree allocates a node per map entry and is freed right after).
//!
//! The one difficulty is key order. A JSON tree sorts its keys; a struct
//! writes its fields in declaration order. So every map's entries are written
//! in the order they come, each entry's start and key are noted, and a map
//! whose keys did not come sorted has its entries' text reordered at its end
//! (a string sort of the entry texts, no re-serialization). Most maps come
//! sorted (Kubernetes' generated types declare fields alphabetically; every
//! `BTreeMap` iterates sorted), so the reordering is rare.
//!
//! Values serde_json would turn into something else are turned into the same
//! thing: non-finite floats into `null`, bytes into a sequence of numbers,
//! enum variants into one-entry maps, integer and boolean map keys into
//! strings.

use std::borrow::Cow;
use std::fmt::Display;

use serde::Serialize;
use serde::ser;
use serde_json::Number;

use super::write::{STEP, Slot, write_indent, write_key, write_number, write_string};

/// A value has no YAML rendering through serde_json's data model: a map key
/// that is not a string, a number, a boolean or a character, or an error of
/// the value's own `Serialize` implementation.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{0}")]
pub struct SerializeError(String);

impl ser::Error for SerializeError {
    fn custom<T: Display>(message: T) -> Self {
        Self(message.to_string())
    }
}

/// Renders `value` as one canonical YAML document, as [`super::write::to_yaml`]
/// renders `serde_json::to_value(value)`. At the root map, the entry `key`
/// of `replace` is written from its value instead of the object's own, and
/// each entry of `defaults` whose key the root lacks is added.
pub fn to_yaml_from<T, R>(
    value: &T,
    replace: Option<(&'static str, &R)>,
    defaults: &[(&'static str, &'static str)],
) -> Result<String, SerializeError>
where
    T: Serialize + ?Sized,
    R: Serialize + ?Sized,
{
    let write = |state: &mut State| {
        value.serialize(Root {
            node: Node {
                state,
                indent: 0,
                slot: Slot::Root,
            },
            replace,
            defaults,
        })
    };
    // Each thread writes into one buffer kept from object to object, and the
    // text leaves it in an allocation of its exact length: a string grown by
    // doubling would copy a large object's text several times over, and then
    // once more to give back the room it did not use.
    SCRATCH.with(|scratch| match scratch.try_borrow_mut() {
        Ok(mut state) => {
            state.out.clear();
            state.marks.clear();
            let written = write(&mut state);
            written.map(|()| state.out.as_str().to_owned())
        }
        // A value's own `Serialize` rendering another value.
        Err(_) => {
            let mut state = State::default();
            write(&mut state).map(|()| state.out)
        }
    })
}

thread_local! {
    static SCRATCH: std::cell::RefCell<State> = std::cell::RefCell::default();
}

/// The text written so far and the entries of the maps still open.
#[derive(Default)]
struct State {
    out: String,
    marks: Vec<Mark>,
}

/// Where an entry of an open map starts in the text, and its key.
struct Mark {
    start: usize,
    key: Cow<'static, str>,
}

/// A node about to be written right after its indicator (`key:`, `-`, or
/// nothing at the root); `indent` is the column of that key or `-`.
struct Node<'s> {
    state: &'s mut State,
    indent: usize,
    slot: Slot,
}

impl<'s> Node<'s> {
    fn scalar(self, text: &str) {
        if self.slot != Slot::Root {
            self.state.out.push(' ');
        }
        self.state.out.push_str(text);
        self.state.out.push('\n');
    }

    fn number(self, number: &Number) {
        if self.slot != Slot::Root {
            self.state.out.push(' ');
        }
        write_number(&mut self.state.out, number);
        self.state.out.push('\n');
    }

    fn map(self) -> MapWriter<'s> {
        let base = self.state.marks.len();
        MapWriter {
            base,
            indent: match self.slot {
                Slot::Root => 0,
                Slot::MapValue | Slot::SeqItem => self.indent + STEP,
            },
            slot: self.slot,
            sorted: true,
            state: self.state,
        }
    }

    fn seq(self) -> SeqWriter<'s> {
        SeqWriter {
            indent: match self.slot {
                Slot::Root => 0,
                Slot::MapValue | Slot::SeqItem => self.indent + STEP,
            },
            slot: self.slot,
            empty: true,
            state: self.state,
        }
    }
}

/// A map being written: its entries at column `indent`.
struct MapWriter<'s> {
    state: &'s mut State,
    /// Index of this map's first entry in `state.marks`.
    base: usize,
    indent: usize,
    /// Where the map sits, which decides what precedes its first entry.
    slot: Slot,
    /// Whether the keys so far came in sorted order.
    sorted: bool,
}

impl MapWriter<'_> {
    /// After `- `, the first entry shares the line of the `-`.
    fn first_inline(&self) -> bool {
        self.slot == Slot::SeqItem
    }

    fn has_key(&self, key: &str) -> bool {
        self.state.marks[self.base..].iter().any(|m| m.key == key)
    }

    /// Writes `key:`; the entry's value follows through [`Self::value`].
    fn key(&mut self, key: Cow<'static, str>) {
        let count = self.state.marks.len() - self.base;
        let indented = count > 0 || !self.first_inline();
        let out = &mut self.state.out;
        if count == 0 {
            match self.slot {
                Slot::Root => {}
                Slot::MapValue => out.push('\n'),
                Slot::SeqItem => out.push(' '),
            }
        } else if self.state.marks.last().is_some_and(|last| last.key > key) {
            self.sorted = false;
        }
        let start = out.len();
        if indented {
            write_indent(out, self.indent);
        }
        write_key(out, &key, self.indent);
        self.state.marks.push(Mark { start, key });
    }

    fn value<T: Serialize + ?Sized>(&mut self, value: &T) -> Result<(), SerializeError> {
        value.serialize(Node {
            state: self.state,
            indent: self.indent,
            slot: Slot::MapValue,
        })
    }

    fn finish(self) {
        if self.state.marks.len() == self.base {
            Node {
                state: self.state,
                indent: self.indent,
                slot: self.slot,
            }
            .scalar("{}");
            return;
        }
        if self.sorted {
            // The common case: nothing to move, and no copy of the marks.
            self.state.marks.truncate(self.base);
            return;
        }
        let marks = self.state.marks.split_off(self.base);
        let first = &marks[0];
        // Cut the entries' text out, each without the indentation of its
        // line, sort them by key, and write them back.
        let text = self.state.out.split_off(first.start);
        let offset = first.start;
        let mut entries: Vec<(&str, &str)> = marks
            .iter()
            .enumerate()
            .map(|(i, mark)| {
                let end = marks
                    .get(i + 1)
                    .map_or(text.len(), |next| next.start - offset);
                let entry = &text[mark.start - offset..end];
                let indented = i > 0 || !self.first_inline();
                let entry = if indented {
                    &entry[self.indent..]
                } else {
                    entry
                };
                (mark.key.as_ref(), entry)
            })
            .collect();
        // Keys are unique in a JSON map: a stable sort by key alone is total.
        entries.sort_by(|a, b| a.0.cmp(b.0));
        for (i, (_, entry)) in entries.iter().enumerate() {
            if i > 0 || !self.first_inline() {
                write_indent(&mut self.state.out, self.indent);
            }
            self.state.out.push_str(entry);
        }
    }
}

/// A sequence being written: its `-` at column `indent`.
struct SeqWriter<'s> {
    state: &'s mut State,
    indent: usize,
    slot: Slot,
    empty: bool,
}

impl SeqWriter<'_> {
    fn item<T: Serialize + ?Sized>(&mut self, value: &T) -> Result<(), SerializeError> {
        if self.empty && self.slot != Slot::Root {
            self.state.out.push('\n');
        }
        self.empty = false;
        write_indent(&mut self.state.out, self.indent);
        self.state.out.push('-');
        value.serialize(Node {
            state: self.state,
            indent: self.indent,
            slot: Slot::SeqItem,
        })
    }

    fn finish(self) {
        if self.empty {
            Node {
                state: self.state,
                indent: self.indent,
                slot: self.slot,
            }
            .scalar("[]");
        }
    }
}

/// An enum variant with content: a map of one entry, the variant's name.
struct Variant<'s, W> {
    map: MapWriter<'s>,
    inner: W,
}

impl<'s> ser::Serializer for Node<'s> {
    type Ok = ();
    type Error = SerializeError;
    type SerializeSeq = SeqWriter<'s>;
    type SerializeTuple = SeqWriter<'s>;
    type SerializeTupleStruct = SeqWriter<'s>;
    type SerializeTupleVariant = Variant<'s, Vec<serde_json::Value>>;
    type SerializeMap = MapWriter<'s>;
    type SerializeStruct = MapWriter<'s>;
    type SerializeStructVariant = Variant<'s, serde_json::Map<String, serde_json::Value>>;

    fn serialize_bool(self, v: bool) -> Result<(), SerializeError> {
        self.scalar(if v { "true" } else { "false" });
        Ok(())
    }

    fn serialize_i8(self, v: i8) -> Result<(), SerializeError> {
        self.serialize_i64(i64::from(v))
    }

    fn serialize_i16(self, v: i16) -> Result<(), SerializeError> {
        self.serialize_i64(i64::from(v))
    }

    fn serialize_i32(self, v: i32) -> Result<(), SerializeError> {
        self.serialize_i64(i64::from(v))
    }

    fn serialize_i64(self, v: i64) -> Result<(), SerializeError> {
        self.number(&Number::from(v));
        Ok(())
    }

    fn serialize_i128(self, v: i128) -> Result<(), SerializeError> {
        let number = i64::try_from(v)
            .map(Number::from)
            .or_else(|_| u64::try_from(v).map(Number::from))
            .map_err(|_| SerializeError(format!("{v} does not fit in 64 bits")))?;
        self.number(&number);
        Ok(())
    }

    fn serialize_u8(self, v: u8) -> Result<(), SerializeError> {
        self.serialize_u64(u64::from(v))
    }

    fn serialize_u16(self, v: u16) -> Result<(), SerializeError> {
        self.serialize_u64(u64::from(v))
    }

    fn serialize_u32(self, v: u32) -> Result<(), SerializeError> {
        self.serialize_u64(u64::from(v))
    }

    fn serialize_u64(self, v: u64) -> Result<(), SerializeError> {
        self.number(&Number::from(v));
        Ok(())
    }

    fn serialize_u128(self, v: u128) -> Result<(), SerializeError> {
        let number = u64::try_from(v)
            .map(Number::from)
            .map_err(|_| SerializeError(format!("{v} does not fit in 64 bits")))?;
        self.number(&number);
        Ok(())
    }

    fn serialize_f32(self, v: f32) -> Result<(), SerializeError> {
        self.serialize_f64(f64::from(v))
    }

    fn serialize_f64(self, v: f64) -> Result<(), SerializeError> {
        match Number::from_f64(v) {
            Some(number) => self.number(&number),
            None => self.scalar("null"),
        }
        Ok(())
    }

    fn serialize_char(self, v: char) -> Result<(), SerializeError> {
        self.serialize_str(v.encode_utf8(&mut [0; 4]))
    }

    fn serialize_str(self, v: &str) -> Result<(), SerializeError> {
        if self.slot != Slot::Root {
            self.state.out.push(' ');
        }
        write_string(&mut self.state.out, v, self.indent, self.slot);
        Ok(())
    }

    fn serialize_bytes(self, v: &[u8]) -> Result<(), SerializeError> {
        let mut seq = self.seq();
        for byte in v {
            seq.item(byte)?;
        }
        seq.finish();
        Ok(())
    }

    fn serialize_none(self) -> Result<(), SerializeError> {
        self.serialize_unit()
    }

    fn serialize_some<T: Serialize + ?Sized>(self, value: &T) -> Result<(), SerializeError> {
        value.serialize(self)
    }

    fn serialize_unit(self) -> Result<(), SerializeError> {
        self.scalar("null");
        Ok(())
    }

    fn serialize_unit_struct(self, _name: &'static str) -> Result<(), SerializeError> {
        self.serialize_unit()
    }

    fn serialize_unit_variant(
        self,
        _name: &'static str,
        _index: u32,
        variant: &'static str,
    ) -> Result<(), SerializeError> {
        self.serialize_str(variant)
    }

    fn serialize_newtype_struct<T: Serialize + ?Sized>(
        self,
        _name: &'static str,
        value: &T,
    ) -> Result<(), SerializeError> {
        value.serialize(self)
    }

    fn serialize_newtype_variant<T: Serialize + ?Sized>(
        self,
        _name: &'static str,
        _index: u32,
        variant: &'static str,
        value: &T,
    ) -> Result<(), SerializeError> {
        let mut map = self.map();
        map.key(Cow::Borrowed(variant));
        map.value(value)?;
        map.finish();
        Ok(())
    }

    fn serialize_seq(self, _len: Option<usize>) -> Result<SeqWriter<'s>, SerializeError> {
        Ok(self.seq())
    }

    fn serialize_tuple(self, _len: usize) -> Result<SeqWriter<'s>, SerializeError> {
        Ok(self.seq())
    }

    fn serialize_tuple_struct(
        self,
        _name: &'static str,
        _len: usize,
    ) -> Result<SeqWriter<'s>, SerializeError> {
        Ok(self.seq())
    }

    // Variants with several fields are rare enough (none in Kubernetes'
    // types) to go through a JSON tree.
    fn serialize_tuple_variant(
        self,
        _name: &'static str,
        _index: u32,
        variant: &'static str,
        _len: usize,
    ) -> Result<Self::SerializeTupleVariant, SerializeError> {
        let mut map = self.map();
        map.key(Cow::Borrowed(variant));
        Ok(Variant {
            map,
            inner: Vec::new(),
        })
    }

    fn serialize_map(self, _len: Option<usize>) -> Result<MapWriter<'s>, SerializeError> {
        Ok(self.map())
    }

    fn serialize_struct(
        self,
        _name: &'static str,
        _len: usize,
    ) -> Result<MapWriter<'s>, SerializeError> {
        Ok(self.map())
    }

    fn serialize_struct_variant(
        self,
        _name: &'static str,
        _index: u32,
        variant: &'static str,
        _len: usize,
    ) -> Result<Self::SerializeStructVariant, SerializeError> {
        let mut map = self.map();
        map.key(Cow::Borrowed(variant));
        Ok(Variant {
            map,
            inner: serde_json::Map::new(),
        })
    }
}

/// Sequences, tuples and tuple structs are all written as sequences.
macro_rules! sequence {
    ($($trait:ident :: $method:ident),*) => {$(
        impl ser::$trait for SeqWriter<'_> {
            type Ok = ();
            type Error = SerializeError;

            fn $method<T: Serialize + ?Sized>(&mut self, value: &T) -> Result<(), SerializeError> {
                self.item(value)
            }

            fn end(self) -> Result<(), SerializeError> {
                self.finish();
                Ok(())
            }
        }
    )*};
}

sequence!(
    SerializeSeq::serialize_element,
    SerializeTuple::serialize_element,
    SerializeTupleStruct::serialize_field
);

impl ser::SerializeMap for MapWriter<'_> {
    type Ok = ();
    type Error = SerializeError;

    fn serialize_key<T: Serialize + ?Sized>(&mut self, key: &T) -> Result<(), SerializeError> {
        let key = key_text(key)?;
        self.key(Cow::Owned(key));
        Ok(())
    }

    fn serialize_value<T: Serialize + ?Sized>(&mut self, value: &T) -> Result<(), SerializeError> {
        self.value(value)
    }

    fn end(self) -> Result<(), SerializeError> {
        self.finish();
        Ok(())
    }
}

impl ser::SerializeStruct for MapWriter<'_> {
    type Ok = ();
    type Error = SerializeError;

    fn serialize_field<T: Serialize + ?Sized>(
        &mut self,
        key: &'static str,
        value: &T,
    ) -> Result<(), SerializeError> {
        self.key(Cow::Borrowed(key));
        self.value(value)
    }

    fn end(self) -> Result<(), SerializeError> {
        self.finish();
        Ok(())
    }
}

fn to_value<T: Serialize + ?Sized>(value: &T) -> Result<serde_json::Value, SerializeError> {
    serde_json::to_value(value).map_err(|e| SerializeError(e.to_string()))
}

impl ser::SerializeTupleVariant for Variant<'_, Vec<serde_json::Value>> {
    type Ok = ();
    type Error = SerializeError;

    fn serialize_field<T: Serialize + ?Sized>(&mut self, value: &T) -> Result<(), SerializeError> {
        self.inner.push(to_value(value)?);
        Ok(())
    }

    fn end(mut self) -> Result<(), SerializeError> {
        self.map.value(&self.inner)?;
        self.map.finish();
        Ok(())
    }
}

impl ser::SerializeStructVariant for Variant<'_, serde_json::Map<String, serde_json::Value>> {
    type Ok = ();
    type Error = SerializeError;

    fn serialize_field<T: Serialize + ?Sized>(
        &mut self,
        key: &'static str,
        value: &T,
    ) -> Result<(), SerializeError> {
        self.inner.insert(key.to_owned(), to_value(value)?);
        Ok(())
    }

    fn end(mut self) -> Result<(), SerializeError> {
        self.map.value(&self.inner)?;
        self.map.finish();
        Ok(())
    }
}

/// The root of a document: a map whose entries may be replaced or added.
struct Root<'s, 'r, R: ?Sized> {
    node: Node<'s>,
    replace: Option<(&'static str, &'r R)>,
    defaults: &'r [(&'static str, &'static str)],
}

/// The root map: [`MapWriter`] with the root's replacement and defaults.
struct RootMap<'s, 'r, R: ?Sized> {
    map: MapWriter<'s>,
    replace: Option<(&'static str, &'r R)>,
    defaults: &'r [(&'static str, &'static str)],
    /// The `kind` entry, written and then set aside until a key that sorts
    /// after it comes (see [`HELD_KEY`]).
    held: Option<(Mark, String)>,
}

/// Kubernetes' types write `apiVersion` and `kind` before their other
/// fields, so a root map comes unsorted whenever a field sorts between
/// `apiVersion` and `kind` (a ConfigMap's `data`, a ServiceAccount's
/// `automountServiceAccountToken`), and its entries would be cut out and
/// written back, a dashboard's text with them. A root entry's text does not
/// depend on where it stands (no indentation, nothing before the first), so
/// the short `kind` entry is moved instead.
const HELD_KEY: &str = "kind";

impl<R: Serialize + ?Sized> RootMap<'_, '_, R> {
    fn field<T: Serialize + ?Sized>(
        &mut self,
        key: Cow<'static, str>,
        value: &T,
    ) -> Result<(), SerializeError> {
        if self.held.as_ref().is_some_and(|(held, _)| *held.key < *key) {
            self.release();
        }
        let replaced = self.replace.filter(|(name, _)| *name == key);
        let hold = key == HELD_KEY && self.held.is_none();
        let start = self.map.state.out.len();
        self.map.key(key);
        match replaced {
            Some((_, replacement)) => self.map.value(replacement)?,
            None => self.map.value(value)?,
        }
        if hold && let Some(mark) = self.map.state.marks.pop() {
            let text = self.map.state.out.split_off(start);
            self.held = Some((mark, text));
        }
        Ok(())
    }

    /// Writes the held entry where the map has come to.
    fn release(&mut self) {
        let Some((mut mark, text)) = self.held.take() else {
            return;
        };
        let state = &mut *self.map.state;
        if state.marks[self.map.base..]
            .last()
            .is_some_and(|last| last.key > mark.key)
        {
            self.map.sorted = false;
        }
        mark.start = state.out.len();
        state.out.push_str(&text);
        state.marks.push(mark);
    }

    fn finish(mut self) -> Result<(), SerializeError> {
        self.release();
        for (key, value) in self.defaults {
            if !self.map.has_key(key) {
                self.map.key(Cow::Borrowed(key));
                self.map.value(value)?;
            }
        }
        self.map.finish();
        Ok(())
    }
}

impl<R: Serialize + ?Sized> ser::SerializeStruct for RootMap<'_, '_, R> {
    type Ok = ();
    type Error = SerializeError;

    fn serialize_field<T: Serialize + ?Sized>(
        &mut self,
        key: &'static str,
        value: &T,
    ) -> Result<(), SerializeError> {
        self.field(Cow::Borrowed(key), value)
    }

    fn end(self) -> Result<(), SerializeError> {
        self.finish()
    }
}

impl<R: Serialize + ?Sized> ser::SerializeMap for RootMap<'_, '_, R> {
    type Ok = ();
    type Error = SerializeError;

    fn serialize_key<T: Serialize + ?Sized>(&mut self, _key: &T) -> Result<(), SerializeError> {
        Err(SerializeError(
            "a document's root map is written entry by entry".to_owned(),
        ))
    }

    fn serialize_value<T: Serialize + ?Sized>(&mut self, _value: &T) -> Result<(), SerializeError> {
        Err(SerializeError(
            "a document's root map is written entry by entry".to_owned(),
        ))
    }

    fn serialize_entry<K, V>(&mut self, key: &K, value: &V) -> Result<(), SerializeError>
    where
        K: Serialize + ?Sized,
        V: Serialize + ?Sized,
    {
        let key = key_text(key)?;
        self.field(Cow::Owned(key), value)
    }

    fn end(self) -> Result<(), SerializeError> {
        self.finish()
    }
}

/// Everything but a root map is written as any other node.
macro_rules! delegate {
    ($($method:ident($($arg:ident: $ty:ty),*) -> $ret:ty;)*) => {
        $(fn $method(self, $($arg: $ty),*) -> Result<$ret, SerializeError> {
            ser::Serializer::$method(self.node, $($arg),*)
        })*
    };
}

impl<'s, 'r, R: Serialize + ?Sized> ser::Serializer for Root<'s, 'r, R> {
    type Ok = ();
    type Error = SerializeError;
    type SerializeSeq = SeqWriter<'s>;
    type SerializeTuple = SeqWriter<'s>;
    type SerializeTupleStruct = SeqWriter<'s>;
    type SerializeTupleVariant = Variant<'s, Vec<serde_json::Value>>;
    type SerializeMap = RootMap<'s, 'r, R>;
    type SerializeStruct = RootMap<'s, 'r, R>;
    type SerializeStructVariant = Variant<'s, serde_json::Map<String, serde_json::Value>>;

    delegate! {
        serialize_bool(v: bool) -> ();
        serialize_i8(v: i8) -> ();
        serialize_i16(v: i16) -> ();
        serialize_i32(v: i32) -> ();
        serialize_i64(v: i64) -> ();
        serialize_i128(v: i128) -> ();
        serialize_u8(v: u8) -> ();
        serialize_u16(v: u16) -> ();
        serialize_u32(v: u32) -> ();
        serialize_u64(v: u64) -> ();
        serialize_u128(v: u128) -> ();
        serialize_f32(v: f32) -> ();
        serialize_f64(v: f64) -> ();
        serialize_char(v: char) -> ();
        serialize_str(v: &str) -> ();
        serialize_bytes(v: &[u8]) -> ();
        serialize_none() -> ();
        serialize_unit() -> ();
        serialize_unit_struct(name: &'static str) -> ();
        serialize_unit_variant(name: &'static str, index: u32, variant: &'static str) -> ();
        serialize_seq(len: Option<usize>) -> SeqWriter<'s>;
        serialize_tuple(len: usize) -> SeqWriter<'s>;
        serialize_tuple_struct(name: &'static str, len: usize) -> SeqWriter<'s>;
        serialize_tuple_variant(name: &'static str, index: u32, variant: &'static str, len: usize) -> Self::SerializeTupleVariant;
        serialize_struct_variant(name: &'static str, index: u32, variant: &'static str, len: usize) -> Self::SerializeStructVariant;
    }

    fn serialize_some<T: Serialize + ?Sized>(self, value: &T) -> Result<(), SerializeError> {
        value.serialize(self)
    }

    fn serialize_newtype_struct<T: Serialize + ?Sized>(
        self,
        _name: &'static str,
        value: &T,
    ) -> Result<(), SerializeError> {
        value.serialize(self)
    }

    fn serialize_newtype_variant<T: Serialize + ?Sized>(
        self,
        name: &'static str,
        index: u32,
        variant: &'static str,
        value: &T,
    ) -> Result<(), SerializeError> {
        ser::Serializer::serialize_newtype_variant(self.node, name, index, variant, value)
    }

    fn serialize_map(self, _len: Option<usize>) -> Result<Self::SerializeMap, SerializeError> {
        Ok(RootMap {
            map: self.node.map(),
            replace: self.replace,
            defaults: self.defaults,
            held: None,
        })
    }

    fn serialize_struct(
        self,
        _name: &'static str,
        _len: usize,
    ) -> Result<Self::SerializeStruct, SerializeError> {
        Ok(RootMap {
            map: self.node.map(),
            replace: self.replace,
            defaults: self.defaults,
            held: None,
        })
    }
}

/// A map key as serde_json writes it: strings as they are, numbers and
/// booleans as their text. serde_json's own key serializer decides what is
/// a key; its tree of a string key is that string, no more allocation than
/// the key's text needs.
fn key_text<T: Serialize + ?Sized>(key: &T) -> Result<String, SerializeError> {
    match to_value(key)? {
        serde_json::Value::String(text) => Ok(text),
        serde_json::Value::Number(number) => Ok(number.to_string()),
        serde_json::Value::Bool(value) => Ok(value.to_string()),
        _ => Err(SerializeError(
            "a map key must be a string, a number, a boolean or a character".to_owned(),
        )),
    }
}

#[cfg(test)]
mod tests {
    use std::collections::BTreeMap;

    use serde::Serialize;
    use serde_json::{Value, json};

    use super::to_yaml_from;
    use crate::yaml::write::to_yaml;

    /// The direct text of `value` is that of its JSON tree.
    fn same<T: Serialize>(value: &T) -> String {
        let direct = to_yaml_from::<_, ()>(value, None, &[]).expect("serializes");
        let tree = to_yaml(&serde_json::to_value(value).expect("serializes"));
        assert_eq!(direct, tree);
        direct
    }

    #[derive(Serialize)]
    #[serde(rename_all = "camelCase")]
    struct Unsorted {
        zeta: Vec<Inner>,
        alpha: Option<u32>,
        #[serde(skip_serializing_if = "Option::is_none")]
        skipped: Option<String>,
        middle: BTreeMap<String, Value>,
        empty_map: BTreeMap<String, String>,
        empty_seq: Vec<u8>,
        nested: Vec<Vec<Inner>>,
        text: String,
        float: f64,
        mode: Mode,
        shape: Shape,
    }

    #[derive(Serialize)]
    struct Inner {
        name: &'static str,
        b: bool,
        a: i64,
    }

    #[derive(Serialize)]
    enum Mode {
        Fast,
    }

    #[derive(Serialize)]
    enum Shape {
        Circle { radius: f64 },
    }

    #[test]
    fn every_shape_of_value_writes_as_its_json_tree() {
        let inner = || Inner {
            name: "x",
            b: true,
            a: -3,
        };
        let value = Unsorted {
            zeta: vec![inner(), inner()],
            alpha: None,
            skipped: None,
            middle: BTreeMap::from([
                (
                    "b".to_owned(),
                    json!({"y": [1, {"q": null, "p": "yes"}], "x": {}}),
                ),
                ("a".to_owned(), json!("multi\nline\n")),
            ]),
            empty_map: BTreeMap::new(),
            empty_seq: Vec::new(),
            nested: vec![vec![inner()], vec![]],
            text: "  leading".to_owned(),
            float: 1e300,
            mode: Mode::Fast,
            shape: Shape::Circle { radius: 1.5 },
        };
        let text = same(&value);
        assert!(
            text.starts_with("alpha: null\nemptyMap: {}\nemptySeq: []\n"),
            "{text}"
        );
        assert!(
            text.contains("zeta:\n  - a: -3\n    b: true\n    name: x\n"),
            "{text}"
        );
        same(&json!([{"b": 1, "a": [[], [{}]]}, "plain", 2.5, null]));
        same(&json!("root\nblock"));
        same(&json!({}));
        same(&(1, "two", [3u8]));
        same(&BTreeMap::from([(7, "seven"), (10, "ten")]));
    }

    #[test]
    fn a_long_key_moves_with_its_entry() {
        let long = "k".repeat(1200);
        let value = json!({ long.clone(): 1, "a": 2 });
        #[derive(Serialize)]
        struct Keys {
            z: Value,
            a: Vec<Value>,
        }
        same(&Keys {
            z: value.clone(),
            a: vec![value],
        });
    }

    #[test]
    fn the_root_takes_a_replacement_and_defaults() {
        #[derive(Serialize)]
        struct Object {
            spec: u32,
            metadata: BTreeMap<&'static str, &'static str>,
        }
        let replacement = BTreeMap::from([("name", "new")]);
        let text = to_yaml_from(
            &Object {
                spec: 1,
                metadata: BTreeMap::from([("name", "old")]),
            },
            Some(("metadata", &replacement)),
            &[("kind", "Thing"), ("spec", "unused")],
        )
        .expect("serializes");
        assert_eq!(text, "kind: Thing\nmetadata:\n  name: new\nspec: 1\n");
    }

    /// Fields in the order Kubernetes' types write them: `apiVersion` and
    /// `kind` first.
    #[derive(Serialize)]
    #[serde(rename_all = "camelCase")]
    struct KindFirst {
        api_version: &'static str,
        kind: &'static str,
        #[serde(skip_serializing_if = "Option::is_none")]
        automount: Option<bool>,
        #[serde(skip_serializing_if = "Option::is_none")]
        data: Option<BTreeMap<String, String>>,
        #[serde(skip_serializing_if = "Option::is_none")]
        metadata: Option<Value>,
        #[serde(skip_serializing_if = "Option::is_none")]
        zeta: Option<Vec<Inner>>,
    }

    #[test]
    fn the_kind_entry_takes_its_sorted_place_at_the_root() {
        let data = BTreeMap::from([("config.json".to_owned(), "{\n  \"a\": 1\n}\n".to_owned())]);
        let metadata = json!({"name": "x", "labels": {"b": "2", "a": "1"}});
        let zeta = || {
            vec![Inner {
                name: "n",
                b: true,
                a: -1,
            }]
        };
        for automount in [None, Some(false)] {
            for data in [None, Some(data.clone())] {
                for metadata in [None, Some(metadata.clone())] {
                    for zeta in [None, Some(zeta())] {
                        let value = KindFirst {
                            api_version: "v1",
                            kind: "ConfigMap",
                            automount,
                            data: data.clone(),
                            metadata: metadata.clone(),
                            zeta,
                        };
                        let text = same(&value);
                        // With a replacement and defaults too.
                        let replaced = to_yaml_from(
                            &value,
                            Some(("kind", "Other")),
                            &[("kind", "Unused"), ("apiVersion", "v2"), ("extra", "e")],
                        )
                        .expect("serializes");
                        let mut tree = serde_json::to_value(&value).expect("serializes");
                        tree["kind"] = json!("Other");
                        tree["extra"] = json!("e");
                        assert_eq!(replaced, to_yaml(&tree), "{text}");
                    }
                }
            }
        }
        // A root whose only entry is `kind`, and one where `kind` comes last.
        same(&json!({"kind": "K"}));
        same(&BTreeMap::from([("a", "1"), ("kind", "K")]));
    }

    #[test]
    fn a_map_key_that_is_not_text_is_an_error() {
        let value = BTreeMap::from([(vec![1], 2)]);
        assert!(to_yaml_from::<_, ()>(&value, None, &[]).is_err());
        // The thread's buffer is left as the error found it, and the next
        // value is written whole.
        same(&json!({"after": "an error", "list": [1, 2]}));
    }

    /// A value whose own rendering renders another value while the thread's
    /// buffer is in use.
    struct RendersInside(Value);

    impl Serialize for RendersInside {
        fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
            let inner =
                to_yaml_from::<_, ()>(&self.0, None, &[]).map_err(serde::ser::Error::custom)?;
            serializer.serialize_str(&inner)
        }
    }

    #[test]
    fn a_value_rendered_inside_another_is_written_apart() {
        let inner = json!({"b": [1, {"c": "d"}], "a": "x: y"});
        let outer = BTreeMap::from([
            ("config", RendersInside(inner.clone())),
            ("z", RendersInside(json!(1))),
        ]);
        let written = to_yaml_from::<_, ()>(&outer, None, &[]).expect("serializes");
        let expected = json!({"config": to_yaml(&inner), "z": "1\n"});
        assert_eq!(written, to_yaml(&expected));
        // And one after the other, each in the same buffer.
        for value in [json!({"k": "v"}), json!([1, 2, 3]), json!("text")] {
            same(&value);
        }
    }
}

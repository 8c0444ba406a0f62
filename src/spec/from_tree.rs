//! Tree → spec: a serde `Deserializer` over our spanned [`Node`] tree, so every
//! error lands on the exact key or value that caused it.
//!
//! Unknown fields are checked against the field list serde hands to
//! `deserialize_struct` *before* the struct is visited, so every unknown field in
//! the whole document is reported in one run (with a did-you-mean), not just the
//! first. A type error stops deserialization: serde cannot continue without a
//! value. Scalars are typed by what the spec expects at that place (a plain `8080`
//! is a number where a number is wanted and text where text is wanted), under
//! YAML 1.2 rules: `yes` and `on` are text, never booleans.
//!
//! A required key that an overlay removed (`key: null`) is missing from the
//! merged tree, so the tree alone would point at the base's mapping; with the
//! merge's [`Provenance`] the error points at the overlay's `key: null`, with
//! the base's key as a secondary label.

use std::cell::RefCell;
use std::fmt;

use indexmap::IndexMap;
use serde::de::{self, DeserializeOwned, DeserializeSeed, IntoDeserializer, Visitor};

use crate::diagnostic::{Code, Diagnostic, suggestion};
use crate::merge::{KeyPath, Provenance};
use crate::source::Span;
use crate::yaml::{Entry, Node, Value};

use super::section_keys::SectionKeys;

/// Deserializes `node` into `T`, or returns every problem found.
pub fn from_tree<T: DeserializeOwned>(node: &Node) -> Result<T, Vec<Diagnostic>> {
    from_merged_tree(node, &Provenance::default())
}

/// [`from_tree`] for a tree `merge` produced: errors caused by a key the
/// overlay removed point at the overlay line that removed it.
pub fn from_merged_tree<T: DeserializeOwned>(
    node: &Node,
    provenance: &Provenance,
) -> Result<T, Vec<Diagnostic>> {
    read_core(node, provenance, &SectionKeys::default())
}

/// [`from_merged_tree`] of the core of a platform spec: the keys sections
/// own (`section_keys`) are left to their sections, neither read nor
/// reported as unknown.
pub(super) fn read_core<T: DeserializeOwned>(
    node: &Node,
    provenance: &Provenance,
    section_keys: &SectionKeys,
) -> Result<T, Vec<Diagnostic>> {
    let sink = RefCell::new(Vec::new());
    let result = T::deserialize(NodeDeserializer {
        node,
        root: node,
        path: &Path::Root,
        key_span: None,
        sink: &sink,
        provenance,
        section_keys,
    });
    collect(result, sink)
}

/// Deserializes the value at `path` of the tree `root` (the node `node`,
/// the value of the key at `key_span`), with messages naming the whole path.
pub(super) fn from_subtree<T: DeserializeOwned>(
    node: &Node,
    root: &Node,
    path: &[&str],
    key_span: Span,
    provenance: &Provenance,
) -> Result<T, Vec<Diagnostic>> {
    read_at(
        node,
        root,
        path,
        key_span,
        provenance,
        &SectionKeys::default(),
    )
}

/// The entries of the mapping `field` of the platform `root`, each read into
/// `T` on its own, and on two threads when there are many: a
/// 10,000-workload spec reads in about half the time. The mapping itself is
/// checked as the core reader would (a list or a scalar there is an error,
/// a key with nothing after it an empty mapping, a control character in a
/// key an error), and each entry's values and errors are those of reading it
/// in place; only a type error in one entry no longer hides the others'.
pub(super) fn read_entries<T: DeserializeOwned + Send>(
    root: &Node,
    field: &str,
    provenance: &Provenance,
    section_keys: &SectionKeys,
) -> Result<IndexMap<String, T>, Vec<Diagnostic>> {
    let Value::Map(fields) = &root.value else {
        return Ok(IndexMap::new());
    };
    let Some(mapping) = fields.entries.get(field) else {
        return Ok(IndexMap::new());
    };
    let path = [field];
    let shape: Result<IndexMap<String, de::IgnoredAny>, _> = read_at(
        &mapping.value,
        root,
        &path,
        mapping.key_span,
        provenance,
        section_keys,
    );
    shape?;
    let Value::Map(entries) = &mapping.value.value else {
        return Ok(IndexMap::new());
    };
    let entries: Vec<(&String, &Entry)> = entries.entries.iter().collect();
    let read = crate::parallel::map_in_order(&entries, ENTRIES_AT_ONCE, |(name, entry)| {
        read_at::<T>(
            &entry.value,
            root,
            &[field, name.as_str()],
            entry.key_span,
            provenance,
            section_keys,
        )
    });
    let mut values = IndexMap::with_capacity(entries.len());
    let mut errors = Vec::new();
    for ((name, _), value) in entries.iter().zip(read) {
        match value {
            Ok(value) => {
                values.insert((*name).clone(), value);
            }
            Err(problems) => errors.extend(problems),
        }
    }
    if errors.is_empty() {
        Ok(values)
    } else {
        Err(errors)
    }
}

/// How many entries a thread of [`read_entries`] takes at a time: below two
/// such chunks, one thread reads them all.
const ENTRIES_AT_ONCE: usize = 64;

/// The value `node` at `path` of `root` (the value of the key at
/// `key_span`), read as its parent mapping's reader reads it.
fn read_at<T: DeserializeOwned>(
    node: &Node,
    root: &Node,
    path: &[&str],
    key_span: Span,
    provenance: &Provenance,
    section_keys: &SectionKeys,
) -> Result<T, Vec<Diagnostic>> {
    let sink = RefCell::new(Vec::new());
    let result = with_path(path, &Path::Root, &mut |path| {
        T::deserialize(NodeDeserializer {
            node,
            root,
            path,
            key_span: Some(key_span),
            sink: &sink,
            provenance,
            section_keys,
        })
        // Errors raised after the value was read (a custom type rejecting
        // it) carry no span yet: they belong to this value.
        .map_err(|e: DeError| e.located(node.span))
    });
    collect(result, sink)
}

fn with_path<R>(segments: &[&str], parent: &Path<'_>, f: &mut dyn FnMut(&Path<'_>) -> R) -> R {
    match segments.split_first() {
        None => f(parent),
        Some((first, rest)) => with_path(rest, &Path::Key(parent, first), f),
    }
}

fn collect<T>(
    result: Result<T, DeError>,
    sink: RefCell<Vec<Diagnostic>>,
) -> Result<T, Vec<Diagnostic>> {
    let mut errors = sink.into_inner();
    match result {
        Ok(value) if errors.is_empty() => Ok(value),
        Ok(_) => Err(errors),
        Err(error) => {
            errors.push(error.into_diagnostic());
            Err(errors)
        }
    }
}

/// Where in the document a node sits, for messages: `workloads.api.replicas`.
enum Path<'a> {
    Root,
    Key(&'a Path<'a>, &'a str),
    Index(&'a Path<'a>, usize),
}

impl Path<'_> {
    /// The key path from the root, list items by index.
    fn segments(&self) -> Vec<String> {
        match self {
            Path::Root => Vec::new(),
            Path::Key(parent, key) => {
                let mut segments = parent.segments();
                segments.push((*key).to_owned());
                segments
            }
            Path::Index(parent, index) => {
                let mut segments = parent.segments();
                segments.push(index.to_string());
                segments
            }
        }
    }
}

impl fmt::Display for Path<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Path::Root => Ok(()),
            // Keys quoted as `KeyPath` quotes them, so `a."b.c"` is one key.
            Path::Key(Path::Root, key) => crate::merge::write_segment(f, key),
            Path::Key(parent, key) => {
                write!(f, "{parent}.")?;
                crate::merge::write_segment(f, key)
            }
            Path::Index(parent, index) => write!(f, "{parent}[{index}]"),
        }
    }
}

/// A deserialization problem, located once it passes back through the
/// deserializer that owns the offending node.
#[derive(Debug)]
pub(super) struct DeError {
    code: Code,
    message: String,
    label: String,
    help: Option<String>,
    notes: Vec<String>,
    span: Option<Span>,
    secondary: Vec<(Span, String)>,
    /// For a missing field: its name, to look up whether an overlay removed it.
    missing: Option<&'static str>,
}

/// Spec text holds no control characters but tab and newline: they would
/// reach terminals through `explain` and diagnostics (an escape sequence can
/// rewrite what a reviewer sees) and no Kubernetes field needs them.
fn control_character(text: &str, what: &str) -> Option<DeError> {
    // Every string of the spec passes here: scan bytes first. C0 controls
    // and DEL are single bytes; C1 controls (U+0080 to U+009F) start 0xC2.
    let suspicious = text
        .bytes()
        .any(|b| (b < 0x20 && b != b'\t' && b != b'\n') || b == 0x7F || b == 0xC2);
    if !suspicious {
        return None;
    }
    let found = text
        .chars()
        .find(|c| c.is_control() && !matches!(c, '\t' | '\n'))?;
    Some(
        DeError::new(
            Code::InvalidValue,
            format!(
                "the {what} holds the control character U+{:04X}",
                u32::from(found)
            ),
            "control character",
        )
        .with_help_text("spec text may hold tabs and line breaks, but no other control characters"),
    )
}

impl DeError {
    fn with_help_text(mut self, help: &str) -> Self {
        self.help = Some(help.to_owned());
        self
    }

    fn new(code: Code, message: impl Into<String>, label: impl Into<String>) -> Self {
        Self {
            code,
            message: message.into(),
            label: label.into(),
            help: None,
            notes: Vec::new(),
            span: None,
            secondary: Vec::new(),
            missing: None,
        }
    }

    fn help(mut self, help: impl Into<String>) -> Self {
        self.help = Some(help.into());
        self
    }

    fn located(mut self, span: Span) -> Self {
        self.span.get_or_insert(span);
        self
    }

    fn into_diagnostic(self) -> Diagnostic {
        let mut diagnostic = Diagnostic::error(self.code, self.message).with_help_opt(self.help);
        diagnostic.notes = self.notes;
        for (span, label) in self.secondary {
            diagnostic = diagnostic.with_secondary(span, label);
        }
        match self.span {
            Some(span) => diagnostic.at(span, self.label),
            None => diagnostic,
        }
    }
}

impl fmt::Display for DeError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message)
    }
}

impl std::error::Error for DeError {}

fn describe(unexpected: &de::Unexpected<'_>) -> String {
    match unexpected {
        de::Unexpected::Str(text) => format!("`{}`", shorten(text)),
        other => other.to_string(),
    }
}

fn shorten(text: &str) -> String {
    let mut short: String = text.chars().take(40).collect();
    if short.len() < text.len() {
        short.push('…');
    }
    short.replace('\n', "\\n")
}

impl de::Error for DeError {
    fn custom<T: fmt::Display>(message: T) -> Self {
        DeError::new(Code::InvalidValue, message.to_string(), "invalid value")
    }

    fn invalid_type(unexpected: de::Unexpected<'_>, expected: &dyn de::Expected) -> Self {
        DeError::new(
            Code::WrongType,
            format!("expected {expected}, found {}", describe(&unexpected)),
            format!("expected {expected}"),
        )
    }

    fn invalid_value(unexpected: de::Unexpected<'_>, expected: &dyn de::Expected) -> Self {
        // Custom spec types describe themselves through `expected`; give their
        // errors the specific code users look up.
        let expected_text = expected.to_string();
        let code = if expected_text.contains("Kubernetes quantity") {
            Code::InvalidQuantity
        } else if expected_text.contains("Kubernetes version") {
            Code::UnsupportedVersion
        } else {
            Code::InvalidValue
        };
        DeError::new(
            code,
            format!(
                "invalid value {}: expected {expected}",
                describe(&unexpected)
            ),
            format!("expected {expected}"),
        )
    }

    fn unknown_variant(variant: &str, expected: &'static [&'static str]) -> Self {
        unknown_word_error(Code::InvalidValue, "value", variant, expected)
    }

    fn unknown_field(field: &str, expected: &'static [&'static str]) -> Self {
        unknown_word_error(Code::UnknownField, "field", field, expected)
    }

    fn missing_field(field: &'static str) -> Self {
        let mut error = DeError::new(
            Code::MissingField,
            format!("missing field `{field}`"),
            format!("`{field}` is required here"),
        );
        error.missing = Some(field);
        error
    }
}

fn one_of(expected: &[&str]) -> String {
    expected
        .iter()
        .map(|word| format!("`{word}`"))
        .collect::<Vec<_>>()
        .join(", ")
}

fn unknown_word_error(code: Code, what: &str, word: &str, expected: &[&str]) -> DeError {
    let mut error = DeError::new(
        code,
        format!("unknown {what} `{word}`"),
        format!("unknown {what}"),
    );
    error.help = suggestion::did_you_mean(word, expected.iter().copied())
        .or_else(|| super::habits::hint(word, expected));
    error.notes.push(if expected.is_empty() {
        format!("no {what}s are allowed here")
    } else {
        format!("expected one of {}", one_of(expected))
    });
    error
}

struct NodeDeserializer<'n, 'p> {
    node: &'n Node,
    /// The whole tree, to name the siblings of an entry in messages.
    root: &'n Node,
    path: &'p Path<'p>,
    /// Span of the key this node is the value of: where a "missing field" error
    /// for this mapping is best shown.
    key_span: Option<Span>,
    sink: &'n RefCell<Vec<Diagnostic>>,
    provenance: &'n Provenance,
    /// Keys of the mappings of a platform, a workload and a namespace that
    /// capabilities' sections own.
    section_keys: &'n SectionKeys,
}

impl NodeDeserializer<'_, '_> {
    fn found(&self) -> String {
        match &self.node.value {
            Value::Null => "null".to_owned(),
            // A secret value is never echoed, not even when it is misplaced.
            Value::Scalar(scalar) if self.is_secret(&scalar.text) => {
                "a value that is not shown (it may be a secret)".to_owned()
            }
            Value::Scalar(scalar) if scalar.quoted => {
                format!("the string \"{}\"", shorten(&scalar.text))
            }
            Value::Scalar(scalar) => format!("`{}`", shorten(&scalar.text)),
            Value::Seq(_) => "a list".to_owned(),
            Value::Map(_) => "a mapping".to_owned(),
        }
    }

    fn type_error(&self, expected: &str) -> DeError {
        let mut error = DeError::new(
            Code::WrongType,
            format!(
                "expected {expected} at `{}`, found {}",
                self.path,
                self.found()
            ),
            format!("expected {expected}"),
        )
        .located(self.node.span);
        if let Value::Scalar(scalar) = &self.node.value {
            if scalar.quoted
                && expected.contains("integer")
                && scalar.text.trim().parse::<i64>().is_ok()
            {
                error = error.help("remove the quotes: a quoted value is text");
            }
            if expected.contains("boolean")
                && !self.is_secret(&scalar.text)
                && ["yes", "no", "on", "off", "y", "n"]
                    .contains(&scalar.text.to_ascii_lowercase().as_str())
            {
                error = error.help(format!(
                    "YAML 1.2 reads `{}` as text: write `true` or `false`",
                    scalar.text
                ));
            }
        }
        error
    }

    /// Whether the scalar `text` of this node may be a secret value (see
    /// `redaction`).
    fn is_secret(&self, text: &str) -> bool {
        crate::spec::redaction::is_secret_value(&self.path.segments(), text)
    }

    /// The text of a plain (unquoted) scalar, for numbers and booleans.
    fn plain(&self, expected: &str) -> Result<&str, DeError> {
        match &self.node.value {
            Value::Scalar(scalar) if !scalar.quoted => Ok(scalar.text.trim()),
            _ => Err(self.type_error(expected)),
        }
    }

    fn integer(&self, expected: &str, min: i128, max: i128) -> Result<i128, DeError> {
        let text = self.plain(expected)?;
        let value: i128 = text.parse().map_err(|_| self.type_error(expected))?;
        if value < min || value > max {
            let message = if value < 0 && min == 0 {
                format!("`{text}` is negative: expected {expected}")
            } else {
                format!("`{text}` is out of range: expected {expected} from {min} to {max}")
            };
            return Err(DeError::new(
                Code::InvalidValue,
                message,
                format!("must be from {min} to {max}"),
            )
            .located(self.node.span));
        }
        Ok(value)
    }

    fn child<'c>(
        &'c self,
        node: &'c Node,
        path: &'c Path<'c>,
        key_span: Option<Span>,
    ) -> NodeDeserializer<'c, 'c> {
        NodeDeserializer {
            node,
            root: self.root,
            path,
            key_span,
            sink: self.sink,
            provenance: self.provenance,
            section_keys: self.section_keys,
        }
    }
}

macro_rules! integer_methods {
    ($($method:ident => $visit:ident, $ty:ty, $max:expr, $name:literal;)*) => {
        $(
            fn $method<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, DeError> {
                let value = self.integer($name, <$ty>::MIN as i128, $max as i128)?;
                let value = <$ty>::try_from(value).map_err(|_| self.type_error($name))?;
                visitor.$visit(value).map_err(|e: DeError| e.located(self.node.span))
            }
        )*
    };
}

impl<'de> de::Deserializer<'de> for NodeDeserializer<'_, '_> {
    type Error = DeError;

    fn deserialize_any<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, DeError> {
        let span = self.node.span;
        let result: Result<V::Value, DeError> = match &self.node.value {
            Value::Null => visitor.visit_unit(),
            Value::Scalar(scalar) if scalar.quoted => visitor.visit_str(&scalar.text),
            Value::Scalar(scalar) => {
                let text = scalar.text.as_str();
                if matches!(text, "true" | "True" | "TRUE") {
                    visitor.visit_bool(true)
                } else if matches!(text, "false" | "False" | "FALSE") {
                    visitor.visit_bool(false)
                } else if let Ok(number) = text.parse::<i64>() {
                    visitor.visit_i64(number)
                } else if let Ok(number) = text.parse::<u64>() {
                    visitor.visit_u64(number)
                } else if text
                    .chars()
                    .next()
                    .is_some_and(|c| c.is_ascii_digit() || c == '-' || c == '.')
                    && let Ok(number) = text.parse::<f64>()
                    && number.is_finite()
                {
                    visitor.visit_f64(number)
                } else {
                    visitor.visit_str(text)
                }
            }
            Value::Seq(_) => return self.deserialize_seq(visitor),
            Value::Map(_) => return self.deserialize_map(visitor),
        };
        result.map_err(|e: DeError| e.located(span))
    }

    fn deserialize_bool<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, DeError> {
        let value = match self.plain("a boolean (`true` or `false`)")? {
            "true" | "True" | "TRUE" => true,
            "false" | "False" | "FALSE" => false,
            _ => return Err(self.type_error("a boolean (`true` or `false`)")),
        };
        visitor
            .visit_bool(value)
            .map_err(|e: DeError| e.located(self.node.span))
    }

    integer_methods! {
        deserialize_i8 => visit_i8, i8, i8::MAX, "an integer";
        deserialize_i16 => visit_i16, i16, i16::MAX, "an integer";
        deserialize_i32 => visit_i32, i32, i32::MAX, "an integer";
        deserialize_i64 => visit_i64, i64, i64::MAX, "an integer";
        deserialize_u8 => visit_u8, u8, u8::MAX, "a non-negative integer";
        deserialize_u16 => visit_u16, u16, u16::MAX, "a non-negative integer";
        // Every count in the spec (replicas, seconds, thresholds) ends up in
        // a Kubernetes int32 field: a larger value would be clamped silently.
        deserialize_u32 => visit_u32, u32, i32::MAX, "a non-negative integer";
        deserialize_u64 => visit_u64, u64, u64::MAX, "a non-negative integer";
    }

    fn deserialize_f32<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, DeError> {
        self.deserialize_f64(visitor)
    }

    fn deserialize_f64<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, DeError> {
        let number: f64 = self
            .plain("a number")?
            .parse()
            .map_err(|_| self.type_error("a number"))?;
        visitor
            .visit_f64(number)
            .map_err(|e: DeError| e.located(self.node.span))
    }

    fn deserialize_char<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, DeError> {
        self.deserialize_str(visitor)
    }

    fn deserialize_str<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, DeError> {
        match &self.node.value {
            Value::Scalar(scalar) => {
                if let Some(error) = control_character(&scalar.text, "value") {
                    return Err(error.located(self.node.span));
                }
                visitor
                    .visit_str(&scalar.text)
                    .map_err(|e: DeError| e.located(self.node.span))
            }
            _ => Err(self.type_error("text")),
        }
    }

    fn deserialize_string<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, DeError> {
        self.deserialize_str(visitor)
    }

    fn deserialize_bytes<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, DeError> {
        self.deserialize_str(visitor)
    }

    fn deserialize_byte_buf<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, DeError> {
        self.deserialize_str(visitor)
    }

    fn deserialize_option<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, DeError> {
        if self.node.value.is_null() {
            visitor.visit_none()
        } else {
            visitor.visit_some(self)
        }
    }

    fn deserialize_unit<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, DeError> {
        match self.node.value {
            Value::Null => visitor.visit_unit(),
            _ => Err(self.type_error("null")),
        }
    }

    fn deserialize_unit_struct<V: Visitor<'de>>(
        self,
        _name: &'static str,
        visitor: V,
    ) -> Result<V::Value, DeError> {
        self.deserialize_unit(visitor)
    }

    fn deserialize_newtype_struct<V: Visitor<'de>>(
        self,
        _name: &'static str,
        visitor: V,
    ) -> Result<V::Value, DeError> {
        visitor.visit_newtype_struct(self)
    }

    fn deserialize_seq<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, DeError> {
        let span = self.node.span;
        let items: &[Node] = match &self.node.value {
            Value::Seq(items) => items,
            // A key with nothing after it (`uses:`) reads as an empty list.
            Value::Null => &[],
            _ => return Err(self.type_error("a list")),
        };
        visitor
            .visit_seq(SeqReader {
                items: items.iter().enumerate(),
                parent: &self,
            })
            .map_err(|e: DeError| e.located(span))
    }

    fn deserialize_tuple<V: Visitor<'de>>(
        self,
        _len: usize,
        visitor: V,
    ) -> Result<V::Value, DeError> {
        self.deserialize_seq(visitor)
    }

    fn deserialize_tuple_struct<V: Visitor<'de>>(
        self,
        _name: &'static str,
        _len: usize,
        visitor: V,
    ) -> Result<V::Value, DeError> {
        self.deserialize_seq(visitor)
    }

    fn deserialize_map<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, DeError> {
        self.visit_entries(None, visitor)
    }

    fn deserialize_struct<V: Visitor<'de>>(
        self,
        _name: &'static str,
        fields: &'static [&'static str],
        visitor: V,
    ) -> Result<V::Value, DeError> {
        self.visit_entries(Some(fields), visitor)
    }

    fn deserialize_enum<V: Visitor<'de>>(
        self,
        _name: &'static str,
        variants: &'static [&'static str],
        visitor: V,
    ) -> Result<V::Value, DeError> {
        let text = match &self.node.value {
            Value::Scalar(scalar) => scalar.text.as_str(),
            _ => return Err(self.type_error(&format!("one of {}", one_of(variants)))),
        };
        if !variants.contains(&text) {
            return Err(
                unknown_word_error(Code::InvalidValue, "value", text, variants)
                    .located(self.node.span),
            );
        }
        visitor
            .visit_enum(text.into_deserializer())
            .map_err(|e: DeError| e.located(self.node.span))
    }

    fn deserialize_identifier<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, DeError> {
        self.deserialize_str(visitor)
    }

    fn deserialize_ignored_any<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, DeError> {
        visitor.visit_unit()
    }
}

impl<'de> NodeDeserializer<'_, '_> {
    /// The keys sections own in the mapping this node is, by where it sits.
    fn section_keys_here(&self) -> &[&'static str] {
        match self.path {
            Path::Root => &self.section_keys.platform,
            Path::Key(Path::Key(Path::Root, "workloads"), _) => &self.section_keys.workload,
            Path::Key(Path::Key(Path::Root, "namespaces"), _) => &self.section_keys.namespace,
            _ => &[],
        }
    }

    fn visit_entries<V: Visitor<'de>>(
        self,
        fields: Option<&'static [&'static str]>,
        visitor: V,
    ) -> Result<V::Value, DeError> {
        let span = self.node.span;
        let empty = crate::yaml::Map::default();
        let map = match &self.node.value {
            Value::Map(map) => map,
            // A key with nothing after it (`probes:`) reads as an empty mapping.
            Value::Null => &empty,
            _ => return Err(self.type_error("a mapping")),
        };
        for (key, entry) in &map.entries {
            if let Some(error) = control_character(key, "key") {
                self.sink
                    .borrow_mut()
                    .push(error.located(entry.key_span).into_diagnostic());
            }
        }
        if let Some(fields) = fields {
            let sections = self.section_keys_here();
            for (key, entry) in &map.entries {
                if !fields.contains(&key.as_str()) && !sections.contains(&key.as_str()) {
                    let error = if sections.is_empty() {
                        <DeError as de::Error>::unknown_field(key, fields)
                    } else {
                        let mut expected = fields.to_vec();
                        expected.extend_from_slice(sections);
                        unknown_word_error(Code::UnknownField, "field", key, &expected)
                    };
                    self.sink
                        .borrow_mut()
                        .push(error.located(entry.key_span).into_diagnostic());
                }
            }
        }
        let reader = MapReader {
            entries: map.entries.iter(),
            fields,
            current: None,
            parent: &self,
        };
        visitor.visit_map(reader).map_err(|mut e| {
            if e.code == Code::MissingField && e.span.is_none() {
                if let Some(removed) = e.missing.and_then(|field| self.removed(field)) {
                    let field = e.missing.unwrap_or_default();
                    e.label = format!("the overlay removes `{field}`, which is required");
                    e.span = Some(removed.by);
                    e.secondary
                        .push((removed.base_key, "set here in the base".to_owned()));
                    e.help = Some(format!(
                        "give `{field}` a value in the overlay instead of `null`, or leave it out to keep the base's"
                    ));
                } else {
                    e.label = format!("{} (in `{}`)", e.label, self.path);
                    e.span = Some(self.key_span.unwrap_or(span));
                    if let Some(help) = self.new_in_overlay() {
                        e.help = Some(help);
                    }
                }
            }
            e.located(span)
        })
    }

    /// For a mapping the overlay brought in whole, under a key the base does
    /// not have (`helth-api` under `workloads`), the likely reason a required
    /// field is missing: a misspelt name starts a new entry instead of
    /// changing the base's.
    fn new_in_overlay(&self) -> Option<String> {
        let key_span = self.key_span?;
        if !self.provenance.set_by_overlay(key_span)
            || !self.provenance.set_by_overlay(self.node.span)
        {
            return None;
        }
        let mut segments = self.path.segments();
        let name = segments.pop()?;
        let parent: Vec<&str> = segments.iter().map(String::as_str).collect();
        let siblings = crate::merge::find(self.root, &parent)?.as_map()?;
        let written_in_base = siblings
            .entries
            .iter()
            .filter(|(key, entry)| **key != name && !self.provenance.set_by_overlay(entry.key_span))
            .map(|(key, _)| key.as_str());
        let closest = suggestion::closest(&name, written_in_base)?;
        Some(format!(
            "`{name}` is not in the base, so the overlay starts a new entry: did you mean `{closest}`?"
        ))
    }

    /// The overlay's removal of `field` of this mapping, if it removed it.
    fn removed(&self, field: &str) -> Option<crate::merge::Removed> {
        let mut path: KeyPath = self.path.segments().into_iter().collect();
        path.push(field);
        self.provenance.removed(&path).copied()
    }
}

struct MapReader<'r, 'n, 'p, I> {
    entries: I,
    fields: Option<&'static [&'static str]>,
    current: Option<(&'r String, &'r Entry)>,
    parent: &'r NodeDeserializer<'n, 'p>,
}

impl<'de, 'r, I> de::MapAccess<'de> for MapReader<'r, '_, '_, I>
where
    I: Iterator<Item = (&'r String, &'r Entry)>,
{
    type Error = DeError;

    fn next_key_seed<K: DeserializeSeed<'de>>(
        &mut self,
        seed: K,
    ) -> Result<Option<K::Value>, DeError> {
        for (key, entry) in self.entries.by_ref() {
            // Unknown fields were reported up front; skip them so the rest of the
            // document is still checked.
            if self
                .fields
                .is_some_and(|fields| !fields.contains(&key.as_str()))
            {
                continue;
            }
            // A field read apart is read elsewhere (`read_entries`).
            if matches!(self.parent.path, Path::Root)
                && self.parent.section_keys.read_apart.contains(&key.as_str())
            {
                continue;
            }
            self.current = Some((key, entry));
            let key_deserializer: de::value::StrDeserializer<'_, DeError> =
                key.as_str().into_deserializer();
            return seed
                .deserialize(key_deserializer)
                .map(Some)
                .map_err(|e: DeError| e.located(entry.key_span));
        }
        Ok(None)
    }

    fn next_value_seed<V: DeserializeSeed<'de>>(&mut self, seed: V) -> Result<V::Value, DeError> {
        let (key, entry) = self
            .current
            .take()
            .expect("serde calls next_value only after next_key returned a key");
        let path = Path::Key(self.parent.path, key);
        let child = self.parent.child(&entry.value, &path, Some(entry.key_span));
        // Errors raised after the value was read (a custom type rejecting it)
        // carry no span yet: they belong to this value.
        seed.deserialize(child)
            .map_err(|e: DeError| e.located(entry.value.span))
    }

    /// A map's number of entries, so a collection is allocated once at its
    /// size rather than grown (and its entries, a workload's spec among
    /// them, copied) as it fills. None for a struct, whose unknown fields
    /// are skipped.
    fn size_hint(&self) -> Option<usize> {
        exact_length(&self.entries).filter(|_| self.fields.is_none())
    }
}

/// The number of items left in `items`, when it knows it exactly.
fn exact_length<I: Iterator>(items: &I) -> Option<usize> {
    match items.size_hint() {
        (lower, Some(upper)) if lower == upper => Some(lower),
        _ => None,
    }
}

struct SeqReader<'r, 'n, 'p, I> {
    items: I,
    parent: &'r NodeDeserializer<'n, 'p>,
}

impl<'de, 'r, I> de::SeqAccess<'de> for SeqReader<'r, '_, '_, I>
where
    I: Iterator<Item = (usize, &'r Node)>,
{
    type Error = DeError;

    fn next_element_seed<T: DeserializeSeed<'de>>(
        &mut self,
        seed: T,
    ) -> Result<Option<T::Value>, DeError> {
        let Some((index, node)) = self.items.next() else {
            return Ok(None);
        };
        let path = Path::Index(self.parent.path, index);
        let child = self.parent.child(node, &path, None);
        seed.deserialize(child)
            .map(Some)
            .map_err(|e: DeError| e.located(node.span))
    }

    fn size_hint(&self) -> Option<usize> {
        exact_length(&self.items)
    }
}

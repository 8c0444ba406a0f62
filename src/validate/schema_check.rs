//! Validation of a JSON value against one of the vendored schemas, by
//! walking the value and the schema together. The schemas use a small part
//! of JSON Schema (listed in `check`), so they are interpreted rather than
//! compiled: a run pays for the parts of the schemas its objects reach, not
//! for whole schemas (a CloudNativePG `Cluster` schema is larger than most
//! renders). Messages follow Python's `jsonschema`, which the test suite
//! compares against (`scripts/validate_manifests.py`).

use std::collections::BTreeMap;
use std::sync::{Mutex, OnceLock};

use serde_json::Value;

use super::schema_node::{Additional, At, Compiler, LazyNode, Reference, SchemaNode};

/// One violation: the JSON pointer of the value, and what is wrong.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub struct Violation {
    pub pointer: String,
    pub message: String,
}

/// The definitions `$ref`s resolve to, each read into a `SchemaNode` when a
/// value first reaches it: a render touches a fraction of the schemas, and
/// reading every one would cost more than the rest of a small `check`.
pub(super) struct Definitions {
    /// Sorted by name; a `$ref` is the index of its definition here.
    definitions: Vec<LazyNode>,
    compiler: Compiler,
}

/// A step of the path from an object's root to the value being checked;
/// turned into a JSON pointer only for a violation.
#[derive(Debug, Clone, Copy)]
enum Step<'v> {
    Key(&'v str),
    Index(usize),
}

/// What a check finds: every violation, or only whether there is one (for
/// `anyOf`, `oneOf` and `not` branches, whose messages nobody reads).
enum Findings {
    Every(Vec<Violation>),
    Any(bool),
}

impl Findings {
    fn report(&mut self, path: &[Step<'_>], message: impl FnOnce() -> String) {
        match self {
            Findings::Every(found) => found.push(Violation {
                pointer: pointer(path),
                message: message(),
            }),
            Findings::Any(found) => *found = true,
        }
    }

    /// True once a check that only asks whether there is a violation has
    /// its answer.
    fn settled(&self) -> bool {
        matches!(self, Findings::Any(true))
    }
}

impl Definitions {
    /// The definitions, each its name and its text.
    pub(super) fn new(definitions: BTreeMap<&'static str, &'static str>) -> Self {
        let index = definitions
            .keys()
            .enumerate()
            .map(|(index, name)| (*name, index))
            .collect();
        let texts: Vec<&'static str> = definitions.into_values().collect();
        Self {
            // The root of each definition's index is its first value; the
            // set holds a few hundred definitions, so indexes fit in `u32`.
            definitions: (0..texts.len())
                .map(|definition| {
                    LazyNode::new(At {
                        definition: definition as u32,
                        value: 0,
                    })
                })
                .collect(),
            compiler: Compiler {
                definitions: index,
                indexes: texts.iter().map(|_| OnceLock::new()).collect(),
                texts,
                patterns: Mutex::new(BTreeMap::new()),
            },
        }
    }

    /// The index of the definition `name`, if there is one.
    pub(super) fn index_of(&self, name: &str) -> Option<usize> {
        self.compiler.definitions.get(name).copied()
    }

    /// The definition at `index`, read on first use.
    fn node(&self, index: usize) -> &SchemaNode {
        self.definitions[index].get(&self.compiler)
    }

    /// `schema`, read on first use.
    fn read<'s>(&'s self, schema: &'s LazyNode) -> &'s SchemaNode {
        schema.get(&self.compiler)
    }

    /// Every violation of the definition at `index` by `value`.
    pub(super) fn violations(&self, index: usize, value: &Value) -> Vec<Violation> {
        let mut findings = Findings::Every(Vec::new());
        self.check(self.node(index), value, &mut Vec::new(), &mut findings);
        match findings {
            Findings::Every(found) => found,
            Findings::Any(_) => unreachable!("collected above"),
        }
    }

    fn check<'v>(
        &self,
        schema: &SchemaNode,
        value: &'v Value,
        path: &mut Vec<Step<'v>>,
        out: &mut Findings,
    ) {
        if out.settled() {
            return;
        }
        if let Some(accepts) = schema.constant {
            if !accepts {
                out.report(path, || format!("{} is not allowed", short(value)));
            }
            return;
        }
        match &schema.reference {
            Some(Reference::Definition(index)) => self.check(self.node(*index), value, path, out),
            Some(Reference::Unresolvable(reference)) => {
                out.report(path, || {
                    format!("unresolvable schema reference {reference}")
                });
            }
            None => {}
        }
        if let Some(types) = &schema.types
            && !types.admit(value)
        {
            out.report(path, || {
                format!("{} is not of type {}", short(value), types.names)
            });
            // Nothing else of the schema means anything for this value.
            return;
        }
        if let Some(allowed) = &schema.allowed
            && !allowed.iter().any(|a| json_equal(a, value))
        {
            out.report(path, || {
                format!(
                    "{} is not one of {}",
                    short(value),
                    short(&Value::Array(allowed.clone()))
                )
            });
        }
        for (branches, one) in [(&schema.any_of, false), (&schema.one_of, true)] {
            let Some(branches) = branches else {
                continue;
            };
            // `anyOf` needs one branch: the first valid one settles it.
            let mut matching = 0;
            for branch in branches {
                if self.valid(self.read(branch), value, path) {
                    matching += 1;
                    if !one || matching > 1 {
                        break;
                    }
                }
            }
            if matching < 1 {
                out.report(path, || {
                    format!(
                        "{} is not valid under any of the given schemas",
                        short(value)
                    )
                });
            } else if one && matching > 1 {
                out.report(path, || {
                    format!(
                        "{} is valid under each of more than one of the given schemas",
                        short(value)
                    )
                });
            }
        }
        for branch in &schema.all_of {
            self.check(self.read(branch), value, path, out);
        }
        if let Some((negated, text)) = &schema.not
            && self.valid(self.read(negated), value, path)
        {
            out.report(path, || {
                format!("{} should not be valid under {}", short(value), short(text))
            });
        }
        match value {
            Value::Object(map) => self.check_object(schema, map, path, out),
            Value::Array(items) => {
                let count = items.len() as u64;
                if schema.min_items.is_some_and(|min| count < min) {
                    out.report(path, || format!("{} should be non-empty", short(value)));
                }
                if let Some(max) = schema.max_items
                    && count > max
                {
                    out.report(path, || {
                        format!("{} has more than {max} items", short(value))
                    });
                }
                if let Some(item_schema) = &schema.items {
                    let item_schema = self.read(item_schema);
                    for (index, item) in items.iter().enumerate() {
                        path.push(Step::Index(index));
                        self.check(item_schema, item, path, out);
                        path.pop();
                    }
                }
            }
            Value::String(text) => {
                if schema.min_length.is_some() || schema.max_length.is_some() {
                    let length = text.chars().count() as u64;
                    if schema.min_length.is_some_and(|min| length < min) {
                        out.report(path, || format!("{} is too short", short(value)));
                    }
                    if schema.max_length.is_some_and(|max| length > max) {
                        out.report(path, || format!("{} is too long", short(value)));
                    }
                }
                if let Some(pattern) = &schema.pattern
                    && pattern
                        .regex
                        .as_ref()
                        .is_some_and(|regex| !regex.is_match(text))
                {
                    out.report(path, || {
                        format!("{} does not match '{}'", short(value), pattern.source)
                    });
                }
            }
            Value::Number(number) => {
                let number = number.as_f64().unwrap_or(f64::NAN);
                if let Some(min) = schema.minimum
                    && number < min
                {
                    out.report(path, || {
                        format!("{} is less than the minimum of {min}", short(value))
                    });
                }
                if let Some(max) = schema.maximum
                    && number > max
                {
                    out.report(path, || {
                        format!("{} is greater than the maximum of {max}", short(value))
                    });
                }
            }
            Value::Null | Value::Bool(_) => {}
        }
    }

    fn check_object<'v>(
        &self,
        schema: &SchemaNode,
        map: &'v serde_json::Map<String, Value>,
        path: &mut Vec<Step<'v>>,
        out: &mut Findings,
    ) {
        for name in &schema.required {
            if !map.contains_key(name) {
                out.report(path, || format!("'{name}' is a required property"));
            }
        }
        let count = map.len() as u64;
        if schema.min_properties.is_some_and(|min| count < min) {
            out.report(path, || "should be non-empty".to_owned());
        }
        if let Some(max) = schema.max_properties
            && count > max
        {
            out.report(path, || format!("has more than {max} properties"));
        }
        let mut unexpected = Vec::new();
        for (key, item) in map {
            let item_schema = match schema.properties.as_ref().and_then(|p| p.get(key)) {
                Some(known) => self.read(known),
                None => match &schema.additional {
                    Additional::Forbidden => {
                        unexpected.push(key.as_str());
                        continue;
                    }
                    Additional::Schema(additional) => self.read(additional),
                    Additional::Unchecked => continue,
                },
            };
            path.push(Step::Key(key));
            self.check(item_schema, item, path, out);
            path.pop();
        }
        if !unexpected.is_empty() {
            out.report(path, || {
                let names: Vec<String> =
                    unexpected.iter().map(|name| format!("'{name}'")).collect();
                let verb = if names.len() == 1 { "was" } else { "were" };
                format!(
                    "Additional properties are not allowed ({} {verb} unexpected)",
                    names.join(", ")
                )
            });
        }
    }

    /// Whether `value` is valid under `schema`, without saying why not.
    fn valid<'v>(&self, schema: &SchemaNode, value: &'v Value, path: &mut Vec<Step<'v>>) -> bool {
        let mut found = Findings::Any(false);
        self.check(schema, value, path, &mut found);
        !found.settled()
    }

    /// Every pattern of every definition, for the test that they compile;
    /// every schema is read strictly on the way (a keyword of an unexpected
    /// shape panics, where validation would let it constrain nothing).
    #[cfg(test)]
    pub(super) fn patterns(&self) -> Vec<String> {
        fn visit(compiler: &Compiler, schema: &LazyNode, out: &mut Vec<String>) {
            let node = compiler
                .read(schema.at())
                .unwrap_or_else(|e| panic!("{}: {e}", compiler.text(schema.at())));
            out.extend(node.pattern.iter().map(|p| p.source.clone()));
            let children = node
                .any_of
                .iter()
                .chain(&node.one_of)
                .flatten()
                .chain(&node.all_of)
                .chain(node.not.iter().map(|(negated, _)| negated))
                .chain(&node.items)
                .chain(node.properties.iter().flat_map(|p| p.values()))
                .chain(match &node.additional {
                    Additional::Schema(additional) => Some(additional),
                    _ => None,
                });
            for child in children {
                visit(compiler, child, out);
            }
        }
        let mut out = Vec::new();
        for definition in &self.definitions {
            visit(&self.compiler, definition, &mut out);
        }
        out.sort();
        out.dedup();
        out
    }
}

/// `path` as a JSON pointer (`/spec/containers/0/name`), `~` and `/` in
/// keys escaped.
fn pointer(path: &[Step<'_>]) -> String {
    let mut out = String::new();
    for step in path {
        out.push('/');
        match step {
            Step::Key(key) => out.push_str(&key.replace('~', "~0").replace('/', "~1")),
            Step::Index(index) => out.push_str(&index.to_string()),
        }
    }
    out
}

/// JSON equality, numbers by value (`1` equals `1.0`).
fn json_equal(a: &Value, b: &Value) -> bool {
    match (a, b) {
        (Value::Number(x), Value::Number(y)) => x.as_f64() == y.as_f64(),
        _ => a == b,
    }
}

/// A value as a message shows it: JSON, cut at 60 characters.
fn short(value: &Value) -> String {
    let text = match value {
        Value::String(s) => format!("'{s}'"),
        other => other.to_string(),
    };
    if text.chars().count() <= 60 {
        text
    } else {
        let cut: String = text.chars().take(57).collect();
        format!("{cut}...")
    }
}

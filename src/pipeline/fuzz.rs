//! A fuzz target over the whole compile: mutations of the built-in example
//! (`platform.yaml` and `environments/*.yaml`) fed through the loader, the
//! parser, the merge, the spec, the analysis, the lowering and the policies,
//! asserting that nothing panics and that every diagnostic points inside its
//! file and renders.
//!
//! Structure-aware first: most cases parse a file, mutate its tree the ways
//! a hand-edited spec goes wrong (a scalar swapped with another, a key
//! deleted or renamed, a node duplicated elsewhere, a `null` inserted, a
//! type changed, a boundary value) and write it back as YAML, so the input
//! gets past the parser and reaches the later stages; a few cases garble
//! the text itself (lines dropped, repeated or re-indented, bytes changed),
//! for the loader and the parser.
//!
//! Deterministic: a fixed seed unless `PLATFORMGEN_FUZZ_SEED` says
//! otherwise, so a failure names a case that can be run again.
//! `PLATFORMGEN_FUZZ_CASES` sets how many cases run (a few hundred by
//! default, a few seconds in a debug build); see docs/contributing.md.

use std::panic::{AssertUnwindSafe, catch_unwind};

use crate::diagnostic::render::{RenderOptions, render_all};
use crate::emit;
use crate::pipeline;
use crate::policy;
use crate::source::FileId;
use crate::testing::{MemorySource, Random};
use crate::yaml::{Entry, Limits, Map, Node, Scalar, Value, parse};

const BASE: &str = include_str!("../../platform.yaml");
const ENVIRONMENTS: [(&str, &str); 3] = [
    ("dev", include_str!("../../environments/dev.yaml")),
    ("staging", include_str!("../../environments/staging.yaml")),
    ("prod", include_str!("../../environments/prod.yaml")),
];

/// Cases run by a plain `cargo test`.
const DEFAULT_CASES: u64 = 300;
const DEFAULT_SEED: u64 = 0x5EED_F022;

/// Values that sit on a boundary somewhere in the spec: numbers at the edges
/// of int32 and u64, quantities and versions, YAML 1.1 booleans, names that
/// are not DNS labels, the empty string, long text.
const INTERESTING: &[&str] = &[
    "0",
    "-1",
    "1",
    "2147483647",
    "2147483648",
    "18446744073709551616",
    "1e400",
    "0.5",
    "",
    "~",
    "true",
    "yes",
    "Off",
    "1.33",
    "1.99",
    "500m",
    "0Mi",
    "1Ki",
    "-5Gi",
    "Infinity",
    "*",
    "/",
    "0.0.0.0/0",
    "::/0",
    "a.b/c",
    "UPPER",
    "-leading",
    "é日",
    "sha256:0000",
    "image@sha256:abc",
    "ghcr.io/acme/web:latest",
    "http://example.com",
    "*.example.com",
    "-",
    "x",
];

#[test]
fn mutated_example_specs_never_panic_the_compile() {
    let cases = env_number("PLATFORMGEN_FUZZ_CASES").unwrap_or(DEFAULT_CASES);
    let seed = env_number("PLATFORMGEN_FUZZ_SEED").unwrap_or(DEFAULT_SEED);
    let trees = Trees::parse();
    let mut reached = std::collections::BTreeMap::<Reached, u64>::new();
    for case in 0..cases {
        let mut random = Random::new(seed ^ case.wrapping_mul(0x9E37_79B9_7F4A_7C15));
        let (environment, overlay) = ENVIRONMENTS[random.below(ENVIRONMENTS.len())];
        let (base, overlay) = trees.mutate(environment, overlay, &mut random);
        let outcome = catch_unwind(AssertUnwindSafe(|| compile(&base, environment, &overlay)));
        assert!(
            outcome.is_ok(),
            "case {case} (seed {seed:#x}, PLATFORMGEN_FUZZ_SEED={seed} \
             PLATFORMGEN_FUZZ_CASES={}) panicked on environment `{environment}`:\n\
             --- platform.yaml\n{base}\n--- environments/{environment}.yaml\n{overlay}",
            case + 1
        );
        if let Ok(stage) = outcome {
            *reached.entry(stage).or_default() += 1;
        }
    }
    // The mutations must keep reaching the stages after the parser, or the
    // target only fuzzes the parser.
    let deep = reached.get(&Reached::Spec).copied().unwrap_or(0)
        + reached.get(&Reached::Lowered).copied().unwrap_or(0);
    assert!(
        deep * 4 >= cases,
        "too few cases got past the spec stage: {reached:?}"
    );
    report(cases, &reached);
}

#[test]
fn the_example_written_back_compiles_as_the_original() {
    let trees = Trees::parse();
    for ((environment, _), (_, overlay)) in ENVIRONMENTS.iter().zip(&trees.overlays) {
        let reached = compile(&write(&trees.base), environment, &write(overlay));
        assert_eq!(reached, Reached::Lowered, "{environment}");
    }
}

#[allow(
    clippy::print_stderr,
    reason = "how far the cases got, for whoever runs the target at length (--nocapture)"
)]
fn report(cases: u64, reached: &std::collections::BTreeMap<Reached, u64>) {
    eprintln!("fuzz: {cases} cases, {reached:?}");
}

fn env_number(name: &str) -> Option<u64> {
    let text = std::env::var(name).ok()?;
    let text = text.trim();
    match text.strip_prefix("0x") {
        Some(hex) => u64::from_str_radix(hex, 16).ok(),
        None => text.parse().ok(),
    }
}

/// How far one case got: the stages after the parser are what the
/// structure-aware mutations are for.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
enum Reached {
    Parse,
    Merged,
    Spec,
    Lowered,
}

/// Every stage a command can run on one environment: compile, policies,
/// the rendered stream, and the diagnostics as text.
fn compile(base: &str, environment: &str, overlay: &str) -> Reached {
    let source = MemorySource::new(base, environment, overlay);
    let compilation = pipeline::compile(&source, environment);
    if let (Some(model), Some(manifests), Some(tree), Some(spec)) = (
        &compilation.model,
        &compilation.manifests,
        &compilation.tree,
        &compilation.spec,
    ) {
        let _report = policy::check(
            &crate::capabilities::rules(),
            model,
            manifests,
            tree,
            &spec.policy,
        );
        let _stream = emit::stream(manifests);
    }
    for diagnostic in compilation.diagnostics.iter() {
        for label in diagnostic.primary.iter().chain(&diagnostic.secondary) {
            let text = &compilation.sources.get(label.span.file).text;
            assert!(
                label.span.start <= label.span.end && label.span.end as usize <= text.len(),
                "{}: span {:?} outside its file",
                diagnostic.message,
                label.span
            );
        }
    }
    let diagnostics: Vec<_> = compilation.diagnostics.iter().cloned().collect();
    let _text = render_all(
        &diagnostics,
        &compilation.sources,
        RenderOptions { color: false },
    );
    if compilation.manifests.is_some() {
        Reached::Lowered
    } else if compilation.spec.is_some() {
        Reached::Spec
    } else if compilation.tree.is_some() {
        Reached::Merged
    } else {
        Reached::Parse
    }
}

/// The example's files, parsed once.
struct Trees {
    base: Node,
    overlays: Vec<(&'static str, Node)>,
    /// Every key written anywhere in the example, for renames and insertions
    /// that stay close to the spec's vocabulary.
    keys: Vec<String>,
}

impl Trees {
    fn parse() -> Self {
        let limits = Limits::default();
        let tree = |text: &str| parse(FileId(0), text, &limits).expect("the example parses");
        let base = tree(BASE);
        let overlays: Vec<_> = ENVIRONMENTS
            .iter()
            .map(|(name, text)| (*name, tree(text)))
            .collect();
        let mut keys = Vec::new();
        for node in std::iter::once(&base).chain(overlays.iter().map(|(_, node)| node)) {
            collect_keys(node, &mut keys);
        }
        keys.sort();
        keys.dedup();
        Self {
            base,
            overlays,
            keys,
        }
    }

    /// One case: the base and the overlay of `environment`, as text, with
    /// mutations in one or both.
    fn mutate(
        &self,
        environment: &str,
        overlay_text: &str,
        random: &mut Random,
    ) -> (String, String) {
        let overlay = self
            .overlays
            .iter()
            .find(|(name, _)| *name == environment)
            .map(|(_, node)| node)
            .expect("every environment was parsed");
        // Which file(s) to touch: the base, the overlay, or both.
        let target = random.below(3);
        let mut texts = [BASE.to_owned(), overlay_text.to_owned()];
        for (index, tree) in [&self.base, overlay].into_iter().enumerate() {
            let touched = target == 2 || target == index;
            if !touched {
                continue;
            }
            texts[index] = if random.below(12) == 0 {
                garble(&texts[index], random)
            } else {
                let mut tree = tree.clone();
                // Mostly one mutation: each one more makes it likelier that
                // the spec stage stops the case before the later stages.
                for _ in 0..=random.below(3).saturating_sub(1) {
                    self.mutate_tree(&mut tree, random);
                }
                let text = write(&tree);
                // Now and then, garble the written text too.
                if random.below(10) == 0 {
                    garble(&text, random)
                } else {
                    text
                }
            };
        }
        let [base, overlay] = texts;
        (base, overlay)
    }

    fn mutate_tree(&self, tree: &mut Node, random: &mut Random) {
        let count = count_nodes(tree);
        let target = random.below(count);
        match random.below(8) {
            // Swap a scalar with another one from elsewhere in the tree.
            0 => {
                let scalars = scalars(tree);
                if let Some(text) = random.pick(&scalars).cloned() {
                    with_node(tree, target, &mut |node| set_scalar(node, &text));
                }
            }
            // A boundary value.
            1 => {
                let text = INTERESTING[random.below(INTERESTING.len())];
                with_node(tree, target, &mut |node| set_scalar(node, text));
            }
            // Delete a key.
            2 => with_node(tree, target, &mut |node| {
                if let Value::Map(map) = &mut node.value
                    && !map.entries.is_empty()
                {
                    let at = random.below(map.entries.len());
                    map.entries.shift_remove_index(at);
                }
            }),
            // Insert a null (removes the key in an overlay).
            3 => with_node(tree, target, &mut |node| node.value = Value::Null),
            // Duplicate a node into another place.
            4 => {
                let mut copy = None;
                with_node(tree, random.below(count), &mut |node| {
                    copy = Some(node.clone())
                });
                if let Some(copy) = copy {
                    with_node(tree, target, &mut |node| {
                        if depth(&copy) < 12 {
                            *node = copy.clone();
                        }
                    });
                }
            }
            // Change a type.
            5 => with_node(tree, target, &mut |node| change_type(node, random)),
            // Rename a key, or add one, with a word the spec uses elsewhere.
            6 => {
                let key = random.pick(&self.keys).cloned().unwrap_or_default();
                let value = INTERESTING[random.below(INTERESTING.len())];
                with_node(tree, target, &mut |node| {
                    if let Value::Map(map) = &mut node.value {
                        let entry = Entry {
                            key_span: node.span,
                            value: Node::new(node.span, plain(value)),
                        };
                        if !map.entries.is_empty() && random.below(2) == 0 {
                            let at = random.below(map.entries.len());
                            if let Some((_, old)) = map.entries.shift_remove_index(at) {
                                map.entries.insert(key.clone(), old);
                            }
                        } else {
                            map.entries.insert(key.clone(), entry);
                        }
                    }
                });
            }
            // Grow a list: repeat an item.
            _ => with_node(tree, target, &mut |node| {
                if let Value::Seq(items) = &mut node.value
                    && let Some(item) = random.pick(items).cloned()
                {
                    items.push(item);
                }
            }),
        }
    }
}

fn plain(text: &str) -> Value {
    Value::Scalar(Scalar {
        text: text.to_owned(),
        quoted: false,
    })
}

fn set_scalar(node: &mut Node, text: &str) {
    if matches!(node.value, Value::Scalar(_) | Value::Null) {
        node.value = plain(text);
    }
}

fn change_type(node: &mut Node, random: &mut Random) {
    let old = std::mem::replace(&mut node.value, Value::Null);
    node.value = match (old, random.below(3)) {
        (Value::Scalar(scalar), 0) => Value::Seq(vec![Node::new(node.span, Value::Scalar(scalar))]),
        (Value::Scalar(scalar), 1) => {
            let mut map = Map::default();
            map.entries.insert(
                "x".to_owned(),
                Entry {
                    key_span: node.span,
                    value: Node::new(node.span, Value::Scalar(scalar)),
                },
            );
            Value::Map(map)
        }
        (Value::Scalar(scalar), _) => Value::Scalar(Scalar {
            quoted: !scalar.quoted,
            ..scalar
        }),
        (Value::Map(map), 0) => Value::Seq(map.entries.into_values().map(|e| e.value).collect()),
        (Value::Map(_), _) => plain("text"),
        (Value::Seq(items), 0) => {
            let mut map = Map::default();
            for (index, item) in items.into_iter().enumerate() {
                map.entries.insert(
                    format!("k{index}"),
                    Entry {
                        key_span: item.span,
                        value: item,
                    },
                );
            }
            Value::Map(map)
        }
        (Value::Seq(_), _) => plain("8080"),
        (Value::Null, _) => Value::Map(Map::default()),
    };
}

fn count_nodes(node: &Node) -> usize {
    1 + match &node.value {
        Value::Map(map) => map.entries.values().map(|e| count_nodes(&e.value)).sum(),
        Value::Seq(items) => items.iter().map(count_nodes).sum(),
        _ => 0,
    }
}

fn depth(node: &Node) -> usize {
    1 + match &node.value {
        Value::Map(map) => map
            .entries
            .values()
            .map(|e| depth(&e.value))
            .max()
            .unwrap_or(0),
        Value::Seq(items) => items.iter().map(depth).max().unwrap_or(0),
        _ => 0,
    }
}

/// Calls `f` on the `target`th node in preorder.
fn with_node(tree: &mut Node, target: usize, f: &mut dyn FnMut(&mut Node)) {
    fn walk(
        node: &mut Node,
        target: usize,
        seen: &mut usize,
        f: &mut dyn FnMut(&mut Node),
    ) -> bool {
        if *seen == target {
            f(node);
            return true;
        }
        *seen += 1;
        match &mut node.value {
            Value::Map(map) => map
                .entries
                .values_mut()
                .any(|e| walk(&mut e.value, target, seen, f)),
            Value::Seq(items) => items.iter_mut().any(|item| walk(item, target, seen, f)),
            _ => false,
        }
    }
    walk(tree, target, &mut 0, f);
}

fn scalars(node: &Node) -> Vec<String> {
    let mut out = Vec::new();
    fn walk(node: &Node, out: &mut Vec<String>) {
        match &node.value {
            Value::Scalar(scalar) => out.push(scalar.text.clone()),
            Value::Map(map) => map.entries.values().for_each(|e| walk(&e.value, out)),
            Value::Seq(items) => items.iter().for_each(|item| walk(item, out)),
            Value::Null => {}
        }
    }
    walk(node, &mut out);
    out
}

fn collect_keys(node: &Node, out: &mut Vec<String>) {
    match &node.value {
        Value::Map(map) => {
            for (key, entry) in &map.entries {
                out.push(key.clone());
                collect_keys(&entry.value, out);
            }
        }
        Value::Seq(items) => items.iter().for_each(|item| collect_keys(item, out)),
        _ => {}
    }
}

/// The tree as block-style YAML: mappings and lists one entry a line,
/// scalars plain when YAML reads them back as the same text, else quoted.
fn write(node: &Node) -> String {
    let mut out = String::new();
    match inline(node) {
        Some(text) => {
            out.push_str(&text);
            out.push('\n');
        }
        None => block(node, 0, &mut out),
    }
    out
}

fn block(node: &Node, indent: usize, out: &mut String) {
    let pad = " ".repeat(indent);
    match &node.value {
        Value::Map(map) => {
            for (key, entry) in &map.entries {
                let key = scalar_text(key, false);
                match inline(&entry.value) {
                    Some(text) => out.push_str(&format!("{pad}{key}: {text}\n")),
                    None => {
                        out.push_str(&format!("{pad}{key}:\n"));
                        block(&entry.value, indent + 2, out);
                    }
                }
            }
        }
        Value::Seq(items) => {
            for item in items {
                match inline(item) {
                    Some(text) => out.push_str(&format!("{pad}- {text}\n")),
                    None => {
                        out.push_str(&format!("{pad}-\n"));
                        block(item, indent + 2, out);
                    }
                }
            }
        }
        _ => {}
    }
}

/// A node that fits after `key: ` or `- `.
fn inline(node: &Node) -> Option<String> {
    match &node.value {
        Value::Null => Some("null".to_owned()),
        Value::Scalar(scalar) => Some(scalar_text(&scalar.text, scalar.quoted)),
        Value::Map(map) if map.entries.is_empty() => Some("{}".to_owned()),
        Value::Seq(items) if items.is_empty() => Some("[]".to_owned()),
        _ => None,
    }
}

fn scalar_text(text: &str, quoted: bool) -> String {
    let plain_is_safe = !quoted
        && !text.is_empty()
        && text.trim() == text
        && !text.starts_with(|c: char| "-?:,[]{}#&*!|>'\"%@`~".contains(c))
        && !text.contains(": ")
        && !text.contains(" #")
        && !text.ends_with(':')
        && !text.chars().any(|c| c.is_control())
        && !matches!(text, "null" | "Null" | "NULL");
    if plain_is_safe {
        text.to_owned()
    } else {
        // A JSON string is a YAML double-quoted scalar.
        serde_json::to_string(text).expect("a string serializes")
    }
}

/// Text-level damage: a line dropped, repeated or re-indented, or a byte
/// changed, as a bad merge conflict resolution or a stray keystroke leaves it.
fn garble(text: &str, random: &mut Random) -> String {
    let mut lines: Vec<String> = text.lines().map(str::to_owned).collect();
    for _ in 0..=random.below(3) {
        if lines.is_empty() {
            break;
        }
        let at = random.below(lines.len());
        match random.below(5) {
            0 => {
                lines.remove(at);
            }
            1 => {
                let line = lines[at].clone();
                lines.insert(at, line);
            }
            2 => lines[at] = format!("  {}", lines[at]),
            3 => lines[at] = lines[at].trim_start().to_owned(),
            _ => {
                const SYMBOLS: &[char] = &[
                    '[', '{', ':', '-', '"', '\'', '&', '*', '!', '#', '\t', '|', '>', '%',
                    '\u{0}', 'é',
                ];
                let mut chars: Vec<char> = lines[at].chars().collect();
                let position = random.below(chars.len() + 1);
                chars.insert(position, SYMBOLS[random.below(SYMBOLS.len())]);
                lines[at] = chars.into_iter().collect();
            }
        }
    }
    let mut out = lines.join("\n");
    out.push('\n');
    out
}

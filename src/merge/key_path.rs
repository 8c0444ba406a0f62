//! Key paths into a merged tree (`workloads.api.uses.0` as `["workloads", "api",
//! "uses", "0"]`): how later stages, which see only spec types, find the span to
//! point a diagnostic at, how provenance names what an overlay replaced, and
//! what `explain` takes on the command line.
//!
//! A path is a list of segments, never a dot-joined string, because keys may
//! themselves contain dots and slashes (`doks.digitalocean.com/node-pool`, a
//! config file `envoy.yaml`): joined, such a key could not be told apart from
//! nesting. Text is only for people, in one syntax that [`KeyPath::parse`]
//! reads back (docs/spec.md, "Where a value came from"):
//!
//! - segments are joined with `.`; a list index is a segment of digits
//!   (`workloads.minio.args.1`);
//! - a segment that is empty or contains `.`, `"`, `[`, `]`, `\` or whitespace
//!   is written in double quotes, with `\"`, `\\`, `\n`, `\r` and `\t` escaped
//!   (`nodeSelector."doks.digitalocean.com/node-pool"`);
//! - the parser also reads `[N]` as the index segment `N` (`args[1]`, the form
//!   type errors print), and [`KeyPath::parse_in`] lets an unquoted key with
//!   dots be typed as is when the tree has such a key.

use std::fmt;

use crate::source::Span;
use crate::yaml::{Node, Value};

/// A path from the root of a tree: map keys and list indexes (as decimal text),
/// one segment each. Which one a segment is depends on the node it is applied
/// to, as in [`find`].
#[derive(Debug, Clone, Default, PartialEq, Eq, PartialOrd, Ord)]
pub struct KeyPath {
    segments: Vec<String>,
}

/// Why a command-line key path could not be read; `offset` is the byte in the
/// text where the problem is.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct KeyPathError {
    pub offset: usize,
    pub message: String,
}

impl fmt::Display for KeyPathError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} (at byte {})", self.message, self.offset)
    }
}

impl std::error::Error for KeyPathError {}

/// One segment as written: unquoted dotted runs may be rejoined by
/// [`KeyPath::parse_in`]; quoted and `[N]` segments are taken as written.
struct Piece {
    text: String,
    plain: bool,
}

impl KeyPath {
    /// The empty path: the root of the tree.
    pub fn root() -> Self {
        Self::default()
    }

    pub fn segments(&self) -> &[String] {
        &self.segments
    }

    /// The segments as `&str`, for [`find`], [`key_span`] and [`value_span`].
    pub fn as_strs(&self) -> Vec<&str> {
        self.segments.iter().map(String::as_str).collect()
    }

    pub fn is_root(&self) -> bool {
        self.segments.is_empty()
    }

    pub fn push(&mut self, segment: impl Into<String>) {
        self.segments.push(segment.into());
    }

    pub fn pop(&mut self) -> Option<String> {
        self.segments.pop()
    }

    /// Reads the display syntax (module docs): every unquoted `.` separates
    /// segments. The empty text is the root.
    pub fn parse(text: &str) -> Result<Self, KeyPathError> {
        Ok(parse_pieces(text)?
            .into_iter()
            .map(|piece| piece.text)
            .collect())
    }

    /// [`KeyPath::parse`], then, so that a key with dots can be typed without
    /// quotes, consecutive unquoted segments are rejoined with `.` where `tree`
    /// has such a key. Longer keys are tried first, and a reading under which
    /// the whole path exists wins; when there is none, the path is read as
    /// [`KeyPath::parse`] reads it (and will not be found).
    pub fn parse_in(text: &str, tree: &Node) -> Result<Self, KeyPathError> {
        let pieces = parse_pieces(text)?;
        let mut path = Self::root();
        if resolve(tree, &pieces, &mut path) {
            Ok(path)
        } else {
            Ok(pieces.into_iter().map(|piece| piece.text).collect())
        }
    }
}

impl FromIterator<String> for KeyPath {
    fn from_iter<I: IntoIterator<Item = String>>(iter: I) -> Self {
        Self {
            segments: iter.into_iter().collect(),
        }
    }
}

impl<'a> FromIterator<&'a str> for KeyPath {
    fn from_iter<I: IntoIterator<Item = &'a str>>(iter: I) -> Self {
        iter.into_iter().map(str::to_owned).collect()
    }
}

impl fmt::Display for KeyPath {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for (index, segment) in self.segments.iter().enumerate() {
            if index > 0 {
                f.write_str(".")?;
            }
            write_segment(f, segment)?;
        }
        Ok(())
    }
}

/// Whether `segment` must be quoted to read back as one segment.
fn needs_quotes(segment: &str) -> bool {
    segment.is_empty()
        || segment
            .chars()
            .any(|c| matches!(c, '.' | '"' | '[' | ']' | '\\') || c.is_whitespace())
}

/// Writes one segment in the display syntax, quoted when it must be. Also used
/// for the keys of the paths type errors print, so they quote the same way.
pub fn write_segment(out: &mut impl fmt::Write, segment: &str) -> fmt::Result {
    if !needs_quotes(segment) {
        return out.write_str(segment);
    }
    out.write_char('"')?;
    for c in segment.chars() {
        match c {
            '"' => out.write_str("\\\"")?,
            '\\' => out.write_str("\\\\")?,
            '\n' => out.write_str("\\n")?,
            '\r' => out.write_str("\\r")?,
            '\t' => out.write_str("\\t")?,
            c => out.write_char(c)?,
        }
    }
    out.write_char('"')
}

fn error(offset: usize, message: impl Into<String>) -> KeyPathError {
    KeyPathError {
        offset,
        message: message.into(),
    }
}

fn parse_pieces(text: &str) -> Result<Vec<Piece>, KeyPathError> {
    let mut pieces = Vec::new();
    if text.is_empty() {
        return Ok(pieces);
    }
    let mut chars = text.char_indices().peekable();
    loop {
        // At the start of a segment.
        let start = chars.peek().map_or(text.len(), |&(at, _)| at);
        match chars.peek().map(|&(_, c)| c) {
            Some('"') => {
                chars.next();
                let mut segment = String::new();
                loop {
                    match chars.next() {
                        None => return Err(error(start, "unterminated quoted key")),
                        Some((_, '"')) => break,
                        Some((at, '\\')) => segment.push(match chars.next() {
                            Some((_, '"')) => '"',
                            Some((_, '\\')) => '\\',
                            Some((_, 'n')) => '\n',
                            Some((_, 'r')) => '\r',
                            Some((_, 't')) => '\t',
                            _ => {
                                return Err(error(
                                    at,
                                    "unknown escape: write \\\", \\\\, \\n, \\r or \\t",
                                ));
                            }
                        }),
                        Some((_, c)) => segment.push(c),
                    }
                }
                pieces.push(Piece {
                    text: segment,
                    plain: false,
                });
            }
            Some('[') => return Err(error(start, "`[` must follow a key: write `key[0]`")),
            _ => {
                let mut segment = String::new();
                while let Some(&(at, c)) = chars.peek() {
                    match c {
                        '.' | '[' => break,
                        '"' | ']' => {
                            return Err(error(
                                at,
                                format!("`{c}` inside a key: quote the whole key"),
                            ));
                        }
                        c => segment.push(c),
                    }
                    chars.next();
                }
                if segment.is_empty() {
                    return Err(error(start, "empty key: write `\"\"` for an empty key"));
                }
                pieces.push(Piece {
                    text: segment,
                    plain: true,
                });
            }
        }
        // List indexes written `[N]` after a segment.
        while let Some(&(open, '[')) = chars.peek() {
            chars.next();
            let mut digits = String::new();
            while let Some(&(_, c)) = chars.peek() {
                if !c.is_ascii_digit() {
                    break;
                }
                digits.push(c);
                chars.next();
            }
            if digits.is_empty() || chars.next().map(|(_, c)| c) != Some(']') {
                return Err(error(open, "expected a list index such as `[0]`"));
            }
            pieces.push(Piece {
                text: digits,
                plain: false,
            });
        }
        match chars.next() {
            None => return Ok(pieces),
            Some((at, '.')) if at + 1 == text.len() => {
                return Err(error(at, "trailing `.`"));
            }
            Some((_, '.')) => {}
            Some((at, c)) => {
                return Err(error(at, format!("expected `.` before `{c}`")));
            }
        }
    }
}

/// Appends to `path` a reading of `pieces` under which every segment exists
/// below `node`; false (with `path` as it was) if there is none.
fn resolve(node: &Node, pieces: &[Piece], path: &mut KeyPath) -> bool {
    let Some(first) = pieces.first() else {
        return true;
    };
    // How many leading pieces may be rejoined into one key: a run of plain ones.
    let run = if first.plain {
        pieces.iter().take_while(|piece| piece.plain).count()
    } else {
        1
    };
    for len in (1..=run).rev() {
        let segment = if len == 1 {
            first.text.clone()
        } else {
            let texts: Vec<&str> = pieces[..len].iter().map(|p| p.text.as_str()).collect();
            texts.join(".")
        };
        let Some(child) = child(node, &segment) else {
            continue;
        };
        path.push(segment);
        if resolve(child, &pieces[len..], path) {
            return true;
        }
        path.pop();
    }
    false
}

fn child<'a>(node: &'a Node, segment: &str) -> Option<&'a Node> {
    match &node.value {
        Value::Map(map) => Some(&map.entries.get(segment)?.value),
        Value::Seq(items) => items.get(segment.parse::<usize>().ok()?),
        _ => None,
    }
}

/// The node at `path`, if it exists. Numeric segments index lists.
pub fn find<'a>(tree: &'a Node, path: &[&str]) -> Option<&'a Node> {
    let mut node = tree;
    for segment in path {
        node = child(node, segment)?;
    }
    Some(node)
}

/// The span of the value at `path`, or of its nearest ancestor that exists.
pub fn value_span(tree: &Node, path: &[&str]) -> Span {
    (0..=path.len())
        .rev()
        .find_map(|len| find(tree, &path[..len]).map(|node| node.span))
        .unwrap_or(tree.span)
}

/// The span of the key that ends `path` (a mapping key), falling back to the
/// value's span.
pub fn key_span(tree: &Node, path: &[&str]) -> Span {
    if let Some((last, parent)) = path.split_last()
        && let Some(parent) = find(tree, parent)
        && let Some(map) = parent.as_map()
        && let Some(entry) = map.entries.get(*last)
    {
        return entry.key_span;
    }
    value_span(tree, path)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::source::FileId;
    use crate::yaml::{Limits, parse};

    fn tree(text: &str) -> Node {
        parse(FileId(0), text, &Limits::default()).expect("valid YAML")
    }

    const NODE_POOLS: &str = "nodePools:\n  critical:\n    nodeSelector: { doks.digitalocean.com/node-pool: critical }\n    taints: [a, b]\n";

    #[test]
    fn a_key_with_dots_and_slashes_is_one_segment() {
        let tree = tree(NODE_POOLS);
        let path: KeyPath = [
            "nodePools",
            "critical",
            "nodeSelector",
            "doks.digitalocean.com/node-pool",
        ]
        .into_iter()
        .collect();
        let found = find(&tree, &path.as_strs()).expect("set");
        assert!(matches!(&found.value, Value::Scalar(s) if s.text == "critical"));

        let text = path.to_string();
        assert_eq!(
            text,
            r#"nodePools.critical.nodeSelector."doks.digitalocean.com/node-pool""#
        );
        assert_eq!(KeyPath::parse(&text), Ok(path.clone()));
        assert_eq!(KeyPath::parse_in(&text, &tree), Ok(path.clone()));
        // Typed without quotes, the key is found by trying the longest key first.
        let typed = "nodePools.critical.nodeSelector.doks.digitalocean.com/node-pool";
        assert_eq!(KeyPath::parse_in(typed, &tree), Ok(path));
        // Read strictly, every dot separates: that path is not set.
        let strict = KeyPath::parse(typed).expect("valid");
        assert_eq!(strict.segments().len(), 6);
        assert!(find(&tree, &strict.as_strs()).is_none());
    }

    #[test]
    fn plain_paths_display_as_dot_joined_text() {
        let path = KeyPath::parse("workloads.minio.args.1").expect("valid");
        assert_eq!(path.as_strs(), ["workloads", "minio", "args", "1"]);
        assert_eq!(path.to_string(), "workloads.minio.args.1");
        assert_eq!(KeyPath::parse("workloads.minio.args[1]"), Ok(path));
        assert_eq!(KeyPath::parse(""), Ok(KeyPath::root()));
        assert_eq!(KeyPath::root().to_string(), "");
    }

    #[test]
    fn awkward_segments_round_trip() {
        let segments = [
            "",
            "a b",
            "x\"y",
            "back\\slash",
            "[0]",
            "line\nbreak",
            "é.ü",
            "0",
        ];
        let path: KeyPath = segments.into_iter().collect();
        let text = path.to_string();
        assert_eq!(
            text,
            r#"""."a b"."x\"y"."back\\slash"."[0]"."line\nbreak"."é.ü".0"#
        );
        assert_eq!(KeyPath::parse(&text), Ok(path));
    }

    #[test]
    fn malformed_paths_are_errors() {
        for (text, offset) in [
            ("a..b", 2),
            (".a", 0),
            ("a.", 1),
            ("a.\"b", 2),
            ("a.\"b\"c", 5),
            ("a.b\"c\"", 3),
            ("a[x]", 1),
            ("a[1", 1),
            ("a]", 1),
            ("[0]", 0),
            ("a.\"\\q\"", 3),
        ] {
            let error = KeyPath::parse(text).expect_err(text);
            assert_eq!(error.offset, offset, "{text}: {error}");
        }
    }

    #[test]
    fn the_longest_key_that_leads_somewhere_wins() {
        let tree = tree("a:\n  b.c: {d: 1}\n  b: {c: {e: 2}}\n");
        let strs = |text: &str| {
            KeyPath::parse_in(text, &tree)
                .expect("valid")
                .segments()
                .to_vec()
        };
        assert_eq!(strs("a.b.c.d"), ["a", "b.c", "d"]);
        // `b.c` has no `e`: backtrack to `b`, then `c`.
        assert_eq!(strs("a.b.c.e"), ["a", "b", "c", "e"]);
        // Quoted segments are never rejoined.
        assert_eq!(strs("a.\"b\".c.d"), ["a", "b", "c", "d"]);
        assert_eq!(strs("a.nope.x"), ["a", "nope", "x"]);
    }
}

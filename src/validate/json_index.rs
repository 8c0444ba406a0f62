//! `JsonIndex`: where each value of a JSON text is, found by one scan of its
//! bytes. Validation reads the vendored schemas through it: a schema's
//! keywords are found by key and its sub-schemas kept as positions in the
//! text, so reading a schema never rescans the schemas inside it (parsing
//! each sub-schema's text as it is reached scanned a deep CRD schema once
//! per level, which cost most of a small `check`).
//!
//! Values are kept in document order; each records where the values inside
//! it end, so the members of an object are walked without a list of its
//! own. A container deeper than the index's depth limit is kept as one value
//! whose inside is only matched for brackets and strings: a schema file's
//! definitions are indexed when first reached, not all at start.

use std::borrow::Cow;

/// Deeper than this is refused: the scan recurses once per level.
const MAX_DEPTH: usize = 512;

/// A JSON text and the position of every value in it (up to the depth limit).
#[derive(Debug)]
pub(super) struct JsonIndex<'t> {
    text: &'t str,
    /// In document order; the root is the first.
    values: Vec<Entry>,
}

/// The id of a value of an index: its place in document order.
pub(super) type ValueId = usize;

/// What a value is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Kind {
    Object,
    Array,
    String,
    Number,
    /// `true`, `false` or `null`.
    Literal,
    /// An object or array past the depth limit: its text only.
    Unindexed,
}

#[derive(Debug, Clone, Copy)]
struct Entry {
    /// The value's bytes, `start..end`.
    start: u32,
    end: u32,
    /// The key's bytes inside its quotes, for a member of an object.
    key_start: u32,
    key_end: u32,
    /// The id after the last value inside this one.
    next: u32,
    kind: Kind,
}

/// Why a text could not be indexed: what was wrong, and at which byte.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{message} at byte {offset}")]
pub(super) struct IndexError {
    pub(super) offset: usize,
    pub(super) message: &'static str,
}

impl<'t> JsonIndex<'t> {
    /// Every value of `text`, or why it is not JSON.
    pub(super) fn new(text: &'t str) -> Result<Self, IndexError> {
        Self::to_depth(text, MAX_DEPTH)
    }

    /// The values of `text` down to `depth` (the root is at 0); an object or
    /// array at `depth` is `Kind::Unindexed`, its inside scanned for
    /// brackets and strings only.
    pub(super) fn to_depth(text: &'t str, depth: usize) -> Result<Self, IndexError> {
        if u32::try_from(text.len()).is_err() {
            return Err(IndexError {
                offset: 0,
                message: "text longer than 4 GiB",
            });
        }
        let mut scanner = Scanner {
            bytes: text.as_bytes(),
            pos: 0,
            values: Vec::new(),
            limit: depth.min(MAX_DEPTH),
        };
        scanner.value(0, (0, 0))?;
        scanner.whitespace();
        if scanner.pos != scanner.bytes.len() {
            return Err(scanner.error("trailing characters"));
        }
        Ok(Self {
            text,
            values: scanner.values,
        })
    }

    /// The root value.
    pub(super) fn root(&self) -> ValueId {
        0
    }

    pub(super) fn kind(&self, id: ValueId) -> Kind {
        self.values[id].kind
    }

    /// The value's text, exactly as written.
    pub(super) fn text(&self, id: ValueId) -> &'t str {
        let entry = &self.values[id];
        &self.text[entry.start as usize..entry.end as usize]
    }

    /// The values inside `id`, in document order (empty unless it is an
    /// indexed object or array).
    fn children(&self, id: ValueId) -> impl Iterator<Item = ValueId> + '_ {
        let end = self.values[id].next as usize;
        let mut next = id + 1;
        std::iter::from_fn(move || {
            (next < end).then(|| {
                let child = next;
                next = self.values[child].next as usize;
                child
            })
        })
    }

    /// The members of an object, each key unescaped, in document order.
    pub(super) fn members(
        &self,
        id: ValueId,
    ) -> impl Iterator<Item = (Cow<'t, str>, ValueId)> + '_ {
        let object = self.kind(id) == Kind::Object;
        self.children(id)
            .filter(move |_| object)
            .map(|child| (self.key(child), child))
    }

    /// The elements of an array, in order.
    pub(super) fn elements(&self, id: ValueId) -> impl Iterator<Item = ValueId> + '_ {
        let array = self.kind(id) == Kind::Array;
        self.children(id).filter(move |_| array)
    }

    /// The value of `key` in the object `id` (the last, should the key be
    /// written twice, as serde_json reads it).
    pub(super) fn get(&self, id: ValueId, key: &str) -> Option<ValueId> {
        self.members(id)
            .filter(|(name, _)| name == key)
            .map(|(_, child)| child)
            .last()
    }

    /// The value at the JSON pointer `pointer` (`/versions/1.33/kinds`,
    /// `~1` for `/` and `~0` for `~` in keys), from the root.
    pub(super) fn pointer(&self, pointer: &str) -> Option<ValueId> {
        if pointer.is_empty() {
            return Some(self.root());
        }
        let mut at = self.root();
        for segment in pointer.strip_prefix('/')?.split('/') {
            let segment = segment.replace("~1", "/").replace("~0", "~");
            at = match self.kind(at) {
                Kind::Object => self.get(at, &segment)?,
                Kind::Array => {
                    let index: usize = segment.parse().ok()?;
                    self.elements(at).nth(index)?
                }
                _ => return None,
            };
        }
        Some(at)
    }

    /// The key of a member of an object, unescaped.
    fn key(&self, id: ValueId) -> Cow<'t, str> {
        let entry = &self.values[id];
        let raw = &self.text[entry.key_start as usize..entry.key_end as usize];
        if !raw.contains('\\') {
            return Cow::Borrowed(raw);
        }
        // The scan checked its escapes, so serde_json reads it.
        let quoted = &self.text[entry.key_start as usize - 1..entry.key_end as usize + 1];
        Cow::Owned(serde_json::from_str(quoted).unwrap_or_else(|_| raw.to_owned()))
    }
}

struct Scanner<'t> {
    bytes: &'t [u8],
    pos: usize,
    values: Vec<Entry>,
    limit: usize,
}

impl Scanner<'_> {
    fn error(&self, message: &'static str) -> IndexError {
        IndexError {
            offset: self.pos,
            message,
        }
    }

    fn whitespace(&mut self) {
        while let Some(b' ' | b'\n' | b'\r' | b'\t') = self.bytes.get(self.pos) {
            self.pos += 1;
        }
    }

    /// Positions fit in `u32`: `JsonIndex::to_depth` refuses longer texts.
    fn at(&self) -> u32 {
        self.pos as u32
    }

    /// One value at `depth`, recorded with its key's span.
    fn value(&mut self, depth: usize, key: (u32, u32)) -> Result<(), IndexError> {
        if depth > MAX_DEPTH {
            return Err(self.error("nested too deeply"));
        }
        self.whitespace();
        let id = self.values.len();
        self.values.push(Entry {
            start: self.at(),
            end: 0,
            key_start: key.0,
            key_end: key.1,
            next: 0,
            kind: Kind::Literal,
        });
        let kind = match self.bytes.get(self.pos) {
            Some(b'{' | b'[') if depth >= self.limit => {
                self.skip_container()?;
                Kind::Unindexed
            }
            Some(b'{') => {
                self.object(depth)?;
                Kind::Object
            }
            Some(b'[') => {
                self.array(depth)?;
                Kind::Array
            }
            Some(b'"') => {
                self.string()?;
                Kind::String
            }
            Some(b'-' | b'0'..=b'9') => {
                self.number()?;
                Kind::Number
            }
            Some(b't') => {
                self.literal(b"true")?;
                Kind::Literal
            }
            Some(b'f') => {
                self.literal(b"false")?;
                Kind::Literal
            }
            Some(b'n') => {
                self.literal(b"null")?;
                Kind::Literal
            }
            Some(_) => return Err(self.error("expected a value")),
            None => return Err(self.error("unexpected end of text")),
        };
        let next = u32::try_from(self.values.len()).map_err(|_| self.error("too many values"))?;
        let end = self.at();
        let entry = &mut self.values[id];
        entry.end = end;
        entry.next = next;
        entry.kind = kind;
        Ok(())
    }

    fn object(&mut self, depth: usize) -> Result<(), IndexError> {
        if self.opens_empty(b'}') {
            return Ok(());
        }
        loop {
            self.whitespace();
            if self.bytes.get(self.pos) != Some(&b'"') {
                return Err(self.error("expected a key"));
            }
            let key_start = self.at() + 1;
            self.string()?;
            let key_end = self.at() - 1;
            self.whitespace();
            if self.bytes.get(self.pos) != Some(&b':') {
                return Err(self.error("expected `:`"));
            }
            self.pos += 1;
            self.value(depth + 1, (key_start, key_end))?;
            if self.closes(b'}', "expected `,` or `}`")? {
                return Ok(());
            }
        }
    }

    fn array(&mut self, depth: usize) -> Result<(), IndexError> {
        if self.opens_empty(b']') {
            return Ok(());
        }
        loop {
            self.value(depth + 1, (0, 0))?;
            if self.closes(b']', "expected `,` or `]`")? {
                return Ok(());
            }
        }
    }

    /// Steps over an object's or array's opening bracket; true, and past
    /// the closing one, when it is empty.
    fn opens_empty(&mut self, close: u8) -> bool {
        self.pos += 1;
        self.whitespace();
        let empty = self.bytes.get(self.pos) == Some(&close);
        if empty {
            self.pos += 1;
        }
        empty
    }

    /// After a member: steps over a `,` (false: another member follows) or
    /// the closing bracket (true); anything else is `expected`.
    fn closes(&mut self, close: u8, expected: &'static str) -> Result<bool, IndexError> {
        self.whitespace();
        match self.bytes.get(self.pos) {
            Some(b',') => {
                self.pos += 1;
                Ok(false)
            }
            Some(&b) if b == close => {
                self.pos += 1;
                Ok(true)
            }
            _ => Err(self.error(expected)),
        }
    }

    /// A string, from its opening quote to past its closing one.
    fn string(&mut self) -> Result<(), IndexError> {
        self.pos += 1;
        loop {
            self.pos += plain_run(self.bytes, self.pos, string_stops);
            match self.bytes.get(self.pos) {
                Some(b'"') => {
                    self.pos += 1;
                    return Ok(());
                }
                Some(b'\\') => {
                    self.pos += 1;
                    match self.bytes.get(self.pos) {
                        Some(b'"' | b'\\' | b'/' | b'b' | b'f' | b'n' | b'r' | b't') => {
                            self.pos += 1
                        }
                        Some(b'u') => {
                            let hex = self.bytes.get(self.pos + 1..self.pos + 5);
                            if !hex.is_some_and(|hex| hex.iter().all(u8::is_ascii_hexdigit)) {
                                return Err(self.error("invalid \\u escape"));
                            }
                            self.pos += 5;
                        }
                        _ => return Err(self.error("invalid escape")),
                    }
                }
                Some(0..=0x1f) => return Err(self.error("control character in string")),
                Some(_) => self.pos += 1,
                None => return Err(self.error("unterminated string")),
            }
        }
    }

    fn digits(&mut self) -> usize {
        let start = self.pos;
        while self.bytes.get(self.pos).is_some_and(u8::is_ascii_digit) {
            self.pos += 1;
        }
        self.pos - start
    }

    fn number(&mut self) -> Result<(), IndexError> {
        if self.bytes.get(self.pos) == Some(&b'-') {
            self.pos += 1;
        }
        match self.bytes.get(self.pos) {
            Some(b'0') => self.pos += 1,
            Some(b'1'..=b'9') => {
                self.digits();
            }
            _ => return Err(self.error("invalid number")),
        }
        if self.bytes.get(self.pos) == Some(&b'.') {
            self.pos += 1;
            if self.digits() == 0 {
                return Err(self.error("invalid number"));
            }
        }
        if let Some(b'e' | b'E') = self.bytes.get(self.pos) {
            self.pos += 1;
            if let Some(b'+' | b'-') = self.bytes.get(self.pos) {
                self.pos += 1;
            }
            if self.digits() == 0 {
                return Err(self.error("invalid number"));
            }
        }
        Ok(())
    }

    fn literal(&mut self, word: &[u8]) -> Result<(), IndexError> {
        if self.bytes.get(self.pos..self.pos + word.len()) != Some(word) {
            return Err(self.error("expected a value"));
        }
        self.pos += word.len();
        Ok(())
    }

    /// Past an object or array without recording what is inside: brackets
    /// are counted outside strings, and strings are only found (the rest is
    /// checked when the value is indexed in full). A schema file's bodies
    /// are mostly short strings, so this loop stops at quotes rather than
    /// scanning each string by itself.
    fn skip_container(&mut self) -> Result<(), IndexError> {
        let mut open = 0usize;
        let mut in_string = false;
        loop {
            self.pos += plain_run(self.bytes, self.pos, container_stops);
            match self.bytes.get(self.pos) {
                Some(b'"') => in_string = !in_string,
                // The escaped byte may be a quote: it is skipped with it.
                Some(b'\\') if in_string => self.pos += 1,
                Some(b'\\') => return Err(self.error("expected a value")),
                Some(_) if in_string => {}
                Some(b'{' | b'[') => open += 1,
                Some(b'}' | b']') => {
                    open -= 1;
                    if open == 0 {
                        self.pos += 1;
                        return Ok(());
                    }
                }
                // A plain byte among the last few, which `plain_run` leaves.
                Some(_) => {}
                None => return Err(self.error("unterminated object or array")),
            }
            self.pos += 1;
        }
    }
}

/// Each byte of `word` equal to `byte`, as its high bit (exact for the
/// lowest such byte; a byte above it may be marked wrongly).
fn bytes_equal(word: u64, byte: u8) -> u64 {
    let diff = word ^ (LOW_BITS * u64::from(byte));
    diff.wrapping_sub(LOW_BITS) & !diff & HIGH_BITS
}

const LOW_BITS: u64 = 0x0101_0101_0101_0101;
const HIGH_BITS: u64 = 0x8080_8080_8080_8080;

/// The bytes that end a run of plain bytes in a string: its closing quote,
/// an escape, and the control characters it may not hold.
fn string_stops(word: u64) -> u64 {
    let control = word.wrapping_sub(LOW_BITS * 0x20) & !word & HIGH_BITS;
    bytes_equal(word, b'"') | bytes_equal(word, b'\\') | control
}

/// The bytes that matter when skipping an object or array: quotes, escapes
/// and brackets (`[` and `]` are `{` and `}` with bit 5 clear).
fn container_stops(word: u64) -> u64 {
    let folded = word | (LOW_BITS * 0x20);
    bytes_equal(word, b'"')
        | bytes_equal(word, b'\\')
        | bytes_equal(folded, b'{')
        | bytes_equal(folded, b'}')
}

/// How many bytes from `pos` on hold no byte `stops` marks, read eight at a
/// time: most of a schema file's bytes are inside strings, and checking
/// them one by one was most of the scan. Stops short of the text's last
/// eight bytes, which the caller then reads one by one.
fn plain_run(bytes: &[u8], pos: usize, stops: impl Fn(u64) -> u64) -> usize {
    let mut run = 0;
    while let Some(chunk) = bytes.get(pos + run..pos + run + 8) {
        let word = u64::from_le_bytes(<[u8; 8]>::try_from(chunk).unwrap_or_default());
        let marked = stops(word);
        if marked != 0 {
            // Little-endian: the lowest marked byte is the first one.
            return run + (marked.trailing_zeros() / 8) as usize;
        }
        run += 8;
    }
    run
}

#[cfg(test)]
mod tests {
    use super::*;

    const TEXT: &str = r#" {"a": {"b": [1, {"c": "x\"}"}, []], "d\/e": true},
        "f": "q\\u0041\"", "g": -1.5e3, "h": null, "a~b": {} } "#;

    fn index() -> JsonIndex<'static> {
        JsonIndex::new(TEXT).expect("valid JSON")
    }

    #[test]
    fn nested_values_have_their_exact_spans() {
        let index = index();
        let a = index.get(index.root(), "a").expect("a");
        assert_eq!(index.kind(a), Kind::Object);
        assert_eq!(
            index.text(a),
            r#"{"b": [1, {"c": "x\"}"}, []], "d\/e": true}"#
        );
        let b = index.get(a, "b").expect("b");
        assert_eq!(index.text(b), r#"[1, {"c": "x\"}"}, []]"#);
        let elements: Vec<&str> = index.elements(b).map(|id| index.text(id)).collect();
        assert_eq!(elements, ["1", r#"{"c": "x\"}"}"#, "[]"]);
        assert_eq!(
            index.text(index.get(index.root(), "f").expect("f")),
            r#""q\\u0041\"""#
        );
        assert_eq!(
            index.text(index.get(index.root(), "g").expect("g")),
            "-1.5e3"
        );
        assert_eq!(
            index.kind(index.get(index.root(), "h").expect("h")),
            Kind::Literal
        );
    }

    #[test]
    fn keys_are_unescaped_and_members_in_order() {
        let index = index();
        let a = index.get(index.root(), "a").expect("a");
        let keys: Vec<String> = index.members(a).map(|(k, _)| k.into_owned()).collect();
        assert_eq!(keys, ["b", "d/e"]);
        let root: Vec<String> = index
            .members(index.root())
            .map(|(k, _)| k.into_owned())
            .collect();
        assert_eq!(root, ["a", "f", "g", "h", "a~b"]);
    }

    #[test]
    fn pointers_find_values() {
        let index = index();
        let text = |pointer: &str| index.pointer(pointer).map(|id| index.text(id));
        assert_eq!(text("/a/b/1/c"), Some(r#""x\"}""#));
        assert_eq!(text("/a/d~1e"), Some("true"));
        assert_eq!(text("/a~0b"), Some("{}"));
        assert_eq!(text("/a/b/2"), Some("[]"));
        assert_eq!(text(""), Some(TEXT.trim()));
        assert_eq!(text("/a/b/3"), None);
        assert_eq!(text("/a/b/x"), None);
        assert_eq!(text("/f/0"), None);
        assert_eq!(text("/missing"), None);
        assert_eq!(text("no-slash"), None);
    }

    #[test]
    fn a_depth_limit_leaves_deeper_containers_unindexed() {
        let index = JsonIndex::to_depth(TEXT, 1).expect("valid JSON");
        let a = index.pointer("/a").expect("a");
        assert_eq!(index.kind(a), Kind::Unindexed);
        assert_eq!(
            index.text(a),
            r#"{"b": [1, {"c": "x\"}"}, []], "d\/e": true}"#
        );
        assert_eq!(index.members(a).count(), 0);
        assert_eq!(index.pointer("/a/b"), None);
        assert_eq!(index.text(index.pointer("/g").expect("g")), "-1.5e3");
        let full = JsonIndex::new(index.text(a)).expect("valid JSON");
        assert_eq!(full.text(full.pointer("/b/1/c").expect("c")), r#""x\"}""#);
    }

    #[test]
    fn malformed_text_is_an_error() {
        for text in [
            "",
            "{",
            "[1, 2",
            r#"{"a" 1}"#,
            r#"{"a": 1,}"#,
            r#"{a: 1}"#,
            r#"["unterminated]"#,
            r#"["bad \q escape"]"#,
            r#"["\u12"]"#,
            "[01]",
            "[1.]",
            "[1e]",
            "[-]",
            "tru",
            "nul",
            "{} {}",
            "\"a\nb\"",
            "}",
        ] {
            assert!(JsonIndex::new(text).is_err(), "{text:?} was accepted");
        }
        assert!(JsonIndex::to_depth(r#"{"a": [1, "]"#, 1).is_err());
        assert!(JsonIndex::to_depth(r#"{"a": [1}"#, 1).is_err());
        assert!(JsonIndex::to_depth(r#"{"a": [1]]"#, 1).is_err());
        assert!(JsonIndex::to_depth(r#"{"a": [1, "x\"]"}"#, 1).is_err());
        // Past the depth limit containers are skipped, not recursed into.
        let deep = "[".repeat(MAX_DEPTH + 2) + &"]".repeat(MAX_DEPTH + 2);
        assert!(JsonIndex::new(&deep).is_ok());
        let unbalanced = "[".repeat(MAX_DEPTH + 2) + &"]".repeat(MAX_DEPTH + 1);
        assert!(JsonIndex::new(&unbalanced).is_err());
    }

    #[test]
    fn valid_text_is_accepted_as_serde_json_reads_it() {
        for text in [
            "0",
            "-0.0e-0",
            "\"\"",
            "[]",
            "{}",
            " [ true , false , null ] ",
            r#"{"\u00e9": "\ud83d\ude00"}"#,
        ] {
            assert!(serde_json::from_str::<serde_json::Value>(text).is_ok());
            assert!(JsonIndex::new(text).is_ok(), "{text:?} was refused");
        }
        let index = JsonIndex::new(r#"{"\u00e9": 1}"#).expect("valid");
        assert_eq!(
            index.get(index.root(), "é").map(|id| index.text(id)),
            Some("1")
        );
    }
}

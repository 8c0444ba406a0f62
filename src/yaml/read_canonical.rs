//! Canonical YAML (what [`super::write`] and [`super::to_yaml_from`] emit)
//! read straight back into a [`serde_json::Value`], several times faster
//! than the general parser: `kustomize` reads back every object that differs
//! between environments, megabytes of alert rules among them, to compute its
//! patches.
//!
//! It reads only the canonical form, line by line, and gives up (`None`) on
//! anything else: a document that is not a map, an explicit `? key`, a
//! second space where one is written, a tab, a comment. A caller then falls
//! back to [`super::parse`] and [`super::to_json`], so the fast path can only
//! be faster, never different: the tests check that both read every text the
//! writers emit (every object of the examples' renders, and thousands of
//! generated values) as the same value.
//!
//! Owns nothing of the format: the layout is [`super::write`]'s, the typing
//! of plain scalars [`super::to_json`]'s.

use serde_json::{Map, Value};

use super::to_json::plain;
use super::write::{STEP, is_plain_safe, write_number};

/// The value of `text`, a map in canonical YAML; `None` when `text` departs
/// from the canonical form anywhere.
pub fn read_canonical(text: &str) -> Option<Value> {
    let mut reader = Reader {
        text: text.as_bytes(),
        source: text,
        at: 0,
    };
    let value = reader.map(0, false)?;
    (reader.at == text.len()).then_some(value)
}

#[derive(Clone, Copy)]
struct Reader<'t> {
    text: &'t [u8],
    /// The same text, to take slices of it as `&str`: every slice starts and
    /// ends next to an ASCII byte, so it is always on a character boundary.
    source: &'t str,
    /// The next byte to read.
    at: usize,
}

/// Where a value sits, which decides how it starts (see `write::Slot`).
#[derive(Clone, Copy, PartialEq, Eq)]
enum Slot {
    /// After `key:`.
    MapValue,
    /// After `-`.
    SeqItem,
}

impl<'t> Reader<'t> {
    fn peek(&self) -> Option<u8> {
        self.text.get(self.at).copied()
    }

    /// Consumes `byte` if it is next.
    fn eat(&mut self, byte: u8) -> Option<()> {
        (self.peek()? == byte).then(|| self.at += 1)
    }

    /// The spaces at the start of the line at `at`, and whether the line has
    /// anything after them (`false` for an empty line and at the end).
    fn indentation(&self) -> (usize, bool) {
        let spaces = self.text[self.at..]
            .iter()
            .take_while(|&&b| b == b' ')
            .count();
        let content = self.text.get(self.at + spaces).is_some_and(|&b| b != b'\n');
        (spaces, content)
    }

    /// The entries of a map whose keys sit at column `indent`, up to the
    /// first line indented less. With `first_inline`, the first key is next
    /// (after `- `).
    fn map(&mut self, indent: usize, first_inline: bool) -> Option<Value> {
        let mut map = Map::new();
        let mut inline = first_inline;
        loop {
            if !inline {
                match self.indentation() {
                    (spaces, true) if spaces == indent => self.at += spaces,
                    (spaces, true) if spaces < indent => break,
                    (0, false) if self.at == self.text.len() => break,
                    _ => return None,
                }
            }
            inline = false;
            let key = self.key()?;
            self.eat(b':')?;
            let value = self.node(indent, Slot::MapValue)?;
            if map.insert(key, value).is_some() {
                return None;
            }
        }
        (!map.is_empty()).then_some(Value::Object(map))
    }

    /// A key, plain or double-quoted, up to its `:`.
    fn key(&mut self) -> Option<String> {
        if self.peek()? == b'"' {
            return self.double_quoted();
        }
        let start = self.at;
        let end = self.plain_key_end()?;
        self.at = end;
        let key = &self.source[start..end];
        is_plain_safe(key).then(|| key.to_owned())
    }

    /// Where the plain key at `at` ends: at the first `:` followed by a
    /// space or a line break (a plain scalar holds `:` only before anything
    /// else).
    fn plain_key_end(&self) -> Option<usize> {
        let line = &self.text[self.at..];
        let mut offset = 0;
        loop {
            match line.get(offset)? {
                b'\n' => return None,
                b':' if matches!(line.get(offset + 1), Some(b' ' | b'\n')) => {
                    return Some(self.at + offset);
                }
                _ => offset += 1,
            }
        }
    }

    /// The items of a sequence whose `-` sit at column `indent`.
    fn seq(&mut self, indent: usize) -> Option<Value> {
        let mut items = Vec::new();
        loop {
            match self.indentation() {
                (spaces, true) if spaces == indent => self.at += spaces,
                (spaces, true) if spaces < indent => break,
                (0, false) if self.at == self.text.len() => break,
                _ => return None,
            }
            self.eat(b'-')?;
            items.push(self.node(indent, Slot::SeqItem)?);
        }
        (!items.is_empty()).then_some(Value::Array(items))
    }

    /// The value after its indicator (`key:` or `-` at column `owner`),
    /// through the line break ending it.
    fn node(&mut self, owner: usize, slot: Slot) -> Option<Value> {
        match self.peek()? {
            // A collection on the next lines, two columns deeper: a map
            // under a key, or a sequence (under a key or an item).
            b'\n' => {
                self.at += 1;
                let deeper = owner + STEP;
                let (spaces, content) = self.indentation();
                if !content || spaces != deeper {
                    return None;
                }
                if self.text.get(self.at + spaces) == Some(&b'-') {
                    self.seq(deeper)
                } else if slot == Slot::MapValue {
                    self.map(deeper, false)
                } else {
                    None
                }
            }
            b' ' => {
                self.at += 1;
                if slot == Slot::SeqItem && self.starts_a_key()? {
                    return self.map(owner + STEP, true);
                }
                self.scalar(owner)
            }
            _ => None,
        }
    }

    /// True when the item's text at `at` is a key (`key: …` or `key:` at
    /// the end of the line), so the item is a map starting on its `- ` line.
    fn starts_a_key(&self) -> Option<bool> {
        match self.peek()? {
            b'"' => {
                let mut probe = *self;
                probe.double_quoted()?;
                Some(probe.peek() == Some(b':'))
            }
            b'|' | b'{' | b'[' | b'?' => Some(false),
            _ => Some(self.plain_key_end().is_some()),
        }
    }

    /// A scalar or an empty collection owned by the `key:` or `-` at column
    /// `owner`, through its line break(s).
    fn scalar(&mut self, owner: usize) -> Option<Value> {
        let value = match self.peek()? {
            b'"' => Value::String(self.double_quoted()?),
            b'|' => return self.literal(owner + STEP),
            _ => {
                let start = self.at;
                let length = self.text[start..].iter().position(|&b| b == b'\n')?;
                self.at += length;
                match &self.source[start..start + length] {
                    "null" => Value::Null,
                    "{}" => Value::Object(Map::new()),
                    "[]" => Value::Array(Vec::new()),
                    text => written_plain(text)?,
                }
            }
        };
        self.eat(b'\n')?;
        Some(value)
    }

    /// A double-quoted string on one line, with the writer's escapes.
    fn double_quoted(&mut self) -> Option<String> {
        self.eat(b'"')?;
        let mut text = String::new();
        let mut run = self.at;
        loop {
            match self.peek()? {
                b'"' => break,
                b'\n' => return None,
                b'\\' => {
                    text.push_str(&self.source[run..self.at]);
                    self.at += 1;
                    let escaped = match self.peek()? {
                        b'"' => '"',
                        b'\\' => '\\',
                        b'n' => '\n',
                        b't' => '\t',
                        b'r' => '\r',
                        b'u' => {
                            let hex = self.source.get(self.at + 1..self.at + 5)?;
                            if !hex.bytes().all(|b| b.is_ascii_hexdigit()) {
                                return None;
                            }
                            self.at += 4;
                            char::from_u32(u32::from_str_radix(hex, 16).ok()?)?
                        }
                        _ => return None,
                    };
                    text.push(escaped);
                    self.at += 1;
                    run = self.at;
                }
                _ => self.at += 1,
            }
        }
        text.push_str(&self.source[run..self.at]);
        self.at += 1;
        Some(text)
    }

    /// A literal block (`|`, `|-`, `|+`, with or without the `2` indicator),
    /// its lines at column `indent`.
    fn literal(&mut self, indent: usize) -> Option<Value> {
        self.eat(b'|')?;
        // The indicator only tells other readers what the writer always
        // does: content two columns under its key or `-`.
        let _ = self.eat(b'2');
        let chomping = match self.peek()? {
            chomping @ (b'-' | b'+') => {
                self.at += 1;
                chomping
            }
            _ => b'|',
        };
        self.eat(b'\n')?;
        // Each line of the block, empty lines as "".
        let mut lines: Vec<&str> = Vec::new();
        loop {
            match self.indentation() {
                (spaces, true) if spaces >= indent => {
                    let start = self.at + indent;
                    let length = self.text[start..].iter().position(|&b| b == b'\n')?;
                    lines.push(&self.source[start..start + length]);
                    self.at = start + length + 1;
                }
                (0, false) if self.at < self.text.len() => {
                    lines.push("");
                    self.at += 1;
                }
                _ => break,
            }
        }
        // Empty lines at the end belong to `|+`, and the block has at least
        // one line that is not empty.
        let trailing = lines
            .iter()
            .rev()
            .take_while(|line| line.is_empty())
            .count();
        let body = &lines[..lines.len() - trailing];
        if body.is_empty() {
            return None;
        }
        let mut text = body.join("\n");
        match (chomping, trailing) {
            (b'-', 0) => {}
            (b'|', 0) => text.push('\n'),
            (b'+', _) => text.extend(std::iter::repeat_n('\n', trailing + 1)),
            _ => return None,
        }
        Some(Value::String(text))
    }
}

/// The value of a plain scalar, if the writer wrote it so: a string it
/// writes plain, `true`, `false`, or a number as it prints numbers. Anything
/// else (`True`, `0x1F`, `a #b`, `&anchor`) is read otherwise by one YAML
/// reader or another, and the writer never writes it.
fn written_plain(text: &str) -> Option<Value> {
    match plain(text) {
        Value::String(string) => is_plain_safe(&string).then_some(Value::String(string)),
        Value::Bool(value) => {
            (text == if value { "true" } else { "false" }).then_some(Value::Bool(value))
        }
        Value::Number(number) => {
            let mut written = String::new();
            write_number(&mut written, &number);
            (written == text).then_some(Value::Number(number))
        }
        Value::Null | Value::Array(_) | Value::Object(_) => None,
    }
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;
    use crate::source::FileId;
    use crate::yaml::write::to_yaml;
    use crate::yaml::{Limits, parse, to_json, to_yaml_from};

    /// What the general parser reads `text` as.
    fn parsed(text: &str) -> Value {
        let node = parse(FileId(0), text, &Limits::default()).expect("canonical YAML parses");
        to_json(&node)
    }

    #[track_caller]
    fn reads_back(value: &Value) {
        let text = to_yaml(value);
        assert_eq!(read_canonical(&text).as_ref(), Some(value), "{text}");
        assert_eq!(parsed(&text), *value, "the general parser, on {text}");
        // The typed writer emits the same text, so it reads back the same.
        let typed = to_yaml_from(value, None::<(&str, &Value)>, &[]).expect("a value serializes");
        assert_eq!(typed, text);
    }

    /// Strings each writer style and reader rule meets.
    const STRINGS: [&str; 34] = [
        "web",
        "nginx:1.25",
        "http://x/y",
        "a b",
        "",
        " lead",
        "trail ",
        "two  spaces",
        "a: b",
        "ends:",
        "#comment",
        "a #b",
        "- item",
        "&anchor",
        "*alias",
        "!tag",
        "[1, 2]",
        "{a: 1}",
        "yes",
        "Null",
        "TRUE",
        "~",
        "0x1F",
        "1.5",
        "-3",
        "1e3",
        "tab\there",
        "quote \" and \\ back",
        "caf\u{e9} \u{2028} \u{85} \u{feff}",
        "line\nnext",
        "line\nnext\n",
        "\n\nafter empty lines\n\n\n",
        "  indented first\nsecond\n",
        "a\n\n  b\n",
    ];

    #[test]
    fn every_writer_style_reads_back() {
        for string in STRINGS {
            reads_back(&json!({ "key": string, "list": [string, {"in": string}], string: 1 }));
        }
        reads_back(&json!({
            "numbers": [0, -1, 18446744073709551615_u64, -9223372036854775808_i64, 1.5, -0.25, 1e300, 1.5e-7, 3.0],
            "words": [true, false, null],
            "empty": [{}, [], "", {"a": {}}, {"b": []}],
            "nested": [[1, [2, []]], [[{"a": [[{}]]}]]],
            "blocks": {"a": "x\ny\n", "b": ["x\ny", {"c": "  z\nw\n\n"}]},
        }));
    }

    #[test]
    fn generated_values_read_back_as_the_general_parser_reads_them() {
        // xorshift64*: a fixed sequence, so a failure names a case to rerun.
        let mut state: u64 = 0x9E37_79B9_7F4A_7C15;
        let mut next = move |bound: usize| -> usize {
            state ^= state >> 12;
            state ^= state << 25;
            state ^= state >> 27;
            (state.wrapping_mul(0x2545_F491_4F6C_DD1D) >> 33) as usize % bound
        };
        fn value(next: &mut impl FnMut(usize) -> usize, depth: usize) -> Value {
            match next(if depth > 4 { 5 } else { 8 }) {
                0 => Value::Null,
                1 => Value::Bool(next(2) == 0),
                2 => json!(next(1_000_000) as i64 - 500_000),
                3 => json!(next(1_000_000) as f64 / 64.0 - 7.0),
                4 => Value::String(STRINGS[next(STRINGS.len())].to_owned()),
                5 | 6 => {
                    let mut map = Map::new();
                    for _ in 0..next(4) {
                        map.insert(
                            STRINGS[next(STRINGS.len())].to_owned(),
                            value(next, depth + 1),
                        );
                    }
                    Value::Object(map)
                }
                _ => Value::Array((0..next(4)).map(|_| value(next, depth + 1)).collect()),
            }
        }
        for case in 0..3_000 {
            let mut map = Map::new();
            for _ in 0..=next(4) {
                map.insert(STRINGS[next(STRINGS.len())].to_owned(), value(&mut next, 0));
            }
            let value = Value::Object(map);
            let text = to_yaml(&value);
            assert_eq!(
                read_canonical(&text).as_ref(),
                Some(&value),
                "case {case}:\n{text}"
            );
            assert_eq!(parsed(&text), value, "case {case}:\n{text}");
        }
    }

    #[test]
    fn anything_but_the_canonical_form_is_left_to_the_general_parser() {
        for text in [
            "",
            "- a\n",
            "plain\n",
            "a: b",
            "a:  b\n",
            "a: b \n",
            "a:\tb\n",
            "a: b # comment\n",
            "a: b\n\nc: d\n",
            "a:\n    b: 1\n",
            "a:\n  - 1\n   - 2\n",
            "a:\n- 1\n",
            "a: True\n",
            "a: 0x1F\n",
            "a: 1e3\n",
            "a: 01\n",
            "a: ~\n",
            "a: yes\n",
            "a: &x b\n",
            "a: [1, 2]\n",
            "a: {b: 1}\n",
            "a: \"\\x41\"\n",
            "a: \"open\n",
            "? a\n: b\n",
            "\"a b\" : 1\n",
            "a: 1\na: 2\n",
            "a: |\n  x\n\n",
            "a: |\n\n",
            "a: |-\n  x\n\n",
            "a:\n  b\n",
        ] {
            assert_eq!(read_canonical(text), None, "{text:?}");
        }
    }
}

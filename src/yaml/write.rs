//! YAML emission: the crate's only YAML *formatter*. It turns a finished
//! [`serde_json::Value`] into canonical YAML text that reads back as exactly
//! that value under YAML 1.1 (PyYAML; Go `yaml.v2` as used by kubectl) and
//! YAML 1.2 (ruamel.yaml; Go `yaml.v3` as used by kustomize). The unit tests
//! check this with `scripts/yaml_roundtrip.py`.
//!
//! What it owns: the canonical text form. Snapshots, diffs and content hashes
//! depend on it byte for byte, so any change here is a format change.
//!
//! What it must not do: parse YAML (that is `crate::yaml`), know anything about
//! Kubernetes, reorder or drop keys, add comments, directives or `---` document
//! markers (assembling a multi-document stream is the caller's job), or fail:
//! every `Value` has a rendering.
//!
//! # Canonical form
//!
//! - One document, block style, no leading `---`, ending in a newline.
//! - Two-space indentation. Keys are emitted in the map's iteration order
//!   (sorted, since serde_json is built without `preserve_order`).
//! - A non-empty map or sequence under a key starts on the next line, two spaces
//!   deeper than the key; sequences are never "indentless":
//!
//!   ```yaml
//!   spec:
//!     containers:
//!       - name: app
//!         ports:
//!           - containerPort: 8080
//!   ```
//!
//! - A map inside a sequence starts on the `- ` line (`- name: app`). A sequence
//!   inside a sequence puts a bare `-` on its own line and the inner items two
//!   spaces deeper (`-\n  - a`), never `- - a`.
//! - `{}` and `[]` for empty collections, `null`, `true`, `false`, and numbers
//!   as serde_json prints them, except that a float in exponent form gets a
//!   fraction and a signed exponent (`1e+300` or `1e300` becomes `1.0e+300`),
//!   because the YAML 1.1 float pattern requires both and PyYAML would read
//!   `1e+300` as a string.
//! - Keys longer than 1000 bytes once written (quotes and escapes included)
//!   use the explicit form (`? key` then `: value` on the next line): YAML caps implicit keys at
//!   1024 characters.
//!
//! # Strings
//!
//! Each string (key or value) takes the first style that applies:
//!
//! 1. **Plain** if it is provably a string to every 1.1 and 1.2 resolver:
//!    - it is non-empty and only contains ASCII letters, digits and
//!      `. _ / @ % + - = : space`;
//!    - it starts with a letter, `_` or `/`, so it cannot begin with an
//!      indicator and cannot match any number, timestamp or sexagesimal pattern
//!      (those all start with a digit, `+`, `-` or `.`), nor `~`, `<<` or `=`;
//!    - every `:` is followed by a character other than a space (so `: ` and a
//!      final `:` never occur; `nginx:1.25` and `http://x` stay plain);
//!    - every space is followed by a character other than a space (single
//!      internal spaces only: no leading, trailing or doubled spaces). `#` is
//!      never allowed, so ` #` cannot start a comment;
//!    - it is not, ignoring ASCII case, one of the 1.1 boolean and null words
//!      `y n yes no on off true false null`.
//! 2. **Literal block** (`|`) for a value (never a key) that contains a line
//!    break, when all of these hold: it has at least one non-empty line; it
//!    has no character that would need an escape other than `\n` (so no tab,
//!    CR, other control characters, U+0085, U+2028, U+2029, U+FEFF, U+FFFE,
//!    U+FFFF); and no line ends in a space (that also rules out lines of only
//!    spaces, which readers treat inconsistently and reviewers cannot see).
//!    Content sits two columns deeper than the key or `-` it belongs to; empty
//!    lines are written empty. Chomping: `|-` for no final newline, `|` for
//!    one, `|+` for more. If the first non-empty line starts with a space, the
//!    header carries the indentation indicator `2` (`|2`, `|2-`, `|2+`) so
//!    readers do not guess the indentation from it; at the document root, where
//!    readers disagree on what the indicator is relative to, such a string is
//!    double-quoted instead.
//! 3. **Double-quoted** otherwise, on a single line, never folded. Escapes:
//!    `\"`, `\\`, `\n`, `\t`, `\r`, and `\uXXXX` (upper-case hex) for the other
//!    C0 controls, DEL, the C1 range U+0080..=U+009F (including NEL), U+2028,
//!    U+2029, U+FEFF, U+FFFE and U+FFFF. Everything else, including other
//!    non-ASCII text, is written as UTF-8.
//!
//! Speed: this is the floor of every render, so it writes straight into the
//! caller's buffer with no per-scalar allocation and no regex.

use std::fmt::Write as _;

use serde_json::{Map, Number, Value};

/// Longest key, in bytes as written (quotes and escapes included), that is
/// emitted as an implicit `key: value`. YAML limits implicit keys to 1024
/// characters; bytes are never fewer than characters, and the margin keeps us
/// clear of readers that count slightly differently.
const MAX_IMPLICIT_KEY_BYTES: usize = 1000;

/// Width of one indentation step. Also how far block scalar content sits
/// under its key or `-`, which the `2` indentation indicator relies on.
pub(super) const STEP: usize = 2;

const SPACES: &str = "                                                                ";

/// Renders `value` as one canonical YAML document (no `---`, final newline).
pub fn to_yaml(value: &Value) -> String {
    let mut out = String::new();
    write_yaml(&mut out, value);
    out
}

/// Appends `value` to `out` as one canonical YAML document (no `---`, final
/// newline). Callers building a stream write `---\n` between documents.
pub fn write_yaml(out: &mut String, value: &Value) {
    write_node(out, value, 0, Slot::Root);
}

/// Where a node sits; decides what goes between its indicator and its content.
#[derive(Clone, Copy, PartialEq, Eq)]
pub(super) enum Slot {
    /// The document itself: nothing precedes it, collections start at column 0.
    Root,
    /// After `key:`. Collections start on the next line.
    MapValue,
    /// After `-`. A map starts on the same line, a sequence on the next.
    SeqItem,
}

/// Writes `value` right after its indicator (`key:`, `-`, or nothing at the
/// root) through to the end of its last line. `indent` is the column of the key
/// or `-` that owns it (0 at the root).
fn write_node(out: &mut String, value: &Value, indent: usize, slot: Slot) {
    match value {
        Value::Object(map) if !map.is_empty() => match slot {
            Slot::Root => write_map(out, map, 0, false),
            Slot::MapValue => {
                out.push('\n');
                write_map(out, map, indent + STEP, false);
            }
            Slot::SeqItem => {
                out.push(' ');
                write_map(out, map, indent + STEP, true);
            }
        },
        Value::Array(seq) if !seq.is_empty() => match slot {
            Slot::Root => write_seq(out, seq, 0),
            Slot::MapValue | Slot::SeqItem => {
                out.push('\n');
                write_seq(out, seq, indent + STEP);
            }
        },
        scalar => {
            if slot != Slot::Root {
                out.push(' ');
            }
            write_scalar(out, scalar, indent, slot);
        }
    }
}

/// Writes the entries of a non-empty map at column `indent`. With
/// `first_inline`, the cursor already sits at that column (after `- `).
fn write_map(out: &mut String, map: &Map<String, Value>, indent: usize, first_inline: bool) {
    for (i, (key, value)) in map.iter().enumerate() {
        if i > 0 || !first_inline {
            write_indent(out, indent);
        }
        write_key(out, key, indent);
        write_node(out, value, indent, Slot::MapValue);
    }
}

/// Writes `key:` of an entry at column `indent`, the cursor already there.
pub(super) fn write_key(out: &mut String, key: &str, indent: usize) {
    let start = out.len();
    write_string_inline(out, key);
    if out.len() - start > MAX_IMPLICIT_KEY_BYTES {
        // Rare (only for absurd keys), so shifting the key right is fine.
        out.insert_str(start, "? ");
        out.push('\n');
        write_indent(out, indent);
    }
    out.push(':');
}

/// Writes the items of a non-empty sequence, each `-` at column `indent`.
fn write_seq(out: &mut String, seq: &[Value], indent: usize) {
    for item in seq {
        write_indent(out, indent);
        out.push('-');
        write_node(out, item, indent, Slot::SeqItem);
    }
}

/// Writes a scalar or an empty collection and the line break(s) ending it.
fn write_scalar(out: &mut String, value: &Value, indent: usize, slot: Slot) {
    match value {
        Value::Null => out.push_str("null"),
        Value::Bool(true) => out.push_str("true"),
        Value::Bool(false) => out.push_str("false"),
        Value::Number(n) => write_number(out, n),
        Value::String(s) => return write_string(out, s, indent, slot),
        // Only empty collections get here; `write_node` lays out the others.
        Value::Array(_) => out.push_str("[]"),
        Value::Object(_) => out.push_str("{}"),
    }
    out.push('\n');
}

/// Writes a string value in the first style that applies (module docs) and
/// the line break(s) ending it.
pub(super) fn write_string(out: &mut String, s: &str, indent: usize, slot: Slot) {
    if is_plain_safe(s) {
        out.push_str(s);
    } else if let Some(header) = literal_header(s, slot != Slot::Root) {
        write_literal(out, s, header, indent + STEP);
        // The block wrote its own line breaks.
        return;
    } else {
        write_double_quoted(out, s);
    }
    out.push('\n');
}

pub(super) fn write_number(out: &mut String, n: &Number) {
    let start = out.len();
    // `fmt::Write` for `String` cannot fail.
    let _ = write!(out, "{n}");
    if n.is_f64() {
        fix_float_exponent(out, start);
    }
}

/// serde_json prints large and tiny floats as `1e+300` / `1.5e-7` (older
/// versions: `1e300`). YAML 1.2 reads those as floats but the YAML 1.1 pattern
/// (`[-+]?[0-9][0-9_]*\.[0-9_]*([eE][-+][0-9]+)?`) needs a `.` and a signed
/// exponent, so rewrite the number written from `start` into `1.0e+300` /
/// `1.5e-7`, which both read as the same float.
fn fix_float_exponent(out: &mut String, start: usize) {
    let Some(e) = out
        .get(start..)
        .and_then(|s| s.find('e'))
        .map(|i| start + i)
    else {
        return;
    };
    if !matches!(out.as_bytes().get(e + 1), Some(b'-' | b'+')) {
        out.insert(e + 1, '+');
    }
    if !out.get(start..e).is_some_and(|m| m.contains('.')) {
        out.insert_str(e, ".0");
    }
}

/// Writes a string as a single-line scalar: plain when safe, else
/// double-quoted. Used for keys, which are never block scalars.
fn write_string_inline(out: &mut String, s: &str) {
    if is_plain_safe(s) {
        out.push_str(s);
    } else {
        write_double_quoted(out, s);
    }
}

/// The plain-scalar rule from the module docs. ASCII-only, so it can work on
/// bytes: one table lookup per byte, since every string of a render goes
/// through here.
pub(super) fn is_plain_safe(s: &str) -> bool {
    let bytes = s.as_bytes();
    let Some(&first) = bytes.first() else {
        return false;
    };
    if !(first.is_ascii_alphabetic() || first == b'_' || first == b'/') {
        return false;
    }
    // Most strings hold neither `:` nor a space: one lookup per byte, and
    // the bytes after those looked at only when one was seen.
    let mut separated = false;
    for &b in bytes {
        match PLAIN_CLASS[usize::from(b)] {
            Plain::Always => {}
            Plain::BeforeNonSpace => separated = true,
            Plain::Never => return false,
        }
    }
    // A `:` followed by a space or at the end is the mapping value
    // indicator. Leading, trailing and doubled spaces are legal plain but
    // easy to misread and to lose. (` #` would start a comment, but `#` is
    // not allowed at all.)
    if separated
        && bytes.iter().enumerate().any(|(i, &b)| {
            matches!(PLAIN_CLASS[usize::from(b)], Plain::BeforeNonSpace)
                && bytes.get(i + 1).is_none_or(|&next| next == b' ')
        })
    {
        return false;
    }
    !is_bool_or_null_word(s)
}

/// Where a byte may stand in a plain scalar.
#[derive(Clone, Copy)]
enum Plain {
    Never,
    Always,
    /// `:` and space: only before a character other than a space.
    BeforeNonSpace,
}

/// [`Plain`] of every byte: letters, digits and `. _ / @ % + - =` always,
/// `:` and space before a non-space, nothing else.
static PLAIN_CLASS: [Plain; 256] = {
    let mut class = [Plain::Never; 256];
    let mut b = 0;
    while b < 256 {
        class[b] = match b as u8 {
            b'A'..=b'Z'
            | b'a'..=b'z'
            | b'0'..=b'9'
            | b'.'
            | b'_'
            | b'/'
            | b'@'
            | b'%'
            | b'+'
            | b'-'
            | b'=' => Plain::Always,
            b':' | b' ' => Plain::BeforeNonSpace,
            _ => Plain::Never,
        };
        b += 1;
    }
    class
};

/// YAML 1.1 booleans (`y`, `yes`, `on`, ... in any case Go `yaml.v2` or PyYAML
/// accept) and null. Compared case-insensitively: that also covers `yEs`,
/// which no reader resolves, at the cost of two quotes.
fn is_bool_or_null_word(s: &str) -> bool {
    const WORDS: [&str; 9] = ["y", "n", "yes", "no", "on", "off", "true", "false", "null"];
    s.len() <= 5 && WORDS.iter().any(|w| s.eq_ignore_ascii_case(w))
}

/// A character that must be written as an escape: it is not printable in
/// YAML, is a line break in YAML 1.1 (NEL, LS, PS), or is invisible and easily
/// mangled (tab, BOM). Excludes `"` and `\`, which only matter inside double
/// quotes.
fn needs_escape(c: char) -> bool {
    matches!(
        c,
        '\0'..='\x1f'
            | '\x7f'..='\u{9f}'
            | '\u{2028}'
            | '\u{2029}'
            | '\u{feff}'
            | '\u{fffe}'
            | '\u{ffff}'
    )
}

/// Block-scalar header for `s` (`|`, `|-`, `|+`, optionally with the `2`
/// indentation indicator) if the literal-block rule from the module docs
/// allows one. `indicator_ok` is false at the document root.
fn literal_header(s: &str, indicator_ok: bool) -> Option<&'static str> {
    let body = s.trim_end_matches('\n');
    let trailing_newlines = s.len() - body.len();
    if body.is_empty() {
        // Nothing but line breaks: nothing for a reader to anchor the block on.
        return None;
    }
    if trailing_newlines == 0 && !body.contains('\n') {
        // A single line.
        return None;
    }
    // No line may end in a space, and nothing may need an escape. Blocks are
    // mostly ASCII (configuration files, dashboards), checked byte by byte
    // without a branch, so many bytes are checked at once; other text is
    // decoded.
    if body.contains(" \n") || body.ends_with(' ') {
        return None;
    }
    let escapes = if body.is_ascii() {
        body.bytes().fold(false, |found, b| {
            found | (b < b' ') & (b != b'\n') | (b == 0x7f)
        })
    } else {
        body.chars().any(|c| c != '\n' && needs_escape(c))
    };
    if escapes {
        return None;
    }
    block_header(body, trailing_newlines, indicator_ok)
}

/// The header of a block whose text is fit for one: `body` without its
/// `trailing_newlines`, which decide the chomping indicator.
fn block_header(body: &str, trailing_newlines: usize, indicator_ok: bool) -> Option<&'static str> {
    // Readers take the block's indentation from its first non-empty line.
    let indicator = body.trim_start_matches('\n').starts_with(' ');
    if indicator && !indicator_ok {
        return None;
    }
    Some(match (indicator, trailing_newlines) {
        (false, 0) => "|-",
        (false, 1) => "|",
        (false, _) => "|+",
        (true, 0) => "|2-",
        (true, 1) => "|2",
        (true, _) => "|2+",
    })
}

/// The lines of `s` as a map value written as a literal block with the
/// header `|`, its content at `column`: what follows the header's line
/// break. `None` if `s` is not written so (it is plain or double-quoted, or
/// its block needs another header).
pub fn literal_lines(s: &str, column: usize) -> Option<String> {
    if is_plain_safe(s) || literal_header(s, true) != Some("|") {
        return None;
    }
    let mut out = String::new();
    write_literal(&mut out, s, "|", column);
    Some(out.split_off(2))
}

/// Writes `s` as a literal block under `header`, content at column `indent`.
fn write_literal(out: &mut String, s: &str, header: &str, indent: usize) {
    let body = s.trim_end_matches('\n');
    let trailing_newlines = s.len() - body.len();
    // A dashboard is hundreds of short lines: room for all of them at once,
    // and the line breaks found many bytes at a time.
    let breaks = memchr::memchr_iter(b'\n', body.as_bytes());
    let lines = breaks.clone().count() + 1;
    out.reserve(header.len() + body.len() + lines * (indent + 1) + trailing_newlines);
    out.push_str(header);
    out.push('\n');
    let mut start = 0;
    for end in breaks.chain(std::iter::once(body.len())) {
        let line = &body[start..end];
        if !line.is_empty() {
            write_indent(out, indent);
            out.push_str(line);
        }
        out.push('\n');
        start = end + 1;
    }
    // `|+` keeps them: the first was written with the last line.
    for _ in 1..trailing_newlines {
        out.push('\n');
    }
}

fn write_double_quoted(out: &mut String, s: &str) {
    out.push('"');
    let bytes = s.as_bytes();
    let mut run_start = 0;
    let mut i = 0;
    // ASCII is judged by the byte; only other characters are decoded.
    while i < bytes.len() {
        let b = bytes[i];
        let (escape, c, len) = if b < 0x80 {
            let escape = match b {
                b'"' => "\\\"",
                b'\\' => "\\\\",
                b'\n' => "\\n",
                b'\t' => "\\t",
                b'\r' => "\\r",
                0..=0x1f | 0x7f => "",
                _ => {
                    i += 1;
                    continue;
                }
            };
            (escape, char::from(b), 1)
        } else {
            let Some(c) = s[i..].chars().next() else {
                break;
            };
            if !needs_escape(c) {
                i += c.len_utf8();
                continue;
            }
            ("", c, c.len_utf8())
        };
        out.push_str(&s[run_start..i]);
        if escape.is_empty() {
            // Every escaped code point is below U+10000.
            let _ = write!(out, "\\u{:04X}", u32::from(c));
        } else {
            out.push_str(escape);
        }
        i += len;
        run_start = i;
    }
    out.push_str(&s[run_start..]);
    out.push('"');
}

pub(super) fn write_indent(out: &mut String, mut n: usize) {
    while n > SPACES.len() {
        out.push_str(SPACES);
        n -= SPACES.len();
    }
    out.push_str(&SPACES[..n]);
}

#[cfg(test)]
#[allow(clippy::disallowed_methods, reason = "tests lay out fixtures on disk")]
mod tests {
    use std::path::Path;
    use std::process::Command;

    use serde_json::json;

    use super::*;
    use crate::testing::Random;

    #[track_caller]
    fn case(input: Value, expected: &str) {
        let got = to_yaml(&input);
        assert_eq!(
            got, expected,
            "\ninput: {input}\n--- got ---\n{got}--- expected ---\n{expected}"
        );
    }

    /// Strings some reader would not read back as that string if written plain.
    /// Each must come out double-quoted or as a block scalar, as a value and as
    /// a key, and must round-trip (see `round_trips_through_pyyaml_and_ruamel`).
    const TRAPS: &[&str] = &[
        // YAML 1.1 booleans and nulls, in the spellings readers accept and some
        // they do not (we quote case-insensitively).
        "on",
        "off",
        "On",
        "OFF",
        "yes",
        "No",
        "y",
        "Y",
        "n",
        "N",
        "true",
        "False",
        "null",
        "Null",
        "~",
        "TRUE",
        "NULL",
        "YES",
        "Off",
        "NO",
        "yEs",
        "nULL",
        // Whitespace.
        "",
        " ",
        "  leading",
        "trailing  ",
        "a  b",
        "\t",
        "a\tb",
        // Numbers in every base and notation of 1.1 and 1.2.
        "0",
        "-0",
        "0755",
        "0o17",
        "0x1F",
        "0b1010",
        "1_000",
        "1e3",
        "1E3",
        "1.0e+3",
        "1.5",
        ".5",
        "0.",
        "-1",
        "+1",
        "685.230_15e+03",
        ".inf",
        "-.inf",
        "+.inf",
        ".Inf",
        ".NaN",
        ".NAN",
        "12:30:45",
        "1:20",
        "190:20:30.15",
        "1:30:00",
        // Timestamps.
        "2001-12-14",
        "2001-12-14t21:59:43.10-05:00",
        "2001-12-14 21:59:43.10 -5",
        // Merge, value and indicators.
        "<<",
        "=",
        "-",
        "--",
        "---",
        "...",
        ".",
        "?",
        ":",
        "? q",
        "- item",
        "a: b",
        "key:",
        "a:",
        "a #b",
        "#comment",
        "# x",
        "a#b",
        "@at",
        "@",
        "`tick",
        "|",
        "|-",
        ">",
        ">-",
        "!tag",
        "!!str",
        "!",
        "&anchor",
        "*alias",
        "%directive",
        "[",
        "]",
        "{",
        "}",
        "{}",
        "[]",
        "{a: 1}",
        "[1, 2]",
        "a, b",
        "'",
        "\"",
        "'quoted'",
        "\"dq\"",
        "\\",
        "~/path",
        "a:b ",
        // Line breaks, controls and invisible characters.
        "multi\nline",
        "multi\nline\n",
        "\n",
        "\n\n",
        " \n",
        "a\n",
        "tab\there",
        "ctrl\u{7}",
        "cr\rlf",
        "\r\n",
        "\u{0}",
        "x\u{7f}",
        "\u{85}",
        "\u{2028}",
        "\u{2029}",
        "\u{feff}",
        "\u{fffe}",
        "x\u{9f}y",
        // Non-ASCII (quoted by the whitelist rule, written as UTF-8).
        "café",
        "ключ",
        "日本",
        "🚀",
        "\u{a0}",
    ];

    /// Strings the rule keeps plain that a careless reader might still mangle.
    const PLAIN: &[&str] = &[
        "app",
        "app.kubernetes.io/name",
        "nginx:1.25",
        "registry.example.com:5000/team/app@sha256:abc123",
        "http://example.com/x",
        "default/svc:80",
        "a:b:c",
        "a::b",
        "a b c",
        "FOO=bar",
        "/usr/bin/env",
        "/",
        "_",
        "user@example.com",
        "x%20y",
        "a+b",
        "a-",
        "a.",
        "NaN",
        "Infinity",
        "inf",
        "nan",
        "yesno",
        "onion",
        "nullable",
        "Y2K",
        "n1",
    ];

    #[test]
    fn nested_maps_and_sequences() {
        case(
            json!({"spec": {"containers": [{"name": "app", "ports": [{"containerPort": 8080}]}]}}),
            "spec:\n  containers:\n    - name: app\n      ports:\n        - containerPort: 8080\n",
        );
        case(json!({"b": 1, "a": 2}), "a: 2\nb: 1\n");
        case(
            json!([{"a": 1, "b": {"c": [true, null]}}, "x"]),
            "- a: 1\n  b:\n    c:\n      - true\n      - null\n- x\n",
        );
        case(
            json!([[1, 2], [], [[3]], [{"a": 1, "b": 2}]]),
            "-\n  - 1\n  - 2\n- []\n-\n  -\n    - 3\n-\n  - a: 1\n    b: 2\n",
        );
        case(json!({"a": [[1]]}), "a:\n  -\n    - 1\n");
    }

    #[test]
    fn deep_indentation_beyond_the_spaces_buffer() {
        let mut value = json!("leaf");
        for _ in 0..40 {
            value = json!({ "k": value });
        }
        let text = to_yaml(&value);
        let last = format!("{}k: leaf\n", " ".repeat(2 * 39));
        assert!(text.ends_with(&last), "{text}");
    }

    #[test]
    fn scalars_and_empty_collections() {
        case(json!(null), "null\n");
        case(json!(true), "true\n");
        case(json!(false), "false\n");
        case(json!("x"), "x\n");
        case(json!({}), "{}\n");
        case(json!([]), "[]\n");
        case(
            json!({"a": {}, "b": [], "c": [{}, [], null, ""]}),
            "a: {}\nb: []\nc:\n  - {}\n  - []\n  - null\n  - \"\"\n",
        );
    }

    #[test]
    fn numbers() {
        case(json!(7), "7\n");
        case(
            json!({
                "big": 1e300, "e16": 1e16, "f": 0.5, "i": -5, "imin": i64::MIN, "neg": -2.5e-10,
                "tiny": 1.5e-7, "u": u64::MAX, "whole": 3.0, "zero": -0.0,
            }),
            "big: 1.0e+300\ne16: 1.0e+16\nf: 0.5\ni: -5\nimin: -9223372036854775808\n\
             neg: -2.5e-10\ntiny: 1.5e-7\nu: 18446744073709551615\nwhole: 3.0\nzero: -0.0\n",
        );
    }

    #[test]
    fn plain_strings() {
        for s in PLAIN {
            case(json!({ "k": s }), &format!("k: {s}\n"));
            case(json!({ *s: 1 }), &format!("{s}: 1\n"));
        }
    }

    #[test]
    fn quoting_classes() {
        // Empty, reserved words, numbers, leading indicators.
        case(json!(""), "\"\"\n");
        case(json!("yes"), "\"yes\"\n");
        case(json!("0755"), "\"0755\"\n");
        case(json!("-1"), "\"-1\"\n");
        case(json!("~"), "\"~\"\n");
        case(json!("<<"), "\"<<\"\n");
        // Spaces and colons in the wrong places; characters off the whitelist.
        case(json!("a  b"), "\"a  b\"\n");
        case(json!(" a"), "\" a\"\n");
        case(json!("a "), "\"a \"\n");
        case(json!("a: b"), "\"a: b\"\n");
        case(json!("a:"), "\"a:\"\n");
        case(json!("a #b"), "\"a #b\"\n");
        case(json!("a,b"), "\"a,b\"\n");
        case(json!("a'b"), "\"a'b\"\n");
        // Escapes.
        case(json!("q\"b\\"), "\"q\\\"b\\\\\"\n");
        case(json!("tab\there"), "\"tab\\there\"\n");
        case(json!("cr\rlf"), "\"cr\\rlf\"\n");
        case(
            json!("ctrl\u{7}\u{0}\u{1b}"),
            "\"ctrl\\u0007\\u0000\\u001B\"\n",
        );
        case(
            json!("\u{7f}\u{80}\u{85}\u{9f}\u{a0}\u{2028}\u{2029}\u{feff}\u{fffe}\u{ffff}"),
            "\"\\u007F\\u0080\\u0085\\u009F\u{a0}\\u2028\\u2029\\uFEFF\\uFFFE\\uFFFF\"\n",
        );
        // A key is never a block scalar.
        case(json!({"a\nb": "x"}), "\"a\\nb\": x\n");
    }

    #[test]
    fn unicode_is_quoted_but_not_escaped() {
        case(json!({"name": "café"}), "name: \"café\"\n");
        case(json!({"ключ": "日本 🚀"}), "\"ключ\": \"日本 🚀\"\n");
        case(
            json!({"s": "zero\u{200b}width"}),
            "s: \"zero\u{200b}width\"\n",
        );
    }

    #[test]
    fn keys_needing_quotes() {
        case(
            json!({
                "on": 1, "y": 2, "<<": 3, "app.kubernetes.io/name": 4, "": 5, "8080": 6,
                "a b": 7, "a: b": 8, "null": 9, "~": 10, "-": 11,
            }),
            "\"\": 5\n\"-\": 11\n\"8080\": 6\n\"<<\": 3\na b: 7\n\"a: b\": 8\n\
             app.kubernetes.io/name: 4\n\"null\": 9\n\"on\": 1\n\"y\": 2\n\"~\": 10\n",
        );
    }

    #[test]
    fn long_keys_use_the_explicit_form() {
        let at_limit = "k".repeat(MAX_IMPLICIT_KEY_BYTES);
        case(json!({ &at_limit: 1 }), &format!("{at_limit}: 1\n"));

        let over = "k".repeat(MAX_IMPLICIT_KEY_BYTES + 1);
        case(json!({ &over: 1 }), &format!("? {over}\n: 1\n"));
        case(
            json!({ &over: {"a": 1} }),
            &format!("? {over}\n:\n  a: 1\n"),
        );
        case(
            json!([{ &over: [1], "z": 2 }]),
            &format!("- ? {over}\n  :\n    - 1\n  z: 2\n"),
        );
        // Measured as written: 167 escapes of 6 bytes plus quotes.
        let escaped = "\u{7}".repeat(167);
        let written = format!("\"{}\"", "\\u0007".repeat(167));
        case(json!({ &escaped: 1 }), &format!("? {written}\n: 1\n"));
    }

    #[test]
    fn block_scalars() {
        // Chomping.
        case(json!({"a": "x\ny"}), "a: |-\n  x\n  y\n");
        case(json!({"a": "x\ny\n"}), "a: |\n  x\n  y\n");
        case(json!({"a": "x\n\n"}), "a: |+\n  x\n\n");
        case(json!({"a": "x\n\n\n"}), "a: |+\n  x\n\n\n");
        // Empty lines inside and before the content are written empty.
        case(json!({"a": "x\n\ny\n"}), "a: |\n  x\n\n  y\n");
        case(json!({"a": "\nx"}), "a: |-\n\n  x\n");
        // Leading space on the first non-empty line: indentation indicator.
        case(json!({"a": " lead\nx\n"}), "a: |2\n   lead\n  x\n");
        case(json!({"a": "\n  lead"}), "a: |2-\n\n    lead\n");
        case(json!({"a": "  lead\n\n"}), "a: |2+\n    lead\n\n");
        // Inner leading spaces need no indicator.
        case(json!({"a": "x\n  y\n"}), "a: |\n  x\n    y\n");
        // Content two columns under the key or dash that owns it.
        case(json!(["x\ny"]), "- |-\n  x\n  y\n");
        case(json!([{"k": "x\n"}]), "- k: |\n    x\n");
        case(
            json!({"a": {"b": [" x\n"]}}),
            "a:\n  b:\n    - |2\n       x\n",
        );
        // YAML syntax inside the block is just text.
        case(
            json!({"a": "# c\n---\n...\nk: v \"q\" \\\n- [x]\n"}),
            "a: |\n  # c\n  ---\n  ...\n  k: v \"q\" \\\n  - [x]\n",
        );
        // At the root the content is indented too, so `---` cannot end it.
        case(json!("x\n---\n"), "|\n  x\n  ---\n");
        // ...but no indicator at the root: readers disagree on its base.
        case(json!(" x\ny"), "\" x\\ny\"\n");
    }

    /// A block's lines are what the writer writes after its header, and
    /// only a block headed `|` has them.
    #[test]
    fn literal_lines_are_a_blocks_as_written() {
        let text = "{\n  \"a\": 1\n}\n";
        let written = to_yaml(&json!({"data": {"k": text}}));
        let lines = literal_lines(text, 4).expect("a block headed |");
        assert_eq!(written, format!("data:\n  k: |\n{lines}"));
        assert_eq!(lines, "    {\n      \"a\": 1\n    }\n");
        for other in [
            "plain",
            "x\ny",
            "x\n\n",
            " lead\nx\n",
            "tab\t\n",
            "one line",
        ] {
            assert_eq!(literal_lines(other, 4), None, "{other:?}");
        }
    }

    #[test]
    fn multi_line_strings_that_fall_back_to_double_quotes() {
        // Trailing spaces (including lines of only spaces).
        case(json!({"a": "x \ny"}), "a: \"x \\ny\"\n");
        case(json!({"a": "x\ny "}), "a: \"x\\ny \"\n");
        case(json!({"a": "x\n  \ny"}), "a: \"x\\n  \\ny\"\n");
        // Tabs, CR and other escapes.
        case(json!({"a": "x\ty\n"}), "a: \"x\\ty\\n\"\n");
        case(json!({"a": "x\r\ny\r\n"}), "a: \"x\\r\\ny\\r\\n\"\n");
        case(json!({"a": "x\u{2028}\ny"}), "a: \"x\\u2028\\ny\"\n");
        // Nothing but line breaks.
        case(json!({"a": "\n"}), "a: \"\\n\"\n");
        case(json!({"a": "\n\n"}), "a: \"\\n\\n\"\n");
    }

    #[test]
    fn write_yaml_appends() {
        let mut out = String::from("# head\n");
        write_yaml(&mut out, &json!({"a": 1}));
        out.push_str("---\n");
        write_yaml(&mut out, &json!("on"));
        assert_eq!(out, "# head\na: 1\n---\n\"on\"\n");
    }

    /// The block header and double-quoting as first written, one check per
    /// pass and one character at a time: the byte-wise versions must agree
    /// with them on every string.
    fn literal_header_by_passes(s: &str, indicator_ok: bool) -> Option<&'static str> {
        let body = s.trim_end_matches('\n');
        let trailing_newlines = s.len() - body.len();
        if body.is_empty() || (trailing_newlines == 0 && !body.contains('\n')) {
            return None;
        }
        if body.contains(" \n")
            || body.ends_with(' ')
            || body.chars().any(|c| c != '\n' && needs_escape(c))
        {
            return None;
        }
        block_header(body, trailing_newlines, indicator_ok)
    }

    fn double_quoted_by_characters(s: &str) -> String {
        let mut out = String::from('"');
        for c in s.chars() {
            match c {
                '"' => out.push_str("\\\""),
                '\\' => out.push_str("\\\\"),
                '\n' => out.push_str("\\n"),
                '\t' => out.push_str("\\t"),
                '\r' => out.push_str("\\r"),
                c if needs_escape(c) => out.push_str(&format!("\\u{:04X}", u32::from(c))),
                c => out.push(c),
            }
        }
        out.push('"');
        out
    }

    fn literal_by_lines(s: &str, header: &str, indent: usize) -> String {
        let body = s.trim_end_matches('\n');
        let mut out = format!("{header}\n");
        for line in body.split('\n') {
            if !line.is_empty() {
                out.push_str(&" ".repeat(indent));
                out.push_str(line);
            }
            out.push('\n');
        }
        for _ in 1..s.len() - body.len() {
            out.push('\n');
        }
        out
    }

    /// The plain-scalar test as first written: each `:` and space judged
    /// where it stands.
    fn is_plain_safe_by_position(s: &str) -> bool {
        let bytes = s.as_bytes();
        let Some(&first) = bytes.first() else {
            return false;
        };
        if !(first.is_ascii_alphabetic() || first == b'_' || first == b'/') {
            return false;
        }
        for (i, &b) in bytes.iter().enumerate() {
            match PLAIN_CLASS[usize::from(b)] {
                Plain::Always => {}
                Plain::BeforeNonSpace => match bytes.get(i + 1) {
                    Some(&next) if next != b' ' => {}
                    _ => return false,
                },
                Plain::Never => return false,
            }
        }
        !is_bool_or_null_word(s)
    }

    #[test]
    fn plain_strings_are_those_judged_where_each_separator_stands() {
        const PIECES: [&str; 12] = ["a", "Y", "es", "0", ":", " ", "/", "-", "#", "_", "é", "\n"];
        let mut random = Random::new(0x9_1A1);
        let mut plain = 0;
        for _ in 0..20_000 {
            let len = random.below(8);
            let s: String = (0..len)
                .map(|_| PIECES[random.below(PIECES.len())])
                .collect();
            assert_eq!(is_plain_safe(&s), is_plain_safe_by_position(&s), "{s:?}");
            plain += usize::from(is_plain_safe(&s));
        }
        // Both answers are common, so the comparison tells something.
        assert!((1_000..19_000).contains(&plain), "{plain} plain");
        for s in TRAPS {
            assert_eq!(is_plain_safe(s), is_plain_safe_by_position(s), "{s:?}");
        }
    }

    #[test]
    fn block_and_quoted_strings_are_those_written_character_by_character() {
        // Strings built from the characters that decide a style, in every
        // order: line breaks, spaces before them, control and escaped
        // characters, quotes and backslashes, and text beyond ASCII.
        const PIECES: [&str; 16] = [
            "a",
            " ",
            "\n",
            "\n\n",
            "\"",
            "\\",
            "\t",
            "\r",
            "\u{0}",
            "\u{7f}",
            "\u{85}",
            "é",
            "\u{2028}",
            "\u{feff}",
            "😀",
            "{\"k\": 1}",
        ];
        let mut random = Random::new(0x5EED);
        let mut strings: Vec<String> = TRAPS.iter().map(|s| (*s).to_owned()).collect();
        for _ in 0..20_000 {
            let len = random.below(12);
            strings.push(
                (0..len)
                    .map(|_| PIECES[random.below(PIECES.len())])
                    .collect(),
            );
        }
        for s in &strings {
            for indicator_ok in [false, true] {
                let header = literal_header(s, indicator_ok);
                assert_eq!(header, literal_header_by_passes(s, indicator_ok), "{s:?}");
                if let Some(header) = header {
                    let mut written = String::new();
                    write_literal(&mut written, s, header, 6);
                    assert_eq!(written, literal_by_lines(s, header, 6), "{s:?}");
                }
            }
            let mut quoted = String::new();
            write_double_quoted(&mut quoted, s);
            assert_eq!(quoted, double_quoted_by_characters(s), "{s:?}");
        }
    }

    #[test]
    fn traps_are_never_plain() {
        for trap in TRAPS {
            let as_value = to_yaml(&json!({ "k": trap }));
            let rest = as_value.strip_prefix("k: ").unwrap_or(&as_value);
            assert!(
                rest.starts_with(['"', '|']),
                "value {trap:?} came out as {as_value:?}"
            );
            let as_key = to_yaml(&json!({ *trap: 1 }));
            assert!(
                as_key.starts_with('"'),
                "key {trap:?} came out as {as_key:?}"
            );
            let as_root = to_yaml(&json!(trap));
            assert!(
                as_root.starts_with(['"', '|']),
                "root {trap:?} came out as {as_root:?}"
            );
        }
    }

    /// Emits every trap and plain string as value, key and document, plus the
    /// layout edge cases, and has PyYAML (YAML 1.1) and ruamel.yaml (YAML 1.2)
    /// read the stream back. Needs python3 with both; fails if they are missing.
    #[test]
    fn round_trips_through_pyyaml_and_ruamel() {
        let strings: Vec<&str> = TRAPS.iter().chain(PLAIN).copied().collect();
        let mut seen = std::collections::BTreeSet::new();
        for s in &strings {
            assert!(seen.insert(*s), "duplicate test string {s:?}");
        }

        let mut as_values = Map::new();
        let mut as_keys = Map::new();
        let mut as_both = Map::new();
        let mut nested = Vec::new();
        for (i, s) in strings.iter().enumerate() {
            as_values.insert(format!("v{i:03}"), json!(s));
            as_keys.insert((*s).to_owned(), json!(format!("v{i:03}")));
            as_both.insert((*s).to_owned(), json!(s));
            nested.push(json!([[s], { *s: [s, { *s: s }] }]));
        }
        let over = "k".repeat(MAX_IMPLICIT_KEY_BYTES + 1);
        let escaped_key = "\u{2028}".repeat(200);
        let over_block = format!("{over}b");
        let layout = json!({
            "numbers": [
                0, -5, i64::MIN, u64::MAX, 0.5, 3.0, -0.0, 1e300, 1e16, 1e15, 1.5e-7, 1e-7, -2.5e-10,
                1.2345678901234568e17, f64::MAX, f64::MIN_POSITIVE, 5e-324,
            ],
            "scalars": [null, true, false, {}, [], [[]], [{}], {"a": {}}],
            "blocks": {
                "strip": "x\ny", "clip": "x\ny\n", "keep": "x\n\n", "keep3": "x\n\n\n",
                "inner_empty": "x\n\ny\n", "leading_empty": "\n\nx", "lead_space": " lead\nx\n",
                "lead_space_after_empty": "\n  lead", "lead_space_keep": "  lead\n\n",
                "inner_indent": "x\n  y\n", "syntax": "# c\n---\n...\nk: v \"q\" \\\n- [x]\n",
                "in_seq": ["x\ny", " x\n", {"k": "  y\n\n"}, ["\nz"]],
            },
            "long_keys": {
                &over: 1, &escaped_key: {"a": [1]}, &over_block: " lead\nx\n",
                "short": [{ &over: "v" }, { &over: {"a": [1]}, "z": 2 }, { &over: "x\n\n" }],
            },
            "deep": [[[[{"a": [[{"b": "c\nd"}]]}]]]],
        });

        let mut docs = vec![
            json!({"as_values": as_values, "as_keys": as_keys, "as_both": as_both}),
            json!({"nested": nested}),
            layout,
        ];
        docs.extend(strings.iter().map(|s| json!(s)));
        docs.extend([
            json!(null),
            json!(1e300),
            json!([]),
            json!({}),
            json!(["x\n"]),
            json!("keep\n\n"),
            json!("\nlead"),
            json!([[]]),
            json!([{}]),
        ]);

        let mut stream = String::new();
        for (i, doc) in docs.iter().enumerate() {
            if i > 0 {
                stream.push_str("---\n");
            }
            write_yaml(&mut stream, doc);
        }

        let dir = tempfile::tempdir().expect("create temp dir");
        let doc_path = dir.path().join("doc.yaml");
        let expected_path = dir.path().join("expected.json");
        std::fs::write(&doc_path, &stream).expect("write doc.yaml");
        std::fs::write(&expected_path, Value::Array(docs).to_string()).expect("write json");

        let script = Path::new(env!("CARGO_MANIFEST_DIR")).join("scripts/yaml_roundtrip.py");
        let hint = "this test needs python3 with PyYAML and ruamel.yaml: \
                    pip install -r requirements-test.txt";
        let output = Command::new("python3")
            .arg(&script)
            .arg(&doc_path)
            .arg(&expected_path)
            .output()
            .unwrap_or_else(|err| panic!("could not run python3 ({err}); {hint}"));
        // The script exits 1 for mismatches and 2 for usage errors or missing
        // packages; anything but 0 fails the test.
        let what = if output.status.code() == Some(1) {
            "the emitted YAML does not read back as the input"
        } else {
            hint
        };
        assert!(
            output.status.success(),
            "{} exited with {}: {what}\n--- stdout ---\n{}--- stderr ---\n{}",
            script.display(),
            output.status,
            String::from_utf8_lossy(&output.stdout),
            String::from_utf8_lossy(&output.stderr),
        );
    }
}

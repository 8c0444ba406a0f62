//! Reading the paths out of a Rust source file without a Rust parser: the
//! code with comments, string and character literals and `#[cfg(test)]`
//! items blanked (so nothing in them reads as a path), then every `use` tree
//! and every path written inline.

/// A path the code names, as written: `crate::spec::Image` is
/// `["crate", "spec", "Image"]`, with the line it is on.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) struct WrittenPath {
    pub(super) segments: Vec<String>,
    pub(super) line: usize,
}

/// One leaf of a `use` tree: the path it imports and the name it binds
/// (`None` for a glob).
#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) struct Import {
    pub(super) path: WrittenPath,
    pub(super) name: Option<String>,
}

/// The paths of one file's production code.
#[derive(Debug, Default)]
pub(super) struct FilePaths {
    /// Every leaf of every `use` declaration.
    pub(super) imports: Vec<Import>,
    /// Every path of two or more segments written outside `use` declarations.
    pub(super) inline: Vec<WrittenPath>,
}

/// The production code of `text` with comments, literals and
/// `#[cfg(test)]` items blanked to spaces: the same length and line breaks,
/// so offsets still give line numbers.
pub(super) fn production_code(text: &str) -> String {
    let mut code = blank_comments_and_literals(text.as_bytes());
    blank_test_items(&mut code);
    String::from_utf8(code).expect("blanking keeps whole UTF-8 sequences")
}

/// The imports and inline paths of `code` (as given by [`production_code`]).
pub(super) fn paths(code: &str) -> FilePaths {
    let bytes = code.as_bytes();
    let mut found = FilePaths::default();
    let mut index = 0;
    while index < bytes.len() {
        if !is_ident_start(bytes[index]) && bytes[index] != b'$' {
            index += 1;
            continue;
        }
        let start = index;
        let word_end = ident_end(bytes, start + 1);
        let word = &code[start..word_end];
        let after_path_separator = code[..start].trim_end().ends_with("::");
        if word == "use"
            && !after_path_separator
            && bytes.get(word_end).is_some_and(u8::is_ascii_whitespace)
        {
            let end = code[word_end..]
                .find(';')
                .map_or(code.len(), |i| word_end + i);
            let line = line_of(code, word_end);
            let mut leaves = Vec::new();
            use_tree(&code[word_end..end], &mut Vec::new(), &mut leaves);
            found
                .imports
                .extend(leaves.into_iter().map(|(segments, name)| Import {
                    path: WrittenPath { segments, line },
                    name,
                }));
            index = end;
            continue;
        }
        if after_path_separator || word == "$" {
            index = word_end;
            continue;
        }
        let (segments, end) = path_at(code, start);
        if segments.len() >= 2 {
            found.inline.push(WrittenPath {
                segments,
                line: line_of(code, start),
            });
        }
        index = end;
    }
    found
}

/// The path starting at `start` (`a::b::c`, whitespace allowed around `::`)
/// and the offset after it. A turbofish (`::<`) ends it.
fn path_at(code: &str, start: usize) -> (Vec<String>, usize) {
    let bytes = code.as_bytes();
    let mut segments = Vec::new();
    let mut index = start;
    loop {
        let end = ident_end(bytes, index + 1);
        segments.push(code[index..end].to_owned());
        index = end;
        let rest = code[index..].trim_start();
        let Some(after) = rest.strip_prefix("::") else {
            return (segments, index);
        };
        let next = after.trim_start();
        let next_start = code.len() - next.len();
        if !next.as_bytes().first().copied().is_some_and(is_ident_start) {
            return (segments, index);
        }
        index = next_start;
    }
}

/// The leaves of a use tree such as `crate::a::{b, c::{d as e, self}}`: each
/// full path with the name it binds.
fn use_tree(tree: &str, prefix: &mut Vec<String>, out: &mut Vec<(Vec<String>, Option<String>)>) {
    let tree = tree.trim().trim_start_matches("::").trim();
    if let Some(inner) = tree.strip_prefix('{').and_then(|t| t.strip_suffix('}')) {
        for part in top_level_items(inner) {
            use_tree(part, prefix, out);
        }
        return;
    }
    if let Some((head, tail)) = split_head(tree) {
        prefix.push(head.to_owned());
        use_tree(tail, prefix, out);
        prefix.pop();
        return;
    }
    let (name, alias) = match tree.split_once(" as ") {
        Some((name, alias)) => (name.trim(), Some(alias.trim())),
        None => (tree, None),
    };
    let mut path = prefix.clone();
    let bound = match name {
        "*" => None,
        "self" => alias
            .or(prefix.last().map(String::as_str))
            .map(str::to_owned),
        "" => return,
        name => {
            path.push(name.to_owned());
            Some(alias.unwrap_or(name).to_owned())
        }
    };
    out.push((path, bound.filter(|name| name != "_")));
}

/// `a::rest` as (`a`, `rest`), when `::` comes before any brace.
fn split_head(tree: &str) -> Option<(&str, &str)> {
    let separator = tree.find("::")?;
    if tree[..separator].contains('{') {
        return None;
    }
    Some((tree[..separator].trim(), &tree[separator + 2..]))
}

/// `a, b::{c, d}, e` split at the commas outside braces.
fn top_level_items(list: &str) -> Vec<&str> {
    let mut items = Vec::new();
    let (mut depth, mut start) = (0usize, 0usize);
    for (index, c) in list.char_indices() {
        match c {
            '{' => depth += 1,
            '}' => depth = depth.saturating_sub(1),
            ',' if depth == 0 => {
                items.push(&list[start..index]);
                start = index + 1;
            }
            _ => {}
        }
    }
    items.push(&list[start..]);
    items
        .into_iter()
        .filter(|item| !item.trim().is_empty())
        .collect()
}

fn is_ident_start(byte: u8) -> bool {
    byte.is_ascii_alphabetic() || byte == b'_'
}

fn is_ident(byte: u8) -> bool {
    byte.is_ascii_alphanumeric() || byte == b'_'
}

fn ident_end(bytes: &[u8], from: usize) -> usize {
    let mut end = from.min(bytes.len());
    while end < bytes.len() && is_ident(bytes[end]) {
        end += 1;
    }
    end
}

fn line_of(code: &str, offset: usize) -> usize {
    code[..offset].bytes().filter(|b| *b == b'\n').count() + 1
}

/// Blanks `bytes[from..to]` to spaces, keeping line breaks.
fn blank(bytes: &mut [u8], from: usize, to: usize) {
    let to = to.min(bytes.len());
    for byte in &mut bytes[from..to] {
        if *byte != b'\n' {
            *byte = b' ';
        }
    }
}

/// `text` with line and (nested) block comments, string literals (raw or
/// not, byte or not) and character literals blanked; lifetimes stay.
fn blank_comments_and_literals(text: &[u8]) -> Vec<u8> {
    let mut out = text.to_vec();
    let mut index = 0;
    while index < text.len() {
        let rest = &text[index..];
        // A quote right after an identifier ends a lifetime or is a byte
        // literal's (`b'x'`).
        let byte_prefix =
            index > 0 && text[index - 1] == b'b' && (index < 2 || !is_ident(text[index - 2]));
        let previous_is_ident = index > 0 && is_ident(text[index - 1]) && !byte_prefix;
        if rest.starts_with(b"//") {
            let end = rest
                .iter()
                .position(|b| *b == b'\n')
                .map_or(text.len(), |i| index + i);
            blank(&mut out, index, end);
            index = end;
        } else if rest.starts_with(b"/*") {
            let mut depth = 0usize;
            let mut end = index;
            while end < text.len() {
                if text[end..].starts_with(b"/*") {
                    depth += 1;
                    end += 2;
                } else if text[end..].starts_with(b"*/") {
                    depth -= 1;
                    end += 2;
                    if depth == 0 {
                        break;
                    }
                } else {
                    end += 1;
                }
            }
            blank(&mut out, index, end);
            index = end;
        } else if let Some(hashes) = raw_string_start(text, index) {
            // r"…", r#"…"#, br"…": no escapes, ends at a quote and as many `#`.
            let body = index + rest.iter().position(|b| *b == b'"').expect("a quote") + 1;
            let mut closing = vec![b'"'];
            closing.extend(std::iter::repeat_n(b'#', hashes));
            let end = text[body..]
                .windows(closing.len())
                .position(|window| window == closing.as_slice())
                .map_or(text.len(), |i| body + i + closing.len());
            blank(&mut out, index, end);
            index = end;
        } else if rest[0] == b'"' {
            let mut end = index + 1;
            while end < text.len() && text[end] != b'"' {
                end += if text[end] == b'\\' { 2 } else { 1 };
            }
            blank(&mut out, index, end + 1);
            index = end + 1;
        } else if rest[0] == b'\'' && !previous_is_ident {
            match char_literal_end(text, index) {
                Some(end) => {
                    blank(&mut out, index, end);
                    index = end;
                }
                None => index += 1, // a lifetime or a label
            }
        } else {
            index += 1;
        }
    }
    out
}

/// The number of `#` of a raw string starting at `index`, if one does.
fn raw_string_start(text: &[u8], index: usize) -> Option<usize> {
    if index > 0 && is_ident(text[index - 1]) {
        return None;
    }
    let rest = &text[index..];
    let rest = rest.strip_prefix(b"b").unwrap_or(rest);
    let rest = rest.strip_prefix(b"r")?;
    let hashes = rest.iter().take_while(|b| **b == b'#').count();
    (rest.get(hashes) == Some(&b'"')).then_some(hashes)
}

/// The end of the character literal at `index` (`'a'`, `'\n'`, `'\u{1F600}'`,
/// `'é'`), or `None` for a lifetime.
fn char_literal_end(text: &[u8], index: usize) -> Option<usize> {
    let rest = &text[index + 1..];
    if rest.first() == Some(&b'\\') {
        let close = rest.iter().skip(1).position(|b| *b == b'\'')?;
        return Some(index + 1 + 1 + close + 1);
    }
    let width = match rest.first()? {
        byte if *byte < 0x80 => 1,
        byte if *byte >= 0xF0 => 4,
        byte if *byte >= 0xE0 => 3,
        _ => 2,
    };
    (rest.get(width) == Some(&b'\'')).then_some(index + 1 + width + 1)
}

/// Blanks every item (or statement) `#[cfg(test)]` is on: the attribute,
/// any attributes after it, and the item up to its `;` or its closing brace.
fn blank_test_items(code: &mut [u8]) {
    const ATTRIBUTE: &[u8] = b"#[cfg(test)]";
    let mut index = 0;
    while let Some(found) = code[index..]
        .windows(ATTRIBUTE.len())
        .position(|window| window == ATTRIBUTE)
    {
        let start = index + found;
        let mut cursor = start + ATTRIBUTE.len();
        // Further attributes on the same item.
        loop {
            while cursor < code.len() && code[cursor].is_ascii_whitespace() {
                cursor += 1;
            }
            if code[cursor..].starts_with(b"#[") {
                cursor = matching_close(code, cursor + 1).map_or(code.len(), |i| i + 1);
            } else {
                break;
            }
        }
        let end = item_end(code, cursor);
        blank(code, start, end);
        index = end;
    }
}

/// The end of the item starting at `from`: after its first `;` outside
/// brackets, or after the brace matching its first `{` outside brackets.
fn item_end(code: &[u8], from: usize) -> usize {
    let mut depth = 0usize;
    let mut index = from;
    while index < code.len() {
        match code[index] {
            b'(' | b'[' => depth += 1,
            b')' | b']' => depth = depth.saturating_sub(1),
            b';' if depth == 0 => return index + 1,
            b'{' if depth == 0 => return matching_close(code, index).map_or(code.len(), |i| i + 1),
            _ => {}
        }
        index += 1;
    }
    code.len()
}

/// The offset of the bracket closing the one at `open`.
fn matching_close(code: &[u8], open: usize) -> Option<usize> {
    let mut depth = 0usize;
    for (index, byte) in code.iter().enumerate().skip(open) {
        match byte {
            b'(' | b'[' | b'{' => depth += 1,
            b')' | b']' | b'}' => {
                depth -= 1;
                if depth == 0 {
                    return Some(index);
                }
            }
            _ => {}
        }
    }
    None
}

#[test]
fn literals_comments_and_test_items_hide_their_paths() {
    let text = r##"use crate::a::B; // crate::c::D
/* crate::e::F /* nested */ crate::g */
const S: &str = "crate::h::I";
const R: &str = r#"crate::j::"K"#;
const C: char = '"';
fn f<'a>(x: &'a str) -> crate::l::M { crate::n::o(x) }
#[cfg(test)]
#[allow(unused)]
mod tests { use crate::p::Q; }
#[cfg(test)]
use crate::r::S;
fn g() { crate::t::u(); }
"##;
    let code = production_code(text);
    assert_eq!(code.len(), text.len());
    assert_eq!(code.lines().count(), text.lines().count());
    let found = paths(&code);
    let imports: Vec<String> = found
        .imports
        .iter()
        .map(|i| i.path.segments.join("::"))
        .collect();
    assert_eq!(imports, ["crate::a::B"]);
    let inline: Vec<String> = found.inline.iter().map(|p| p.segments.join("::")).collect();
    assert_eq!(inline, ["crate::l::M", "crate::n::o", "crate::t::u"]);
    assert_eq!(found.inline[2].line, 12);
}

#[test]
fn use_trees_give_each_leaf_and_the_name_it_binds() {
    let found = paths(
        "pub(crate) use crate::{spec::{A, B as C}, model::{self, D}, e::*};\nuse super::x::Y;",
    );
    let leaves: Vec<(String, Option<String>)> = found
        .imports
        .iter()
        .map(|i| (i.path.segments.join("::"), i.name.clone()))
        .collect();
    let expected = [
        ("crate::spec::A", Some("A")),
        ("crate::spec::B", Some("C")),
        ("crate::model", Some("model")),
        ("crate::model::D", Some("D")),
        ("crate::e", None),
        ("super::x::Y", Some("Y")),
    ];
    let expected: Vec<(String, Option<String>)> = expected
        .iter()
        .map(|(path, name)| ((*path).to_owned(), name.map(str::to_owned)))
        .collect();
    assert_eq!(leaves, expected);
    assert_eq!(found.imports[5].path.line, 2);
}

//! Parsing a large spec in parts, on two threads at once. Scanning is the
//! slowest step of reading a large spec, and one scanner keeps one core busy
//! while the tree builder waits on it half the time: a second scanner, over
//! the second half of `workloads`, gives that idle half work.
//!
//! The file is cut at two line starts, both found from the text alone:
//!
//! ```text
//! workloads:              part 1: from the start of the file to the cut,
//!   api:                          on this thread (scanned on another one
//!     ...                         when large, `read_ahead.rs`)
//!   worker:               part 2: from an entry of `workloads` near the middle
//!     ...                         to the end of `workloads`, on a thread of its own
//! gitops:                 part 3: the rest of the file, on this thread
//!   ...                           (scanned ahead when large)
//! ```
//!
//! Each part is parsed as a YAML document of its own, then the entries of
//! part 2 are appended to `workloads` and those of part 3 to the top-level
//! map. That gives the same tree as parsing the whole file only when a part
//! boundary is also a boundary of the whole file's structure, and the text
//! alone cannot always show that (a line inside a multi-line quoted string
//! looks like any other). So the parts are checked after parsing, and any
//! doubt means the whole file is parsed again in one piece:
//!
//! - a part that fails to parse, for any reason, even one the whole file
//!   would have too: only the one-piece parse says which error comes first;
//! - part 1 must end inside `workloads`, a block map at the cut's
//!   indentation and the last key of a top-level block map at column 0;
//! - parts 2 and 3 must each be one block map, without anchors or aliases
//!   (an alias could name an anchor of another part);
//! - no key of part 2 may be in `workloads` already, nor a key of part 3 at
//!   the top level: the one-piece parse reports the duplicate.
//! - no node at the very end of part 1 may lie at the cut: a value left
//!   empty there (`? key` alone) is placed at the end of the part, where the
//!   one-piece parse places it at the next key.
//!
//! The result is then the same tree, spans included, as the one-piece parse
//! (`tests` check it at every possible cut of every example, and of cases
//! written to sit on the edges: block scalars, comments and quotes at a cut).

use std::ops::Range;

use super::read_ahead::READ_AHEAD_MIN_BYTES;
use crate::source::{FileId, Span};
use crate::yaml::{Limits, Map, Node, Value};

/// The top-level key whose entries part 2 takes: the largest section of any
/// spec by far, and made of many entries of similar size.
const SECTION: &str = "workloads";

/// Below this many bytes of `workloads`, starting a thread to parse half of
/// them costs more than it saves.
pub(super) const PARTS_MIN_BYTES: usize = 256 * 1024;

/// What part 2 takes of the section, out of 100. Part 1 has a thread
/// scanning for it and part 2 has not, but on two cores the three threads
/// share them: half and half finished first when measured (45 % and 55 %
/// left one part waiting on the other).
const PART_TWO_PERCENT: usize = 50;

/// Where the file is cut: byte offsets into the text after any byte order
/// mark (the body).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) struct Cut {
    /// Start of the line that starts part 2: an entry of `workloads`.
    pub(super) at: usize,
    /// Where `workloads` ends and part 3 starts: the first line after the
    /// cut at column 0 that is not blank or a comment, or the end of the
    /// body.
    end: usize,
    /// Indentation of the entries of `workloads`.
    indent: usize,
}

/// Parses `text[range]` as a document of its own with `limits`, scanning
/// on a second thread when asked: the one-piece parser, given by the caller
/// so that this module does not depend on it. `None` when the part does not
/// parse.
pub(super) type PartParser<'p> =
    dyn Fn(Range<usize>, &Limits, bool) -> Option<BuiltPart> + Sync + 'p;

/// A part's tree, and whether it stands alone: no anchor or alias in it.
pub(super) struct BuiltPart {
    pub(super) node: Node,
    pub(super) self_contained: bool,
}

/// The tree of `body` parsed in parts, or `None` when the parts cannot be
/// shown to give the tree the one-piece parse would (the caller then parses
/// in one piece). `base` is the body's offset in the file.
pub(super) fn parse_in_parts(
    file: FileId,
    body: &str,
    base: usize,
    cut: Cut,
    limits: &Limits,
    parse_part: &PartParser<'_>,
) -> Option<Node> {
    // Part 2's top-level map is `workloads`, one level down in the file.
    let part_two_limits = Limits {
        max_depth: limits.max_depth.checked_sub(1)?,
        ..*limits
    };
    // Part 3 must start with a key of the top-level map: a `---` or `...`
    // there would start a document of its own, where the one-piece parse
    // sees a second one.
    let end = cut.end;
    if end < body.len()
        && !lines_from(body, end)
            .next()
            .is_some_and(|(_, line)| starts_with_plain_key(line))
    {
        return None;
    }
    let (first, second) = std::thread::scope(|scope| {
        let second = std::thread::Builder::new()
            .spawn_scoped(scope, || {
                parse_part(base + cut.at..base + end, &part_two_limits, false)
            })
            .ok()?;
        // Part 1 is large too: its scanner gets a thread of its own.
        let first = parse_part(base..base + cut.at, limits, true);
        let second = second.join().ok()?;
        Some((first?, second?))
    })?;
    let third = if end < body.len() {
        let large = body.len() - end >= READ_AHEAD_MIN_BYTES;
        Some(parse_part(base + end..base + body.len(), limits, large)?)
    } else {
        None
    };
    join(file, body, base, cut, first, second, third)
}

/// Part 1's tree with part 2's entries appended to `workloads` and part 3's
/// to the top level, if every check of the module's documentation holds.
fn join(
    file: FileId,
    body: &str,
    base: usize,
    cut: Cut,
    first: BuiltPart,
    second: BuiltPart,
    third: Option<BuiltPart>,
) -> Option<Node> {
    let column = |offset: u32| {
        let offset = (offset as usize).checked_sub(base)?;
        let line_start = body.get(..offset)?.rfind('\n').map_or(0, |at| at + 1);
        Some(offset - line_start)
    };
    let mut root = first.node;
    if column(root.span.start)? != 0 || !second.self_contained {
        return None;
    }
    let Value::Map(top) = &mut root.value else {
        return None;
    };
    let (key, section) = top.entries.last_mut()?;
    if key != SECTION || column(section.value.span.start)? != cut.indent {
        return None;
    }
    // A node that part 1's parse placed at the cut (a value left empty at
    // its very end) is placed, in one piece, where part 2's first key
    // starts: a cut after it cannot give the same spans.
    if !ends_before(&section.value, (base + cut.at) as u32) {
        return None;
    }
    let Value::Map(entries) = &mut section.value.value else {
        return None;
    };
    if column(second.node.span.start)? != cut.indent {
        return None;
    }
    let Value::Map(appended) = second.node.value else {
        return None;
    };
    append_new_keys(entries, appended)?;
    let section_span = &mut section.value.span;
    *section_span = Span::new(
        file,
        section_span.start as usize,
        section_span.end.max(second.node.span.end) as usize,
    );
    let mut end = section_span.end;
    if let Some(third) = third {
        let Value::Map(rest) = third.node.value else {
            return None;
        };
        if !third.self_contained || column(third.node.span.start)? != 0 {
            return None;
        }
        append_new_keys(top, rest)?;
        end = end.max(third.node.span.end);
    }
    root.span = Span::new(
        file,
        root.span.start as usize,
        root.span.end.max(end) as usize,
    );
    Some(root)
}

/// Appends the entries of `from` after those of `into`, or `None` at the
/// first key `into` already has: the one-piece parse reports it.
fn append_new_keys(into: &mut Map, from: Map) -> Option<()> {
    into.entries.reserve(from.entries.len());
    for (key, entry) in from.entries {
        match into.entries.entry(key) {
            indexmap::map::Entry::Vacant(vacant) => {
                vacant.insert(entry);
            }
            indexmap::map::Entry::Occupied(_) => return None,
        }
    }
    Some(())
}

/// Whether `node` and its last descendants (the last entry or item at each
/// level, which the end of a part closes) all end before `limit`.
fn ends_before(node: &Node, limit: u32) -> bool {
    let mut node = node;
    loop {
        if node.span.end >= limit {
            return false;
        }
        node = match &node.value {
            Value::Map(map) => match map.entries.last() {
                Some((_, entry)) if entry.key_span.end >= limit => return false,
                Some((_, entry)) => &entry.value,
                None => return true,
            },
            Value::Seq(items) => match items.last() {
                Some(item) => item,
                None => return true,
            },
            Value::Null | Value::Scalar(_) => return true,
        };
    }
}

/// Where to cut `body` for part 2 to take about [`PART_TWO_PERCENT`] of
/// `workloads`, or `None` when the section is too small to be worth it or
/// not written in the plain block form the cut relies on.
pub(super) fn plan(body: &str) -> Option<Cut> {
    let section = section(body)?;
    let size = section.end - section.first_entry;
    if size < PARTS_MIN_BYTES {
        return None;
    }
    cut_from(body, &section, section.end - size * PART_TWO_PERCENT / 100)
}

/// Every place `body` could be cut, for the tests.
#[cfg(test)]
pub(super) fn every_cut(body: &str) -> Vec<Cut> {
    let Some(section) = section(body) else {
        return Vec::new();
    };
    let mut cuts = Vec::new();
    let mut from = section.first_entry;
    while let Some(cut) = cut_from(body, &section, from) {
        cuts.push(cut);
        from = cut.at + 1;
    }
    cuts
}

/// Where `workloads` lies in the body, as far as the text alone shows.
struct Section {
    /// Start of the line of its first entry.
    first_entry: usize,
    /// Start of the first line after it at column 0 that is not blank or a
    /// comment, or the end of the body.
    end: usize,
    /// Indentation of its entries.
    indent: usize,
}

/// `workloads`, when it starts with `workloads:` alone on a line at column
/// 0 (a comment may follow) and its first line of content is an entry,
/// indented. Lines indented less than the entries before its end are left
/// to the parse of each part, which rejects them (saphyr holds every line,
/// quoted and flow text included, to its block's indentation).
fn section(body: &str) -> Option<Section> {
    let bytes = body.as_bytes();
    let mut search = 0;
    let key_line = loop {
        let found = search + memchr::memmem::find(bytes.get(search..)?, SECTION.as_bytes())?;
        let at_line_start = found == 0 || bytes.get(found - 1) == Some(&b'\n');
        let rest = lines_from(body, found).next()?;
        if at_line_start
            && rest
                .1
                .strip_prefix(SECTION)
                .and_then(|rest| rest.strip_prefix(':'))
                .is_some_and(is_blank_or_comment)
        {
            break found;
        }
        search = found + 1;
    };
    let (first_entry, line) = lines_from(body, key_line)
        .skip(1)
        .find(|(_, line)| !is_blank_or_comment(line))?;
    let indent = entry_indent(line).filter(|&indent| indent > 0)?;
    Some(Section {
        first_entry,
        end: next_line_at_column_zero(body, first_entry),
        indent,
    })
}

/// The start of the first line after `from` that starts with something
/// other than a space, a comment or a line break, or the end of `body`.
/// One look at the byte after each line break, so finding it costs little
/// next to the parse it shares out.
fn next_line_at_column_zero(body: &str, from: usize) -> usize {
    let bytes = body.as_bytes();
    memchr::memchr_iter(b'\n', bytes.get(from..).unwrap_or_default())
        .map(|at| from + at + 1)
        .find(|&start| {
            bytes
                .get(start)
                .is_some_and(|b| !matches!(b, b' ' | b'\n' | b'\r' | b'#'))
        })
        .unwrap_or(body.len())
}

/// The first line at or after `from` where part 2 may start: an entry of
/// `section` after its first, whose last line of content before it (blank
/// lines and comments aside) is indented deeper: content of the entry
/// before.
fn cut_from(body: &str, section: &Section, from: usize) -> Option<Cut> {
    let from = if from <= section.first_entry {
        section.first_entry
    } else {
        // The start of the line `from` is in.
        body.get(..from)?.rfind('\n').map_or(0, |at| at + 1)
    };
    let mut entry_ended = false;
    for (start, line) in lines_from(body, from) {
        if start >= section.end {
            return None;
        }
        if is_blank_or_comment(line) {
            continue;
        }
        let line_indent = line_indent(line);
        if start > section.first_entry && entry_ended && entry_indent(line) == Some(section.indent)
        {
            return Some(Cut {
                at: start,
                end: section.end,
                indent: section.indent,
            });
        }
        entry_ended = line_indent > section.indent;
    }
    None
}

/// The lines of `body` from the line start `from`, each with its offset,
/// without the line break.
fn lines_from(body: &str, from: usize) -> impl Iterator<Item = (usize, &str)> {
    let rest = body.get(from..).unwrap_or_default();
    let mut offset = from;
    rest.split_inclusive('\n').map(move |line| {
        let start = offset;
        offset += line.len();
        (start, line.trim_end_matches(['\n', '\r']))
    })
}

/// Spaces before the line's first other character.
fn line_indent(line: &str) -> usize {
    line.bytes().take_while(|&b| b == b' ').count()
}

/// Only spaces, or a comment after them.
fn is_blank_or_comment(line: &str) -> bool {
    let rest = line.trim_start_matches(' ');
    rest.is_empty() || rest.starts_with('#')
}

/// The indentation of a line that is a plain key alone (`  name:`, a
/// comment may follow), or `None` for any other line.
fn entry_indent(line: &str) -> Option<usize> {
    let indent = line_indent(line);
    let after = after_plain_key(&line[indent..])?;
    is_blank_or_comment(after).then_some(indent)
}

/// A line that starts with a plain key and its colon (`name:` or `name:
/// value`): not `---`, `...`, a directive, a list item, a flow collection,
/// an anchor, a tag or a quoted key, which the cut does not expect to meet.
fn starts_with_plain_key(line: &str) -> bool {
    after_plain_key(line).is_some()
}

/// What follows a plain key and its colon at the start of `text` (a name
/// of letters, digits, `_`, `-` and `.`, not starting with `-` or `.`),
/// when the colon ends the text or a space follows it.
fn after_plain_key(text: &str) -> Option<&str> {
    let first = text.bytes().next()?;
    let name_end = text
        .bytes()
        .position(|b| !(b.is_ascii_alphanumeric() || matches!(b, b'_' | b'-' | b'.')))?;
    let after = text[name_end..].strip_prefix(':')?;
    ((first.is_ascii_alphanumeric() || first == b'_')
        && (after.is_empty() || after.starts_with(' ')))
    .then_some(after)
}

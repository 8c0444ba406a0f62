//! YAML text to our spanned [`Node`] tree: the only code that talks to `saphyr-parser`.
//!
//! Owns: byte spans for every key and value, the rules on which YAML a spec file
//! may use (one document, string keys, no duplicate keys, no merge keys, no custom
//! tags, no tabs in indentation), and the limits that keep hostile input from
//! exhausting memory or the stack (file size, nesting depth, alias expansion).
//!
//! Must not: give scalars a type (`8080` and `true` stay text; the spec layer
//! decides by what it expects), know anything about the spec's shape, touch the
//! file system, or panic on any input. It reports the first problem it finds.

#![allow(
    clippy::result_large_err,
    reason = "`Diagnostic` is the crate's error type; an error ends parsing, so its size \
              costs nothing on the path that succeeds"
)]

use std::borrow::Cow;
use std::cell::Cell;

use saphyr_parser::{Event, Parser, ScalarStyle, ScanError, Span as YamlSpan, Tag};

use super::parts::{self, BuiltPart};
use super::read_ahead::{READ_AHEAD_MIN_BYTES, Scanned, with_events_read_ahead};

use crate::diagnostic::{Code, Diagnostic};
use crate::source::{FileId, Span};
use crate::yaml::{Entry, Limits, Map, Node, Scalar, Value};

const BOM: &str = "\u{feff}";

/// The handle `!!` expands to.
const CORE_TAG_PREFIX: &str = "tag:yaml.org,2002:";

/// saphyr's own cap on flow nesting (`[`, `{`); it reports "recursion limit
/// exceeded" beyond it.
const SAPHYR_MAX_FLOW_DEPTH: usize = 255;

/// Parses one YAML file into a spanned tree. `text` is the whole file; spans are
/// byte offsets into it. A leading byte order mark is skipped.
pub fn parse(file: FileId, text: &str, limits: &Limits) -> Result<Node, Diagnostic> {
    parse_scanning(file, text, limits, text.len() >= READ_AHEAD_MIN_BYTES)
}

/// [`parse`], with the text scanned on a second thread when `read_ahead`
/// (`read_ahead.rs`). The result is the same either way.
fn parse_scanning(
    file: FileId,
    text: &str,
    limits: &Limits,
    read_ahead: bool,
) -> Result<Node, Diagnostic> {
    if text.len() > limits.max_file_bytes {
        return Err(Diagnostic::error(
            Code::FileTooLarge,
            format!(
                "expected a spec file of at most {} bytes, found {} bytes",
                limits.max_file_bytes,
                text.len()
            ),
        )
        .at(Span::point(file, 0), "file too large"));
    }
    let base = if text.starts_with(BOM) { BOM.len() } else { 0 };
    let body = text.get(base..).unwrap_or_default();
    check_version_directive(file, text, base)?;
    if read_ahead
        && let Some(cut) = parts::plan(body)
        && let Some(node) = parse_in_parts(file, text, base, body, cut, limits)
    {
        return Ok(node);
    }
    let mut builder = Builder::new(file, text, base, body, limits);
    let built = if read_ahead {
        with_events_read_ahead(body, |events| builder.run(events))
    } else {
        builder.run(Parser::new_from_str(body))
    };
    match built {
        Ok(node) => Ok(node),
        Err(diagnostic) => Err(builder.prefer_earlier_tab(diagnostic)),
    }
}

/// [`parse`] of a large file in parts on two threads (`parts.rs`), cut at
/// `cut`; `None` when the parts may not give the tree a parse in one piece
/// would, or when a part does not parse.
fn parse_in_parts(
    file: FileId,
    text: &str,
    base: usize,
    body: &str,
    cut: parts::Cut,
    limits: &Limits,
) -> Option<Node> {
    let parse_part = |range: std::ops::Range<usize>, limits: &Limits, read_ahead: bool| {
        let part = text.get(range.clone())?;
        let mut builder = Builder::new(file, text, range.start, part, limits);
        let built = if read_ahead {
            with_events_read_ahead(part, |events| builder.run(events))
        } else {
            builder.run(Parser::new_from_str(part))
        };
        Some(BuiltPart {
            node: built.ok()?,
            self_contained: builder.anchors.is_empty() && builder.alias_nodes == 0,
        })
    };
    parts::parse_in_parts(file, body, base, cut, limits, &parse_part)
}

/// Spec files are YAML 1.2; a `%YAML` directive naming another version
/// (`%YAML 1.1`, where `yes` is a boolean, or a future `2.0`) would make the
/// reader expect rules this parser does not follow. Directives can only stand
/// before the first document, so the scan stops at the first other line.
fn check_version_directive(file: FileId, text: &str, base: usize) -> Result<(), Diagnostic> {
    let mut offset = base;
    for line in text[base..].split_inclusive('\n') {
        let start = offset;
        offset += line.len();
        let content = line.trim_end_matches(['\n', '\r']);
        if content.is_empty() || content.starts_with('#') || content.starts_with("%TAG") {
            continue;
        }
        let Some(directive) = content.strip_prefix("%YAML") else {
            return Ok(());
        };
        let version = directive.split('#').next().unwrap_or_default().trim();
        if version != "1.2" {
            return Err(Diagnostic::error(
                Code::UnsupportedYaml,
                format!("expected `%YAML 1.2`, found `%YAML {version}`"),
            )
            .at(
                Span::new(file, start, start + content.len()),
                "version directive",
            )
            .with_help("spec files are YAML 1.2; remove the directive"));
        }
    }
    Ok(())
}

/// Converts saphyr's character indices (into the text after the BOM) to byte
/// offsets into the whole file.
struct Offsets<'t> {
    body: &'t str,
    base: usize,
    /// Byte offset of every `STRIDE`-th character. `None` for ASCII text, where
    /// characters and bytes coincide: the common case costs nothing.
    checkpoints: Option<Vec<usize>>,
    /// The last conversion as (character index, byte offset). Events arrive
    /// in text order, so most lookups walk a few characters on from here.
    last: Cell<(usize, usize)>,
}

impl<'t> Offsets<'t> {
    /// Bounds a lookup to `STRIDE` characters of walking while keeping the
    /// table at an eighth of the text's size or less.
    const STRIDE: usize = 64;

    fn new(body: &'t str, base: usize) -> Self {
        let checkpoints = (!body.is_ascii()).then(|| {
            body.char_indices()
                .step_by(Self::STRIDE)
                .map(|(offset, _)| offset)
                .collect()
        });
        Self {
            body,
            base,
            checkpoints,
            last: Cell::new((0, 0)),
        }
    }

    fn byte(&self, char_index: usize) -> usize {
        let Some(checkpoints) = &self.checkpoints else {
            return self.base + char_index.min(self.body.len());
        };
        let (last_index, last_byte) = self.last.get();
        let (from_index, from_byte) = match char_index.checked_sub(last_index) {
            Some(ahead) if ahead < Self::STRIDE => (last_index, last_byte),
            _ => {
                let checkpoint = char_index / Self::STRIDE;
                match checkpoints.get(checkpoint) {
                    Some(&byte) => (checkpoint * Self::STRIDE, byte),
                    None => return self.base + self.body.len(),
                }
            }
        };
        let relative = self
            .body
            .get(from_byte..)
            .and_then(|rest| rest.char_indices().nth(char_index - from_index))
            .map_or(self.body.len(), |(offset, _)| from_byte + offset);
        self.last.set((char_index, relative));
        self.base + relative
    }
}

/// A node whose anchor (`&name`) has been seen, kept for the aliases (`*name`)
/// that refer to it.
struct Anchored {
    node: Node,
    /// Nodes in the subtree, keys included: what one alias to it adds.
    count: usize,
    /// Levels of maps and lists in the subtree; 0 for a scalar.
    height: usize,
}

/// A map or list whose end event has not been seen yet. The explicit stack of
/// these replaces recursion, so nesting cannot overflow the call stack.
struct Frame {
    start: usize,
    /// End of the last child so far: where a block collection ends.
    end: usize,
    /// Written with `[` or `{`, so its end event covers the closing bracket.
    flow: bool,
    anchor: usize,
    count: usize,
    height: usize,
    kind: FrameKind,
}

enum FrameKind {
    Seq(Vec<Node>),
    /// The entries so far, and the index of the entry whose key has been
    /// read but whose value has not.
    Map(Map, Option<usize>),
}

/// Anchor and tag written before a node, as found in the text.
struct Props {
    /// Where the node's own text starts, after the properties.
    value_start: usize,
    tag: Option<Span>,
}

#[derive(Copy, Clone, PartialEq, Eq)]
enum TagKind {
    /// `!` alone: "not a plain scalar", i.e. a string.
    NonSpecific,
    Core(CoreTag),
    Custom,
}

#[derive(Copy, Clone, PartialEq, Eq)]
enum CoreTag {
    Str,
    Null,
    /// `!!int`, `!!float`, `!!bool`: a plain scalar the spec layer will check.
    Typed,
    Map,
    Seq,
    Merge,
    /// `!!binary`, `!!timestamp`, `!!set`, ...
    Other,
}

struct Builder<'t> {
    file: FileId,
    text: &'t str,
    offsets: Offsets<'t>,
    limits: &'t Limits,
    stack: Vec<Frame>,
    /// Indexed by saphyr's anchor id; `None` while the anchored node is still
    /// open (an alias to it then would be recursive).
    anchors: Vec<Option<Anchored>>,
    alias_nodes: usize,
    root: Option<Node>,
    /// The document had no content at all (as opposed to an explicit `~`).
    root_is_absent: bool,
    documents: usize,
    /// Byte end of the last event: block scalar indicators are searched from here.
    last_end: usize,
    /// Tabs in the leading whitespace of non-blank, non-comment lines, sorted.
    indentation_tabs: Vec<usize>,
    /// Content of block scalars (sorted, disjoint), where leading tabs are text.
    block_scalars: Vec<(usize, usize)>,
}

impl<'t> Builder<'t> {
    fn new(file: FileId, text: &'t str, base: usize, body: &'t str, limits: &'t Limits) -> Self {
        Self {
            file,
            text,
            offsets: Offsets::new(body, base),
            limits,
            stack: Vec::new(),
            anchors: Vec::new(),
            alias_nodes: 0,
            root: None,
            root_is_absent: false,
            documents: 0,
            last_end: base,
            indentation_tabs: indentation_tabs(body, base),
            block_scalars: Vec::new(),
        }
    }

    /// Builds the tree from `events`, the scanner's in order. The pull API
    /// (`next_event`) rather than `Parser::load`: `load` recurses once per
    /// nesting level, the pull API keeps its state on the heap.
    fn run<'input>(
        &mut self,
        events: impl Iterator<Item = Scanned<'input>>,
    ) -> Result<Node, Diagnostic> {
        for next in events {
            let (event, span) = next.map_err(|error| self.syntax_error(&error))?;
            match event {
                Event::StreamEnd => break,
                Event::DocumentStart(_) => {
                    self.documents += 1;
                    if self.documents > 1 {
                        return Err(self.multiple_documents(span));
                    }
                }
                Event::Scalar(text, style, anchor, tag) => {
                    self.scalar(text, style, anchor, tag.as_deref(), span)?;
                }
                Event::Alias(id) => self.alias(id, span)?,
                Event::SequenceStart(anchor, tag) => {
                    self.start(anchor, tag.as_deref(), span, false)?;
                }
                Event::MappingStart(anchor, tag) => {
                    self.start(anchor, tag.as_deref(), span, true)?;
                }
                Event::SequenceEnd | Event::MappingEnd => self.end(span)?,
                Event::Nothing | Event::StreamStart | Event::DocumentEnd => {}
            }
            self.last_end = self.byte(span.end.index());
        }

        if let Some(tab) = self.first_tab_before(usize::MAX) {
            return Err(self.tab_diagnostic(tab));
        }
        match self.root.take() {
            Some(root) if !self.root_is_absent => Ok(root),
            _ => Err(self.empty_file()),
        }
    }

    fn byte(&self, char_index: usize) -> usize {
        self.offsets.byte(char_index)
    }

    fn span(&self, start: usize, end: usize) -> Span {
        Span::new(self.file, start, end)
    }

    fn bytes(&self) -> &'t [u8] {
        self.text.as_bytes()
    }

    fn expecting_key(&self) -> bool {
        matches!(
            self.stack.last(),
            Some(Frame {
                kind: FrameKind::Map(_, None),
                ..
            })
        )
    }

    fn scalar(
        &mut self,
        text: Cow<'_, str>,
        style: ScalarStyle,
        anchor: usize,
        tag: Option<&Tag>,
        span: YamlSpan,
    ) -> Result<(), Diagnostic> {
        let start = self.byte(span.start.index());
        let end = self.byte(span.end.index());
        let has_props = anchor > 0 || tag.is_some();
        let props = if has_props {
            self.props(start)
        } else {
            Props {
                value_start: start,
                tag: None,
            }
        };
        let node_span = match style {
            ScalarStyle::Literal | ScalarStyle::Folded => {
                let from = if has_props {
                    props.value_start
                } else {
                    self.last_end
                };
                self.block_scalar_span(from, end)
            }
            // Nothing written: saphyr places the empty scalar on a nearby
            // indicator (`:`, `-`, `,`) or on the properties; a zero-width
            // point right after the key or properties reads best.
            ScalarStyle::Plain if text.is_empty() => {
                let at = if has_props {
                    end
                } else if self.bytes().get(start) == Some(&b':') && !self.expecting_key() {
                    start + 1
                } else {
                    start
                };
                self.span(at, at)
            }
            // saphyr's span of a quoted scalar runs on over trailing blanks
            // and a comment.
            ScalarStyle::SingleQuoted | ScalarStyle::DoubleQuoted => {
                let close = skip_quoted(self.bytes(), props.value_start);
                self.span(props.value_start, (close + 1).min(end))
            }
            ScalarStyle::Plain => self.span(props.value_start, end),
        };

        let nothing_written = !has_props && style == ScalarStyle::Plain && text.is_empty();
        let kind = tag.map(classify_tag);
        let quoted = style != ScalarStyle::Plain;
        let is_null_text = !quoted && is_null(&text);
        let value = match kind {
            None if is_null_text => Value::Null,
            None => Value::Scalar(Scalar {
                text: compact(text.into_owned()),
                quoted,
            }),
            Some(TagKind::Core(CoreTag::Merge)) if self.expecting_key() => {
                return Err(self.merge_key(node_span));
            }
            Some(kind) => return Err(self.unsupported_tag(kind, &props, node_span, "a scalar")),
        };
        if self.expecting_key()
            && kind.is_none()
            && style == ScalarStyle::Plain
            && matches!(&value, Value::Scalar(scalar) if scalar.text == "<<")
        {
            return Err(self.merge_key(node_span));
        }
        if matches!(style, ScalarStyle::Literal | ScalarStyle::Folded) {
            self.block_scalars.push((
                line_end(self.bytes(), node_span.start as usize),
                end.max(node_span.end as usize),
            ));
        }
        if self.stack.is_empty() {
            // `---` alone or only comments, as opposed to a value written out
            // such as `~` or `""`.
            self.root_is_absent = nothing_written;
        }
        self.finish(Node::new(node_span, value), 1, 0, anchor)
    }

    /// The span of a `|` or `>` scalar, from its indicator to the end of its
    /// last line of text. saphyr's span starts at the first content line and
    /// runs past the trailing line breaks and the next line's indentation.
    fn block_scalar_span(&self, from: usize, token_end: usize) -> Span {
        let bytes = self.bytes();
        let Some(indicator) = find_block_indicator(bytes, from, token_end) else {
            return self.span(from, token_end);
        };
        let mut header_end = indicator + 1;
        while bytes
            .get(header_end)
            .is_some_and(|b| matches!(b, b'+' | b'-' | b'0'..=b'9'))
        {
            header_end += 1;
        }
        let content_start = line_end(bytes, header_end);
        let mut end = token_end.min(bytes.len());
        while end > content_start
            && bytes
                .get(end - 1)
                .is_some_and(|b| matches!(b, b' ' | b'\t' | b'\r' | b'\n'))
        {
            end -= 1;
        }
        if end <= content_start {
            end = header_end;
        }
        self.span(indicator, end)
    }

    /// Reads the anchor and tag written at `start`, which saphyr includes in a
    /// node's span.
    fn props(&self, start: usize) -> Props {
        let bytes = self.bytes();
        let mut at = start;
        let mut tag = None;
        loop {
            match bytes.get(at) {
                Some(b' ' | b'\t' | b'\r' | b'\n') => at += 1,
                Some(b'#') => at = line_end(bytes, at),
                Some(b'&') => at = skip_property(bytes, at),
                Some(b'!') => {
                    let tag_end = if bytes.get(at + 1) == Some(&b'<') {
                        bytes
                            .get(at..)
                            .and_then(|rest| rest.iter().position(|&b| b == b'>'))
                            .map_or(bytes.len(), |offset| at + offset + 1)
                    } else {
                        skip_property(bytes, at)
                    };
                    tag = Some(self.span(at, tag_end));
                    at = tag_end;
                }
                _ => break,
            }
        }
        Props {
            value_start: at,
            tag,
        }
    }

    fn start(
        &mut self,
        anchor: usize,
        tag: Option<&Tag>,
        span: YamlSpan,
        is_map: bool,
    ) -> Result<(), Diagnostic> {
        let start = self.byte(span.start.index());
        let props = if anchor > 0 || tag.is_some() {
            self.props(start)
        } else {
            Props {
                value_start: start,
                tag: None,
            }
        };
        let mut begin = props.value_start;
        let is_map_value = matches!(
            self.stack.last(),
            Some(Frame {
                kind: FrameKind::Map(_, Some(_)),
                ..
            })
        );
        if !is_map && is_map_value {
            begin = self.indentless_dash(begin);
        }
        let flow = matches!(self.bytes().get(begin), Some(b'[' | b'{'));
        let marker = self.span(begin, if flow { begin + 1 } else { begin });
        let kind_name = if is_map { "a mapping" } else { "a list" };

        if self.expecting_key() {
            return Err(Diagnostic::error(
                Code::UnsupportedYaml,
                format!("expected a text key, found {kind_name} used as a key"),
            )
            .at(marker, "complex key")
            .with_help("mapping keys in spec files are plain text"));
        }
        if let Some(kind) = tag.map(classify_tag) {
            return Err(self.unsupported_tag(kind, &props, marker, kind_name));
        }
        let depth = self.stack.len() + 1;
        if depth > self.limits.max_depth {
            return Err(self.too_deep(marker));
        }
        if anchor > 0 {
            self.reserve_anchor(anchor);
        }
        self.stack.push(Frame {
            start: begin,
            end: marker.end as usize,
            flow,
            anchor,
            count: 1,
            height: 1,
            kind: if is_map {
                FrameKind::Map(Map::default(), None)
            } else {
                FrameKind::Seq(Vec::new())
            },
        });
        Ok(())
    }

    /// A sequence that is a mapping's value may be written at the key's
    /// indentation (`key:\n- item`); saphyr then starts it after the first
    /// `-` and the spaces that follow it.
    fn indentless_dash(&self, start: usize) -> usize {
        let bytes = self.bytes();
        let mut at = start;
        while at > 0 && bytes.get(at - 1) == Some(&b' ') {
            at -= 1;
        }
        match at.checked_sub(1) {
            Some(dash) if at < start && bytes.get(dash) == Some(&b'-') => dash,
            _ => start,
        }
    }

    fn end(&mut self, span: YamlSpan) -> Result<(), Diagnostic> {
        let Some(frame) = self.stack.pop() else {
            return Ok(());
        };
        // The end token's span runs on over trailing blanks and a comment;
        // its start is the bracket.
        let close = self.byte(span.start.index());
        let end = if frame.flow && matches!(self.bytes().get(close), Some(b']' | b'}')) {
            close + 1
        } else {
            frame.end
        };
        // The tree lives until the spec is typed: give back what growing the
        // collections reserved (on a large spec, a third of the tree's memory).
        let value = match frame.kind {
            FrameKind::Seq(mut items) => {
                items.shrink_to_fit();
                Value::Seq(items)
            }
            FrameKind::Map(mut map, _) => {
                map.entries.shrink_to_fit();
                Value::Map(map)
            }
        };
        let node = Node::new(self.span(frame.start, end), value);
        self.finish(node, frame.count, frame.height, frame.anchor)
    }

    fn alias(&mut self, id: usize, span: YamlSpan) -> Result<(), Diagnostic> {
        let start = self.byte(span.start.index());
        let end = self.byte(span.end.index());
        let alias_span = self.span(start, end);
        let name = self
            .text
            .get(start..end)
            .map_or("", |text| text.trim_start_matches('*'));
        let anchored = match self.anchors.get(id) {
            Some(Some(anchored)) => anchored,
            Some(None) => {
                return Err(Diagnostic::error(
                    Code::UnsupportedYaml,
                    format!("alias `*{name}` refers to the node it is inside of"),
                )
                .at(alias_span, "recursive alias")
                .with_help("a value cannot contain itself; write the value out"));
            }
            None => return Err(self.unknown_anchor(alias_span, name)),
        };
        if self.stack.len() + anchored.height > self.limits.max_depth {
            return Err(self.too_deep(alias_span));
        }
        // Counted before cloning, so a "billion laughs" document fails on the
        // first alias that would cross the limit, before building anything big.
        let (count, height) = (anchored.count, anchored.height);
        self.alias_nodes = self.alias_nodes.saturating_add(count);
        if self.alias_nodes > self.limits.max_alias_nodes {
            return Err(Diagnostic::error(
                Code::AliasLimit,
                format!(
                    "expected aliases to expand to at most {} nodes, found more at `*{name}`",
                    self.limits.max_alias_nodes
                ),
            )
            .at(alias_span, "this alias crosses the limit")
            .with_help("write the values out, or use fewer nested aliases"));
        }
        let mut node = anchored.node.clone();
        // The copy is written here; its children keep pointing at the anchor's
        // text, which is where their content was written.
        node.span = alias_span;
        if self.expecting_key() && !matches!(node.value, Value::Scalar(_) | Value::Null) {
            return Err(Diagnostic::error(
                Code::UnsupportedYaml,
                format!(
                    "expected a text key, found alias `*{name}` to {} used as a key",
                    node.kind_name()
                ),
            )
            .at(alias_span, "complex key")
            .with_help("mapping keys in spec files are plain text"));
        }
        if self.stack.is_empty() {
            self.root_is_absent = false;
        }
        self.finish(node, count, height, 0)
    }

    fn reserve_anchor(&mut self, anchor: usize) {
        // saphyr numbers anchors 1, 2, 3, ... in order of appearance, so the
        // table grows by one slot per anchor written.
        if self.anchors.len() <= anchor {
            self.anchors.resize_with(anchor + 1, || None);
        }
        if let Some(slot) = self.anchors.get_mut(anchor) {
            *slot = None;
        }
    }

    /// Records a completed node: under its anchor, then in its parent.
    fn finish(
        &mut self,
        node: Node,
        count: usize,
        height: usize,
        anchor: usize,
    ) -> Result<(), Diagnostic> {
        if anchor > 0 {
            self.reserve_anchor(anchor);
            if let Some(slot) = self.anchors.get_mut(anchor) {
                *slot = Some(Anchored {
                    node: node.clone(),
                    count,
                    height,
                });
            }
        }
        let Some(frame) = self.stack.last_mut() else {
            self.root = Some(node);
            return Ok(());
        };
        frame.count = frame.count.saturating_add(count);
        frame.height = frame.height.max(height + 1);
        frame.end = frame.end.max(node.span.end as usize);
        match &mut frame.kind {
            FrameKind::Seq(items) => items.push(node),
            FrameKind::Map(map, pending) => match pending.take() {
                Some(index) => {
                    if let Some((_, entry)) = map.entries.get_index_mut(index) {
                        entry.value = node;
                    }
                }
                None => *pending = Some(insert_key(map, node)?),
            },
        }
        Ok(())
    }

    fn too_deep(&self, at: Span) -> Diagnostic {
        Diagnostic::error(
            Code::NestingTooDeep,
            format!(
                "expected maps and lists nested at most {} levels deep, found deeper nesting",
                self.limits.max_depth
            ),
        )
        .at(at, "nesting limit exceeded here")
        .with_help("flatten the structure; no valid spec nests this deep")
    }

    fn merge_key(&self, at: Span) -> Diagnostic {
        Diagnostic::error(
            Code::UnsupportedYaml,
            "merge keys (`<<`) are not supported in spec files",
        )
        .at(at, "merge key")
        .with_help("write the merged entries out in this mapping")
    }

    fn unsupported_tag(&self, kind: TagKind, props: &Props, node: Span, found: &str) -> Diagnostic {
        let at = props.tag.unwrap_or(node);
        let written = self.text.get(at.range()).unwrap_or("!");
        let message = match kind {
            TagKind::Custom => format!("custom tag `{written}` is not supported in spec files"),
            _ => format!("tag `{written}` on {found} is not supported in spec files"),
        };
        // Tags would be a second type system beside the spec's: `!!bool 2`
        // would be read as the number the field wants, silently.
        let help = match kind {
            TagKind::NonSpecific | TagKind::Core(CoreTag::Str) => {
                "remove the tag; quote the value to make it text"
            }
            _ => "remove the tag; the spec decides each value's type",
        };
        Diagnostic::error(Code::UnsupportedYaml, message)
            .at(at, "unsupported tag")
            .with_help(help)
    }

    fn unknown_anchor(&self, at: Span, name: &str) -> Diagnostic {
        Diagnostic::error(
            Code::YamlSyntax,
            format!("expected an anchor `&{name}` before alias `*{name}`, found none"),
        )
        .at(at, "unknown anchor")
        .with_help(format!(
            "define the value once with `&{name}` before referring to it"
        ))
    }

    fn multiple_documents(&self, span: YamlSpan) -> Diagnostic {
        let start = self.byte(span.start.index());
        let end = self.byte(span.end.index());
        Diagnostic::error(
            Code::MultipleDocuments,
            "expected one YAML document, found a second one",
        )
        .at(self.span(start, end), "second document starts here")
        .with_help("merge the documents, or split them into the base and environment files")
    }

    fn empty_file(&self) -> Diagnostic {
        Diagnostic::error(
            Code::EmptyFile,
            "expected a YAML document, found no content",
        )
        .at(self.span(0, 0), "empty document")
        .with_help("the base spec needs at least `platform: { name, kubernetesVersion }`")
    }

    fn tab_diagnostic(&self, at: usize) -> Diagnostic {
        Diagnostic::error(Code::TabIndentation, "expected spaces, found a tab")
            .at(self.span(at, at + 1), "tab")
            .with_help("replace the tab with spaces")
    }

    fn syntax_error(&self, error: &ScanError) -> Diagnostic {
        let at = self.byte(error.marker().index());
        let info = error.info();
        if info.contains("recursion limit exceeded") {
            let place = self.depth_overflow(at).unwrap_or(at);
            return self.too_deep(self.span(place, place + 1));
        }
        let bytes = self.bytes();
        if info.contains("tab") {
            // saphyr may stop at the start of the construct the tab is in,
            // before the tab itself.
            let line = line_start(bytes, at);
            if let Some(offset) = bytes
                .get(line..)
                .and_then(|rest| rest.iter().position(|&b| b == b'\t'))
            {
                return self.tab_diagnostic(line + offset);
            }
        }
        // saphyr rejects some tabs YAML allows as separation (`key:<tab>value`)
        // and stops on or just after them.
        for near in [Some(at), at.checked_sub(1)].into_iter().flatten() {
            if bytes.get(near) == Some(&b'\t') {
                return self.tab_diagnostic(near);
            }
        }
        if info.contains("unknown anchor") {
            let name_end = bytes.get(at..).map_or(at, |_| skip_property(bytes, at));
            let name = self
                .text
                .get(at..name_end)
                .map_or("", |text| text.trim_start_matches('*'));
            return self.unknown_anchor(self.span(at, name_end), name);
        }
        Diagnostic::error(
            Code::YamlSyntax,
            format!("invalid YAML: {}", readable(info)),
        )
        .at(self.span(at, at), "the parser stopped here")
    }

    /// Where nesting first exceeded the limit, when saphyr gave up on nesting
    /// before emitting the events for it: it scans ahead through `[[[...` to
    /// decide whether a key follows, and fails at its own cap of 255 levels.
    fn depth_overflow(&self, error_at: usize) -> Option<usize> {
        if self.limits.max_depth >= SAPHYR_MAX_FLOW_DEPTH {
            return None;
        }
        let bytes = self.bytes();
        let mut depth = self.stack.len();
        let mut at = self.last_end;
        let mut previous = b' ';
        while at < error_at.min(bytes.len()) {
            let byte = *bytes.get(at)?;
            let after_separator = matches!(
                previous,
                b' ' | b'\t' | b'\r' | b'\n' | b'[' | b'{' | b',' | b':'
            );
            match byte {
                b'[' | b'{' => {
                    depth += 1;
                    if depth > self.limits.max_depth {
                        return Some(at);
                    }
                }
                b']' | b'}' => depth = depth.saturating_sub(1),
                b'#' if after_separator => {
                    at = line_end(bytes, at);
                    continue;
                }
                b'\'' | b'"' if after_separator => at = skip_quoted(bytes, at),
                _ => {}
            }
            previous = byte;
            at += 1;
        }
        None
    }

    /// The first tab in indentation before the end of the line holding
    /// `limit`, outside block scalars (whose leading tabs are text).
    fn first_tab_before(&self, limit: usize) -> Option<usize> {
        let limit = line_end(self.bytes(), limit);
        self.indentation_tabs
            .iter()
            .copied()
            .take_while(|&tab| tab < limit)
            .find(|&tab| !self.in_block_scalar(tab))
    }

    fn in_block_scalar(&self, at: usize) -> bool {
        let next = self
            .block_scalars
            .partition_point(|&(start, _)| start <= at);
        next.checked_sub(1)
            .and_then(|index| self.block_scalars.get(index))
            .is_some_and(|&(start, end)| start <= at && at < end)
    }

    /// A tab in indentation at or before an error is reported instead of the
    /// error: it is the earlier problem and often the cause of the later one.
    fn prefer_earlier_tab(&self, diagnostic: Diagnostic) -> Diagnostic {
        if diagnostic.code == Code::TabIndentation || diagnostic.code == Code::FileTooLarge {
            return diagnostic;
        }
        let at = diagnostic
            .primary
            .as_ref()
            .map_or(usize::MAX, |label| label.span.start as usize);
        match self.first_tab_before(at) {
            Some(tab) => self.tab_diagnostic(tab),
            None => diagnostic,
        }
    }
}

/// `text` without the spare capacity the scanner grew it with: scalars are
/// most of a spec's nodes, and most are a few bytes long.
fn compact(mut text: String) -> String {
    text.shrink_to_fit();
    text
}

/// Adds a completed key node to `map` with a placeholder value, returning the
/// entry's index for the value to come: one hash per key, not one to check for
/// a duplicate and another to insert.
fn insert_key(map: &mut Map, node: Node) -> Result<usize, Diagnostic> {
    let text = match node.value {
        Value::Scalar(scalar) => scalar.text,
        Value::Null => {
            return Err(Diagnostic::error(
                Code::UnsupportedYaml,
                "expected a text key, found null",
            )
            .at(node.span, "null key")
            .with_help(
                "write a key before the `:`, or quote it (`\"null\"`) if the word is meant",
            ));
        }
        Value::Seq(_) | Value::Map(_) => {
            return Err(Diagnostic::error(
                Code::UnsupportedYaml,
                format!("expected a text key, found {}", node.kind_name()),
            )
            .at(node.span, "complex key"));
        }
    };
    match map.entries.entry(text) {
        indexmap::map::Entry::Occupied(first) => Err(Diagnostic::error(
            Code::DuplicateKey,
            format!("key `{}` appears twice in the same mapping", first.key()),
        )
        .at(node.span, format!("duplicate key `{}`", first.key()))
        .with_secondary(first.get().key_span, "first defined here")
        .with_help("keep one of them")),
        indexmap::map::Entry::Vacant(slot) => {
            let index = slot.index();
            slot.insert(Entry {
                key_span: node.span,
                value: Node::new(node.span, Value::Null),
            });
            Ok(index)
        }
    }
}

fn classify_tag(tag: &Tag) -> TagKind {
    let core = if tag.is_yaml_core_schema() {
        Some(tag.suffix.as_str())
    } else if tag.handle.is_empty() {
        // `!<tag:yaml.org,2002:str>` (verbatim) arrives with the whole tag as suffix.
        tag.suffix.strip_prefix(CORE_TAG_PREFIX)
    } else {
        None
    };
    match core {
        Some("str") => TagKind::Core(CoreTag::Str),
        Some("null") => TagKind::Core(CoreTag::Null),
        Some("int" | "float" | "bool") => TagKind::Core(CoreTag::Typed),
        Some("map") => TagKind::Core(CoreTag::Map),
        Some("seq") => TagKind::Core(CoreTag::Seq),
        Some("merge") => TagKind::Core(CoreTag::Merge),
        Some(_) => TagKind::Core(CoreTag::Other),
        None if tag.handle.is_empty() && tag.suffix == "!" => TagKind::NonSpecific,
        None => TagKind::Custom,
    }
}

fn is_null(text: &str) -> bool {
    matches!(text, "" | "~" | "null" | "Null" | "NULL")
}

/// Skips an anchor, alias or tag name: up to whitespace or a flow indicator.
fn skip_property(bytes: &[u8], from: usize) -> usize {
    let mut at = from + 1;
    while bytes.get(at).is_some_and(|b| {
        !matches!(
            b,
            b' ' | b'\t' | b'\r' | b'\n' | b',' | b'[' | b']' | b'{' | b'}'
        )
    }) {
        at += 1;
    }
    at.min(bytes.len())
}

/// Skips a quoted scalar starting at `from`, returning the closing quote's
/// offset (or the end of the text if it is unclosed).
fn skip_quoted(bytes: &[u8], from: usize) -> usize {
    let Some(&quote) = bytes.get(from) else {
        return from;
    };
    let mut at = from + 1;
    while let Some(&byte) = bytes.get(at) {
        match byte {
            b'\\' if quote == b'"' => at += 1,
            b'\'' if quote == b'\'' && bytes.get(at + 1) == Some(&b'\'') => at += 1,
            _ if byte == quote => return at,
            _ => {}
        }
        at += 1;
    }
    bytes.len()
}

/// Finds a block scalar's `|` or `>` between the previous token and the
/// scalar's content, skipping the `:`, `-` or `?` indicators, properties,
/// whitespace and comments that may come between them.
fn find_block_indicator(bytes: &[u8], from: usize, limit: usize) -> Option<usize> {
    let mut at = from;
    while at < limit {
        match bytes.get(at)? {
            b'|' | b'>' => return Some(at),
            b' ' | b'\t' | b'\r' | b'\n' | b':' | b'-' | b'?' => at += 1,
            b'#' => at = line_end(bytes, at),
            b'&' | b'!' => at = skip_property(bytes, at),
            _ => return None,
        }
    }
    None
}

/// Offset of the `\n` ending the line holding `at` (or the end of the text).
fn line_end(bytes: &[u8], at: usize) -> usize {
    bytes
        .get(at..)
        .and_then(|rest| rest.iter().position(|&b| b == b'\n'))
        .map_or(bytes.len(), |offset| at + offset)
}

fn line_start(bytes: &[u8], at: usize) -> usize {
    bytes
        .get(..at)
        .and_then(|before| before.iter().rposition(|&b| b == b'\n'))
        .map_or(0, |offset| offset + 1)
}

/// Tabs in the leading whitespace of lines that hold content. Blank and
/// comment-only lines are skipped: a tab there indents nothing.
fn indentation_tabs(body: &str, base: usize) -> Vec<usize> {
    let mut tabs = Vec::new();
    if !body.as_bytes().contains(&b'\t') {
        return tabs;
    }
    let mut line_offset = base;
    for line in body.split_inclusive('\n') {
        let bytes = line.as_bytes();
        let indent = bytes
            .iter()
            .take_while(|&&b| b == b' ' || b == b'\t')
            .count();
        let has_content = !matches!(bytes.get(indent), None | Some(b'\n' | b'\r' | b'#'));
        if has_content && let Some(tab) = bytes.iter().take(indent).position(|&b| b == b'\t') {
            tabs.push(line_offset + tab);
        }
        line_offset += line.len();
    }
    tabs
}

/// saphyr's message in our style: lowercase start, no final period, quoted
/// characters (`','`) in backticks.
fn readable(info: &str) -> String {
    let info = info.trim().trim_end_matches('.');
    let mut out = String::with_capacity(info.len());
    let chars: Vec<char> = info.chars().collect();
    let mut index = 0;
    while let Some(&c) = chars.get(index) {
        // A quoted token is one to three characters between single quotes;
        // longer runs are apostrophes in words ("wasn't").
        let quoted_len = (c == '\'')
            .then(|| {
                (1..=3).find(|&len| {
                    chars.get(index + len + 1) == Some(&'\'')
                        && chars
                            .get(index + 1..index + len + 1)
                            .is_some_and(|inner| inner.iter().all(|&ch| ch != '\'' && ch != ' '))
                })
            })
            .flatten();
        match quoted_len {
            Some(len) => {
                out.push('`');
                out.extend(chars.get(index + 1..index + len + 1).unwrap_or_default());
                out.push('`');
                index += len + 2;
            }
            _ => {
                out.push(c);
                index += 1;
            }
        }
    }
    let mut result = String::with_capacity(out.len());
    let mut rest = out.chars();
    if let Some(first) = rest.next() {
        result.extend(first.to_lowercase());
    }
    result.extend(rest);
    result
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::source::SourceFile;

    /// What a case expects: the tree rendered by [`render`], or an error code at
    /// a 1-based (line, column).
    enum Expect<'a> {
        Tree(&'a str),
        Error(Code, (usize, usize)),
    }
    use Expect::{Error, Tree};

    #[track_caller]
    fn case(text: &str, expected: Expect<'_>) {
        case_with(text, &Limits::default(), expected);
    }

    #[track_caller]
    fn case_with(full_text: &str, limits: &Limits, expected: Expect<'_>) {
        let source = SourceFile::new("f.yaml", full_text);
        let result = parse_scanning(FileId(7), full_text, limits, false);
        // Keeps failure messages readable for the 100,000-bracket cases.
        let text: String = full_text.chars().take(200).collect();
        assert!(
            parse_scanning(FileId(7), full_text, limits, true) == result,
            "scanning on a second thread changed the outcome for {text:?}"
        );
        parts_agree(full_text, limits);
        match (result, expected) {
            (Ok(node), Tree(tree)) => assert_eq!(render(&node, &source), tree, "for {text:?}"),
            (Err(diagnostic), Error(code, at)) => {
                let span = diagnostic.primary.as_ref().map(|label| label.span);
                assert_eq!(diagnostic.code, code, "for {text:?}: {diagnostic:?}");
                assert_eq!(
                    span.map(|span| source.line_col(span.start as usize)),
                    Some(at),
                    "for {text:?}: {diagnostic:?}"
                );
                assert_eq!(span.map(|span| span.file), Some(FileId(7)));
            }
            (Ok(node), Error(code, _)) => {
                panic!(
                    "for {text:?}: expected {code:?}, parsed {}",
                    render(&node, &source)
                )
            }
            (Err(diagnostic), Tree(_)) => panic!("for {text:?}: unexpected {diagnostic:?}"),
        }
    }

    /// Parsing in parts (`parts.rs`), cut at each place the text allows,
    /// gives the tree of the parse in one piece, or declines: it never gives
    /// another tree, nor a tree where the whole text has an error. Returns
    /// how many cuts gave the tree.
    #[track_caller]
    fn parts_agree(text: &str, limits: &Limits) -> usize {
        let whole = &parse_scanning(FileId(7), text, limits, false);
        let base = if text.starts_with(BOM) { BOM.len() } else { 0 };
        let source = SourceFile::new("f.yaml", text);
        let mut agreed = 0;
        for cut in parts::every_cut(&text[base..]) {
            match (
                whole,
                parse_in_parts(FileId(7), text, base, &text[base..], cut, limits),
            ) {
                (_, None) => {}
                (Ok(whole), Some(node)) => {
                    assert!(
                        node == *whole,
                        "the cut {cut:?} changed the tree of {text:?}:\n{}\nagainst\n{}",
                        render(&node, &source),
                        render(whole, &source)
                    );
                    agreed += 1;
                }
                (Err(diagnostic), Some(node)) => panic!(
                    "the cut {cut:?} parsed {} where the whole text has {diagnostic:?}: {text:?}",
                    render(&node, &source)
                ),
            }
        }
        agreed
    }

    #[track_caller]
    fn diagnostic(text: &str) -> Diagnostic {
        match parse(FileId(0), text, &Limits::default()) {
            Ok(node) => panic!("for {text:?}: expected an error, parsed {node:?}"),
            Err(diagnostic) => diagnostic,
        }
    }

    /// Compact form of a tree with every span as `@line:col-line:col`: plain
    /// scalars bare, quoted ones in quotes, null as `~`, keys with their spans.
    fn render(node: &Node, source: &SourceFile) -> String {
        let at = |span: Span| {
            let (start, end) = (
                source.line_col(span.start as usize),
                source.line_col(span.end as usize),
            );
            format!("@{}:{}-{}:{}", start.0, start.1, end.0, end.1)
        };
        let body = match &node.value {
            Value::Null => "~".to_owned(),
            Value::Scalar(scalar) if scalar.quoted => format!("{:?}", scalar.text),
            Value::Scalar(scalar) => scalar.text.escape_debug().to_string(),
            Value::Seq(items) => {
                let items: Vec<_> = items.iter().map(|item| render(item, source)).collect();
                format!("[{}]", items.join(", "))
            }
            Value::Map(map) => {
                let entries: Vec<_> = map
                    .entries
                    .iter()
                    .map(|(key, entry)| {
                        let value = render(&entry.value, source);
                        format!("{key}{}: {value}", at(entry.key_span))
                    })
                    .collect();
                format!("{{{}}}", entries.join(", "))
            }
        };
        format!("{body}{}", at(node.span))
    }

    #[test]
    fn scalars_keep_their_text_and_style() {
        case("a: 1", Tree("{a@1:1-1:2: 1@1:4-1:5}@1:1-1:5"));
        case("a: true", Tree("{a@1:1-1:2: true@1:4-1:8}@1:1-1:8"));
        case("a: '1'", Tree(r#"{a@1:1-1:2: "1"@1:4-1:7}@1:1-1:7"#));
        case(
            r#"a: "x\ty""#,
            Tree(r#"{a@1:1-1:2: "x\ty"@1:4-1:10}@1:1-1:10"#),
        );
        case(
            "a: 'it''s'",
            Tree(r#"{a@1:1-1:2: "it's"@1:4-1:11}@1:1-1:11"#),
        );
        case(
            "a: foo\n  bar\n",
            Tree("{a@1:1-1:2: foo bar@1:4-2:6}@1:1-2:6"),
        );
        case(
            "a: \"x\n  y\"\n",
            Tree(r#"{a@1:1-1:2: "x y"@1:4-2:5}@1:1-2:5"#),
        );
        case(
            "a: |\n  x\n  y\nb: 1",
            Tree(r#"{a@1:1-1:2: "x\ny\n"@1:4-3:4, b@4:1-4:2: 1@4:4-4:5}@1:1-4:5"#),
        );
        case(
            "a: >-\n  x\n  y\n\n",
            Tree(r#"{a@1:1-1:2: "x y"@1:4-3:4}@1:1-3:4"#),
        );
        case(
            "a: |+ # keep\n  x\n\n",
            Tree(r#"{a@1:1-1:2: "x\n\n"@1:4-2:4}@1:1-2:4"#),
        );
        case(
            "a: |\nb: 1",
            Tree(r#"{a@1:1-1:2: ""@1:4-1:5, b@2:1-2:2: 1@2:4-2:5}@1:1-2:5"#),
        );
        case("--- |\n  x\n", Tree(r#""x\n"@1:5-2:4"#));
        case(
            "- >\n   x\n- y",
            Tree(r#"["x\n"@1:3-2:5, y@3:3-3:4]@1:1-3:4"#),
        );
        case(
            "a: |\n  x\n  \ty\n",
            Tree(r#"{a@1:1-1:2: "x\n\ty\n"@1:4-3:5}@1:1-3:5"#),
        );
    }

    #[test]
    fn null_forms_are_null_only_when_plain() {
        case(
            "a: ~\nb: null\nc: Null\nd: NULL\ne:\nf: nULL",
            Tree(
                "{a@1:1-1:2: ~@1:4-1:5, b@2:1-2:2: ~@2:4-2:8, c@3:1-3:2: ~@3:4-3:8, \
             d@4:1-4:2: ~@4:4-4:8, e@5:1-5:2: ~@5:3-5:3, f@6:1-6:2: nULL@6:4-6:8}@1:1-6:8",
            ),
        );
        case(
            "a: '~'\nb: \"null\"",
            Tree(r#"{a@1:1-1:2: "~"@1:4-1:7, b@2:1-2:2: "null"@2:4-2:10}@1:1-2:10"#),
        );
        case(
            "- \n- x\n-",
            Tree("[~@1:3-1:3, x@2:3-2:4, ~@3:2-3:2]@1:1-3:2"),
        );
        case(
            "{a, b: }",
            Tree("{a@1:2-1:3: ~@1:3-1:3, b@1:5-1:6: ~@1:7-1:7}@1:1-1:9"),
        );
        case("~", Tree("~@1:1-1:2"));
        case("''", Tree(r#"""@1:1-1:3"#));
    }

    #[test]
    fn collections_nest_with_spans_from_start_to_end() {
        case(
            "a:\n  b: c\n  d: [e]\nz: 1",
            Tree(
                "{a@1:1-1:2: {b@2:3-2:4: c@2:6-2:7, d@3:3-3:4: [e@3:7-3:8]@3:6-3:9}@2:3-3:9, \
             z@4:1-4:2: 1@4:4-4:5}@1:1-4:5",
            ),
        );
        case(
            "- a\n- - b\n  - c\n",
            Tree("[a@1:3-1:4, [b@2:5-2:6, c@3:5-3:6]@2:3-3:6]@1:1-3:6"),
        );
        case(
            "a:\n- b\n- c: d\n",
            Tree("{a@1:1-1:2: [b@2:3-2:4, {c@3:3-3:4: d@3:6-3:7}@3:3-3:7]@2:1-3:7}@1:1-3:7"),
        );
        case(
            "a: []\nb: {}\n",
            Tree("{a@1:1-1:2: []@1:4-1:6, b@2:1-2:2: {}@2:4-2:6}@1:1-2:6"),
        );
        case("a: 1 # note\n", Tree("{a@1:1-1:2: 1@1:4-1:5}@1:1-1:5"));
    }

    #[test]
    fn flow_style_spans_cover_the_brackets() {
        case(
            "[1, {g: h}, 'q']",
            Tree(r#"[1@1:2-1:3, {g@1:6-1:7: h@1:9-1:10}@1:5-1:11, "q"@1:13-1:16]@1:1-1:17"#),
        );
        case(
            "{a: [1,\n  2], b: c}",
            Tree("{a@1:2-1:3: [1@1:6-1:7, 2@2:3-2:4]@1:5-2:5, b@2:7-2:8: c@2:10-2:11}@1:1-2:12"),
        );
        case(
            "[a: b, ? c : d]",
            Tree("[{a@1:2-1:3: b@1:5-1:6}@1:2-1:6, {c@1:10-1:11: d@1:14-1:15}@1:8-1:15]@1:1-1:16"),
        );
    }

    #[test]
    fn key_spans_cover_the_key_text() {
        case(
            "'a b': 1\n\"c\": 2\n? d\n: 3\nlong key: 4",
            Tree(
                "{a b@1:1-1:6: 1@1:8-1:9, c@2:1-2:4: 2@2:6-2:7, d@3:3-3:4: 3@4:3-4:4, \
             long key@5:1-5:9: 4@5:11-5:12}@1:1-5:12",
            ),
        );
        case(
            "&k a: 1\nb: *k",
            Tree("{a@1:4-1:5: 1@1:7-1:8, b@2:1-2:2: a@2:4-2:6}@1:1-2:6"),
        );
        case("a: 1\n*k : 2", Error(Code::YamlSyntax, (2, 1)));
    }

    #[test]
    fn utf8_spans_are_bytes() {
        case(
            "é: ü\nñ: [ä, \"ö\"] # ß",
            Tree(
                r#"{é@1:1-1:2: ü@1:4-1:5, ñ@2:1-2:2: [ä@2:5-2:6, "ö"@2:8-2:11]@2:4-2:12}@1:1-2:12"#,
            ),
        );
        case(
            "a: \"日本\n  b\" # 語\nc: |\n  ß\n  ü\n",
            Tree(r#"{a@1:1-1:2: "日本 b"@1:4-2:5, c@3:1-3:2: "ß\nü\n"@3:4-5:4}@1:1-5:4"#),
        );
        case(
            "k: 😀\n😀: [x, y, z]",
            Tree(
                "{k@1:1-1:2: 😀@1:4-1:5, 😀@2:1-2:2: [x@2:5-2:6, y@2:8-2:9, z@2:11-2:12]@2:4-2:13}@1:1-2:13",
            ),
        );
        // Spans are bytes: check one directly, not only through line_col.
        let node = parse(FileId(0), "é: ü", &Limits::default()).ok();
        let entry = node
            .as_ref()
            .and_then(|node| node.as_map()?.entries.get("é"));
        assert_eq!(entry.map(|entry| entry.key_span.range()), Some(0..2));
        assert_eq!(entry.map(|entry| entry.value.span.range()), Some(4..6));
        // Past the 64-character checkpoints of the offset table.
        let long = format!("{}: x\nb: y", "é".repeat(100));
        let node = parse(FileId(0), &long, &Limits::default()).ok();
        let entry = node
            .as_ref()
            .and_then(|node| node.as_map()?.entries.get("b"));
        assert_eq!(entry.map(|entry| entry.value.span.range()), Some(207..208));
    }

    #[test]
    fn character_indices_convert_to_bytes_in_any_order() {
        let body: String = "aé日😀\n".repeat(100);
        let expected: Vec<usize> = body
            .char_indices()
            .map(|(offset, _)| offset)
            .chain([body.len()])
            .collect();
        let offsets = Offsets::new(&body, 3);
        let mut random = XorShift(7);
        let count = expected.len();
        // Forward, backward, and jumping around: the cursor must never be
        // trusted for an index behind it or far ahead of it.
        let order = (0..count)
            .chain((0..count).rev())
            .chain((0..count).map(|_| random.below(count + 10)));
        for index in order {
            let want = expected.get(index).copied().unwrap_or(body.len());
            assert_eq!(offsets.byte(index), 3 + want, "character {index}");
        }
    }

    #[test]
    fn a_byte_order_mark_is_skipped() {
        case("\u{feff}a: 1", Tree("{a@1:2-1:3: 1@1:5-1:6}@1:2-1:6"));
        case("\u{feff}", Error(Code::EmptyFile, (1, 1)));
        let node = parse(FileId(0), "\u{feff}a: 1", &Limits::default()).ok();
        assert_eq!(node.map(|node| node.span.range()), Some(3..7));
    }

    #[test]
    fn anchors_and_aliases_expand_to_copies() {
        case(
            "a: &x\n  b: [1, 2]\nc: *x\n",
            Tree(
                "{a@1:1-1:2: {b@2:3-2:4: [1@2:7-2:8, 2@2:10-2:11]@2:6-2:12}@2:3-2:12, \
             c@3:1-3:2: {b@2:3-2:4: [1@2:7-2:8, 2@2:10-2:11]@2:6-2:12}@3:4-3:6}@1:1-3:6",
            ),
        );
        case(
            "- &a 1\n- *a\n- &a 2\n- *a",
            Tree("[1@1:6-1:7, 1@2:3-2:5, 2@3:6-3:7, 2@4:3-4:5]@1:1-4:5"),
        );
        case(
            "a: &s '5'\nb: *s",
            Tree(r#"{a@1:1-1:2: "5"@1:7-1:10, b@2:1-2:2: "5"@2:4-2:6}@1:1-2:6"#),
        );
        case("a: *nope", Error(Code::YamlSyntax, (1, 4)));
        case("a: &a [1, *a]", Error(Code::UnsupportedYaml, (1, 11)));

        let text = "base: &b {x: 1, y: [2]}\ncopy: *b\n";
        let node = parse(FileId(0), text, &Limits::default()).ok();
        let (base, copy) = (
            node.as_ref().and_then(|node| node.get("base")),
            node.as_ref().and_then(|node| node.get("copy")),
        );
        assert_eq!(base.map(|node| &node.value), copy.map(|node| &node.value));
    }

    #[test]
    fn alias_expansion_is_limited() {
        let limits = Limits {
            max_alias_nodes: 10,
            ..Limits::default()
        };
        // Each alias to `a` adds 4 nodes: the list and its 3 items.
        let text = "a: &a [1, 2, 3]\nb: [*a, *a]\nc: *a\n";
        case_with(text, &limits, Error(Code::AliasLimit, (3, 4)));
        let limits = Limits {
            max_alias_nodes: 12,
            ..limits
        };
        case_with(
            text,
            &limits,
            Tree(
                "{a@1:1-1:2: [1@1:8-1:9, 2@1:11-1:12, 3@1:14-1:15]@1:7-1:16, \
             b@2:1-2:2: [[1@1:8-1:9, 2@1:11-1:12, 3@1:14-1:15]@2:5-2:7, \
             [1@1:8-1:9, 2@1:11-1:12, 3@1:14-1:15]@2:9-2:11]@2:4-2:12, \
             c@3:1-3:2: [1@1:8-1:9, 2@1:11-1:12, 3@1:14-1:15]@3:4-3:6}@1:1-3:6",
            ),
        );
    }

    #[test]
    fn billion_laughs_fails_fast() {
        let mut text = String::from("a: &a [lol, lol, lol, lol, lol, lol, lol, lol, lol]\n");
        let names = ["a", "b", "c", "d", "e", "f", "g", "h", "i"];
        for pair in names.windows(2) {
            let aliases = vec![format!("*{}", pair[0]); 9].join(", ");
            text.push_str(&format!("{name}: &{name} [{aliases}]\n", name = pair[1]));
        }
        // Level `f` holds 9 copies of `e` (66,430 nodes each) on top of the
        // 74,709 nodes already added: its first alias crosses 100,000.
        case(&text, Error(Code::AliasLimit, (6, 8)));
    }

    #[test]
    fn nesting_is_limited() {
        let nested = |depth: usize| format!("{}{}", "[".repeat(depth), "]".repeat(depth));
        case(&nested(64), Tree(&nested_tree()));
        case(&nested(65), Error(Code::NestingTooDeep, (1, 65)));
        // saphyr scans ahead through the brackets and gives up at 255 levels,
        // before it emits an event for the 65th: found again by the pre-scan.
        case(&"[".repeat(100_000), Error(Code::NestingTooDeep, (1, 65)));
        case(&"{".repeat(100_000), Error(Code::NestingTooDeep, (1, 65)));
        case(
            &format!("a:\n  b: {}", "[".repeat(100_000)),
            Error(Code::NestingTooDeep, (2, 68)),
        );
        case(
            &format!("a: ['[', \"{{\", {}", "[".repeat(1000)),
            Error(Code::NestingTooDeep, (1, 77)),
        );
        case(&"- ".repeat(100_000), Error(Code::NestingTooDeep, (1, 129)));
        let mut blocks = String::new();
        for depth in 0..100 {
            blocks.push_str(&format!("{}k:\n", " ".repeat(depth)));
        }
        case(&blocks, Error(Code::NestingTooDeep, (65, 65)));

        // An alias placed deep may not carry its anchor's depth past the limit.
        let limits = Limits {
            max_depth: 5,
            ..Limits::default()
        };
        case_with(
            "a: &a [[[1]]]\nb: [*a]",
            &limits,
            Tree(
                "{a@1:1-1:2: [[[1@1:10-1:11]@1:9-1:12]@1:8-1:13]@1:7-1:14, \
             b@2:1-2:2: [[[[1@1:10-1:11]@1:9-1:12]@1:8-1:13]@2:5-2:7]@2:4-2:8}@1:1-2:8",
            ),
        );
        case_with(
            "a: &a [[[1]]]\nb: [[*a]]",
            &limits,
            Error(Code::NestingTooDeep, (2, 6)),
        );
    }

    fn nested_tree() -> String {
        let mut tree = String::new();
        for _ in 0..64 {
            tree.push('[');
        }
        for level in (0..64).rev() {
            tree.push_str(&format!("]@1:{}-1:{}", level + 1, 129 - level));
        }
        tree
    }

    #[test]
    fn duplicate_keys_point_at_both() {
        case("a: 1\nb: 2\na: 3", Error(Code::DuplicateKey, (3, 1)));
        case("{a: 1, 'a': 2}", Error(Code::DuplicateKey, (1, 8)));
        case(
            "x:\n  a: 1\ny:\n  a: 1",
            Tree(
                "{x@1:1-1:2: {a@2:3-2:4: 1@2:6-2:7}@2:3-2:7, y@3:1-3:2: {a@4:3-4:4: 1@4:6-4:7}@4:3-4:7}@1:1-4:7",
            ),
        );
        let duplicate = diagnostic("a: 1\nb: 2\na: 3");
        assert_eq!(
            duplicate.message,
            "key `a` appears twice in the same mapping"
        );
        let primary = duplicate
            .primary
            .as_ref()
            .map(|label| (label.span.range(), label.message.as_str()));
        assert_eq!(primary, Some((10..11, "duplicate key `a`")));
        let secondary: Vec<_> = duplicate
            .secondary
            .iter()
            .map(|label| (label.span.range(), label.message.as_str()))
            .collect();
        assert_eq!(secondary, [(0..1, "first defined here")]);
    }

    #[test]
    fn keys_must_be_text() {
        case("? [a]\n: b", Error(Code::UnsupportedYaml, (1, 3)));
        case("{[a]: b}", Error(Code::UnsupportedYaml, (1, 2)));
        case("? {a: 1}\n: b", Error(Code::UnsupportedYaml, (1, 3)));
        case("a: &l [1]\n*l : 2", Error(Code::UnsupportedYaml, (2, 1)));
        case("~: x", Error(Code::UnsupportedYaml, (1, 1)));
        case("null: x", Error(Code::UnsupportedYaml, (1, 1)));
        case(": x", Error(Code::UnsupportedYaml, (1, 1)));
        case("'null': x", Tree(r#"{null@1:1-1:7: x@1:9-1:10}@1:1-1:10"#));
        case(
            "1: x\ntrue: y",
            Tree("{1@1:1-1:2: x@1:4-1:5, true@2:1-2:5: y@2:7-2:8}@1:1-2:8"),
        );
    }

    #[test]
    fn merge_keys_are_rejected() {
        case(
            "base: &b {x: 1}\nsvc:\n  <<: *b\n",
            Error(Code::UnsupportedYaml, (3, 3)),
        );
        case("{<<: {a: 1}}", Error(Code::UnsupportedYaml, (1, 2)));
        case("!!merge x: 1", Error(Code::UnsupportedYaml, (1, 9)));
        case("'<<': 1", Tree(r#"{<<@1:1-1:5: 1@1:7-1:8}@1:1-1:8"#));
        let merge = diagnostic("a:\n  <<: {b: 1}");
        assert_eq!(
            merge.help.as_deref(),
            Some("write the merged entries out in this mapping")
        );
    }

    #[test]
    fn every_tag_is_rejected() {
        // Core tags too: `!!bool 2` would otherwise pass as the number 2.
        case("a: !!str 123", Error(Code::UnsupportedYaml, (1, 4)));
        case("a: !!int '5'", Error(Code::UnsupportedYaml, (1, 4)));
        case("replicas: !!bool 2", Error(Code::UnsupportedYaml, (1, 11)));
        case("a: !!float 1", Error(Code::UnsupportedYaml, (1, 4)));
        case("a: ! x", Error(Code::UnsupportedYaml, (1, 4)));
        case(
            "a: !<tag:yaml.org,2002:str> 1",
            Error(Code::UnsupportedYaml, (1, 4)),
        );
        case("a: !!null ~", Error(Code::UnsupportedYaml, (1, 4)));
        case("!!map {a: 1}", Error(Code::UnsupportedYaml, (1, 1)));
        case("a: !!seq [1]", Error(Code::UnsupportedYaml, (1, 4)));
        case("a: !foo x", Error(Code::UnsupportedYaml, (1, 4)));
        case("a: !!binary aGk=", Error(Code::UnsupportedYaml, (1, 4)));
        case(
            "a: !!timestamp 2001-12-14",
            Error(Code::UnsupportedYaml, (1, 4)),
        );
        case("a: !!str [1]", Error(Code::UnsupportedYaml, (1, 4)));
        case("a: !!map [1]", Error(Code::UnsupportedYaml, (1, 4)));
        case("a: !!null x", Error(Code::UnsupportedYaml, (1, 4)));
        case(
            "a: &x !custom\n  b: 1",
            Error(Code::UnsupportedYaml, (1, 7)),
        );
        case(
            "%TAG !e! tag:example.com,2000:\n---\na: !e!thing 1",
            Error(Code::UnsupportedYaml, (3, 4)),
        );
        let custom = diagnostic("a: !foo x");
        assert_eq!(
            custom.message,
            "custom tag `!foo` is not supported in spec files"
        );
    }

    #[test]
    fn tabs_in_indentation_are_reported_at_the_tab() {
        // saphyr rejects these; the error is moved to the tab.
        case("a:\n\tb: 1\n", Error(Code::TabIndentation, (2, 1)));
        case("a:\n  b: 1\n\tc: 2\n", Error(Code::TabIndentation, (3, 1)));
        case("a: foo\n\tbar\n", Error(Code::TabIndentation, (2, 1)));
        case("a: |\n\tfoo\n", Error(Code::TabIndentation, (2, 1)));
        case("a: |\n  foo\n\tbar\n", Error(Code::TabIndentation, (3, 1)));
        case("a:\n  - b\n\t- c\n", Error(Code::TabIndentation, (3, 1)));
        case("a: [\n\tb,\n]\n", Error(Code::TabIndentation, (2, 1)));
        case("a:\tb", Error(Code::TabIndentation, (1, 3)));
        // saphyr accepts these; spec files do not.
        case("\ta: 1", Error(Code::TabIndentation, (1, 1)));
        case(
            "a: 1\n \t\nb: [\n  \t1]",
            Error(Code::TabIndentation, (4, 3)),
        );
        // A tab before a later, unrelated error is the first problem.
        case("\ta: 1\nb: [", Error(Code::TabIndentation, (1, 1)));
        // Not indentation: blank and comment lines, separation, block scalar text.
        case(
            "a: 1\n\t\n\t# note\nb: 2",
            Tree("{a@1:1-1:2: 1@1:4-1:5, b@4:1-4:2: 2@4:4-4:5}@1:1-4:5"),
        );
        case("- a\n-\tb", Tree("[a@1:3-1:4, b@2:3-2:4]@1:1-2:4"));
        case(
            "a: |\n  x\n  \ty\nb: 1\n",
            Tree(r#"{a@1:1-1:2: "x\n\ty\n"@1:4-3:5, b@4:1-4:2: 1@4:4-4:5}@1:1-4:5"#),
        );
        let tab = diagnostic("a:\n\tb: 1\n");
        assert_eq!(tab.help.as_deref(), Some("replace the tab with spaces"));
        assert_eq!(tab.primary.map(|label| label.span.range()), Some(3..4));
    }

    #[test]
    fn syntax_errors_point_where_the_parser_stopped() {
        case("a: [1, 2", Error(Code::YamlSyntax, (1, 9)));
        case("a: b: c", Error(Code::YamlSyntax, (1, 5)));
        case("a: 1\n  b: 2", Error(Code::YamlSyntax, (2, 4)));
        case("a: \"x", Error(Code::YamlSyntax, (1, 4)));
        case("- a\nb: 1", Error(Code::YamlSyntax, (2, 1)));
        case("{a: 1}}", Error(Code::YamlSyntax, (1, 7)));
        case("é: [ü, ö", Error(Code::YamlSyntax, (1, 9)));
        case("a: @x", Error(Code::YamlSyntax, (1, 4)));
        let error = diagnostic("a: [1, 2");
        assert_eq!(
            error.message,
            "invalid YAML: while parsing a flow sequence, expected `,` or `]`"
        );
    }

    #[test]
    fn saphyr_messages_are_made_readable() {
        assert_eq!(
            readable("Did not find expected ',' or '}'."),
            "did not find expected `,` or `}`"
        );
        assert_eq!(
            readable("the handle wasn't declared"),
            "the handle wasn't declared"
        );
        assert_eq!(readable("':' must be followed"), "`:` must be followed");
        assert_eq!(readable(""), "");
    }

    #[test]
    fn one_document_per_file() {
        case("a: 1\n---\nb: 2\n", Error(Code::MultipleDocuments, (2, 1)));
        case("a: 1\n---\n", Error(Code::MultipleDocuments, (2, 1)));
        case("a: 1\n...\nb: 2\n", Error(Code::MultipleDocuments, (3, 1)));
        case(
            "---\na: 1\n...\n# end\n",
            Tree("{a@2:1-2:2: 1@2:4-2:5}@2:1-2:5"),
        );
        case(
            "%YAML 1.2\n---\na: 1",
            Tree("{a@3:1-3:2: 1@3:4-3:5}@3:1-3:5"),
        );
    }

    #[test]
    fn empty_files_are_reported() {
        for text in [
            "",
            "\n\n",
            "# only a comment\n",
            "---\n",
            "---\n...\n",
            "  \n# a\n  # b\n",
        ] {
            case(text, Error(Code::EmptyFile, (1, 1)));
        }
        let empty = diagnostic("");
        assert_eq!(
            empty.help.as_deref(),
            Some("the base spec needs at least `platform: { name, kubernetesVersion }`")
        );
        case("{}", Tree("{}@1:1-1:3"));
    }

    #[test]
    fn oversized_files_are_refused_before_parsing() {
        let limits = Limits {
            max_file_bytes: 8,
            ..Limits::default()
        };
        case_with(
            "a: 12345",
            &limits,
            Tree("{a@1:1-1:2: 12345@1:4-1:9}@1:1-1:9"),
        );
        case_with("a: 123456", &limits, Error(Code::FileTooLarge, (1, 1)));
    }

    /// A deterministic xorshift generator: the fuzz cases are the same on every run.
    struct XorShift(u64);

    impl XorShift {
        fn next(&mut self) -> u64 {
            self.0 ^= self.0 << 13;
            self.0 ^= self.0 >> 7;
            self.0 ^= self.0 << 17;
            self.0
        }

        fn below(&mut self, bound: usize) -> usize {
            usize::try_from(self.next() % bound.max(1) as u64).unwrap_or(0)
        }
    }

    #[test]
    fn only_the_yaml_1_2_directive_is_accepted() {
        case(
            "%YAML 1.2\n---\na: 1",
            Tree("{a@3:1-3:2: 1@3:4-3:5}@3:1-3:5"),
        );
        case("%YAML 2.0\n---\na: 1", Error(Code::UnsupportedYaml, (1, 1)));
        case(
            "# c\n%YAML 1.1\n---\na: yes",
            Error(Code::UnsupportedYaml, (2, 1)),
        );
        // Not a directive once the document has started.
        case(
            "a: '%YAML 2.0'",
            Tree(r#"{a@1:1-1:2: "%YAML 2.0"@1:4-1:15}@1:1-1:15"#),
        );
    }

    /// Large enough for many batches of events (`read_ahead.rs`).
    fn many_workloads(count: usize) -> String {
        let mut text = String::from("workloads:\n");
        for index in 0..count {
            text.push_str(&format!(
                "  w{index}:\n    image: \"registry/w{index}:1\"\n    ports: [{{name: http, port: 80}}]\n    env:\n      A: 'é {index}'\n    note: |\n      line {index}\n"
            ));
        }
        text
    }

    #[test]
    fn scanning_ahead_builds_the_same_tree_and_errors_from_many_batches() {
        let limits = Limits::default();
        let whole = many_workloads(3000);
        let both = |text: &str| {
            (
                parse_scanning(FileId(1), text, &limits, false),
                parse_scanning(FileId(1), text, &limits, true),
            )
        };
        let (direct, read_ahead) = both(&whole);
        assert!(direct.is_ok());
        assert!(direct == read_ahead);
        // Errors the builder finds late, early (it stops reading while the
        // scanner is still ahead), and the scanner's own.
        for broken in [
            format!("{whole}  w5:\n    image: again\n"),
            format!(
                "workloads:\n  w0: 1\n  w0: 2\n{}",
                &whole["workloads:\n".len()..]
            ),
            format!("{whole}  last: 'unclosed\n"),
            format!("{whole}  tabbed:\n\t  image: x\n"),
        ] {
            let (direct, read_ahead) = both(&broken);
            assert!(direct.is_err());
            assert!(direct == read_ahead, "{direct:?} against {read_ahead:?}");
        }
    }

    #[test]
    fn garbled_input_never_panics() {
        let samples = [
            "platform:\n  name: demo\n  workloads:\n    - name: api\n      image: x:1\n      ports: [{name: http, port: 80}]\n",
            "a: &a [1, {b: *a}]\nc: |\n  text\n  more\nd: >-\n  folded\n",
            "{a: [1, 2, {b: 'c'}], \"d\": ~, ? e : f}\n",
            "- - - x\n  - y\n- ? k\n  : v\n- !!str 1\n- &x !!map {}\n- *x\n",
            "---\n%YAML 1.2\n...\n\u{feff}é: \"ü\\n\\t\"\n",
            // The samples from here on have a `workloads` to cut.
            "platform: {name: demo}\nworkloads:\n  a:\n    x: &a 1\n    y: *a\n    note: |\n      text\n  b:\n    ports: [80,\n      81]\n  c:\n    env: {A: \"é\"}\n  d:\n    note: |+\n      kept\n\n  e:\n    z: >-\n      folded\nrest: 1\n",
            "workloads:\n  a:\n    - x\n    -\n  b:\n    ? k\n    : v\n  # c\n  c:\n    q: \"a\n      b\"\n    r: 'c'\n  d:\n    s: !!str 1\n    t:\n  e: {}\n  f:\n    u: ~\nnext:\n  - 1\nlast: |\n  text\n",
            "\u{feff}# top\nworkloads:   # all\n\n    a:\n      list:\n      - {k: v}\n      - [1, 2]\n    b:\n      deep:\n        deeper: \"x\"\n\n# between\n    c:\n      plain: words\n        continued\n    d:\n      e: f\n",
        ];
        let with_workloads = 5;
        let alphabet: Vec<char> = "[]{}:,-?|>'\"&*!#%@`~ \t\n\r\\ab01é日\u{feff}\u{0}"
            .chars()
            .collect();
        let mut random = XorShift(0x9E37_79B9_7F4A_7C15);
        let limits = Limits {
            max_alias_nodes: 1000,
            max_depth: 16,
            ..Limits::default()
        };
        // Cuts that parsed in parts to the whole text's tree.
        let mut cuts_agreed = 0;
        for round in 0..2000 {
            let mut chars: Vec<char> = if round % 10 == 0 {
                let bytes: Vec<u8> = (0..random.below(64)).map(|_| random.next() as u8).collect();
                String::from_utf8_lossy(&bytes).chars().collect()
            } else if round % 2 == 1 {
                // The samples with `workloads`, for cuts to be tried.
                samples[with_workloads + random.below(samples.len() - with_workloads)]
                    .chars()
                    .collect()
            } else {
                samples[random.below(samples.len())].chars().collect()
            };
            for _ in 0..=random.below(6) {
                let at = random.below(chars.len() + 1);
                let symbol = alphabet[random.below(alphabet.len())];
                match random.below(5) {
                    0 => chars.insert(at, symbol),
                    1 if at < chars.len() => {
                        chars.remove(at);
                    }
                    2 if at < chars.len() => chars[at] = symbol,
                    3 => chars.truncate(at),
                    _ => {
                        let end = (at + random.below(12)).min(chars.len());
                        let copy: Vec<char> = chars[at..end].to_vec();
                        let to = random.below(chars.len() + 1);
                        chars.splice(to..to, copy);
                    }
                }
            }
            let text: String = chars.into_iter().collect();
            let outcome = std::panic::catch_unwind(|| parse(FileId(0), &text, &limits));
            assert!(outcome.is_ok(), "panicked on {text:?}");
            cuts_agreed += parts_agree(&text, &limits);
            let read_ahead =
                std::panic::catch_unwind(|| parse_scanning(FileId(0), &text, &limits, true));
            assert!(
                read_ahead.as_ref().ok() == outcome.as_ref().ok(),
                "scanning on a second thread changed the outcome for {text:?}"
            );
            if let Ok(Err(diagnostic)) = outcome {
                let span = diagnostic.primary.map(|label| label.span);
                assert!(span.is_some_and(|span| span.end as usize <= text.len()));
                assert!(span.is_some_and(|span| text.is_char_boundary(span.start as usize)));
            }
        }
        // The samples with `workloads` are half of the rounds, and many of
        // their mutations leave some cut to take.
        assert!(cuts_agreed > 300, "only {cuts_agreed} cuts parsed in parts");
    }

    /// A spec whose `workloads` holds `entries`, with `rest` after it.
    fn sectioned(entries: &[&str], rest: &str) -> String {
        let mut text = String::from("platform:\n  name: demo\nworkloads:\n");
        for entry in entries {
            text.push_str(entry);
        }
        text.push_str(rest);
        text
    }

    const PLAIN: &str = "  api:\n    image: api:1\n    ports: [{name: http, port: 80}]\n";

    #[test]
    #[allow(
        clippy::disallowed_methods,
        reason = "the test reads every example platform in the repository, new ones included"
    )]
    fn every_cut_of_every_example_parses_to_the_same_tree() {
        let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR"));
        let mut files = vec![root.join("platform.yaml")];
        for folder in ["examples", "tests/fixtures"] {
            let mut found: Vec<_> = std::fs::read_dir(root.join(folder))
                .expect("listed")
                .filter_map(Result::ok)
                .map(|entry| entry.path().join("platform.yaml"))
                .filter(|path| path.is_file())
                .collect();
            found.sort();
            files.extend(found);
        }
        assert!(files.len() > 10, "{files:?}");
        let limits = Limits::default();
        for file in files {
            let text = std::fs::read_to_string(&file).expect("read");
            let taken = parts_agree(&text, &limits);
            let entries = text.lines().filter(|line| entry_of_workloads(line)).count();
            // Every entry after the first whose body ends in a line of
            // content is a cut that must be taken.
            assert!(
                entries < 2 || taken > 0,
                "{}: no cut taken of {entries} workloads",
                file.display()
            );
        }
    }

    fn entry_of_workloads(line: &str) -> bool {
        line.len() > 3
            && line.starts_with("  ")
            && !line[2..].starts_with([' ', '#'])
            && line.ends_with(':')
    }

    #[test]
    fn cuts_next_to_block_scalars_comments_and_quotes_keep_the_tree() {
        let limits = Limits::default();
        let last_lines = [
            "    note: |\n      text\n",
            "    note: |+\n      kept\n",
            "    note: |-\n      stripped\n",
            "    note: >\n      folded\n      lines\n",
            "    note: |2\n        indented\n",
            "    note: \"two\n      lines\"\n",
            "    note: 'two\n      lines'\n",
            "    note: plain\n      continued\n",
            "    list:\n    - a\n    - b\n",
            "    list: [a,\n      b]\n",
            "    map: {a: 1,\n      b: 2}\n",
            "    deep:\n      deeper:\n        deepest: 1\n",
            "    empty:\n",
            "    note: x # comment\n",
            "    note: \"é ü 日本\"\n",
            "    note: |+\n      kept\n\n\n",
            "    note: |+\n      kept\n\n  # comment\n\n",
            "    note: |\n      text\n    # deeper comment\n",
            "    note: >+\n      kept\n  \n",
            "    note: plain\n\n      after a blank\n",
        ];
        for last in last_lines {
            let entry = |name: &str| format!("  {name}:\n    image: a:1\n{last}");
            let plain = |name: &str| PLAIN.replacen("api", name, 1);
            for rest in [
                "",
                "gitops:\n  repo: x\n",
                "cloud: digitalocean\nsecrets: {}\n",
            ] {
                let entries = [entry("first"), plain("api"), entry("second"), plain("web")];
                let text = sectioned(&entries.each_ref().map(String::as_str), rest);
                assert!(
                    parts_agree(&text, &limits) >= 2,
                    "a cut after {last:?} was not taken in {text:?}"
                );
                let crlf = text.replace('\n', "\r\n");
                assert!(parts_agree(&crlf, &limits) >= 2, "{crlf:?}");
                let bom = format!("\u{feff}{text}");
                assert!(parts_agree(&bom, &limits) >= 2, "{bom:?}");
            }
        }
        // Comments and blank lines between entries, a deeper indentation.
        let spaced = "platform: {}\nworkloads:   # all of them\n\n    a:\n      image: x\n# between\n\n    b:\n      image: y\n    c:\n      image: z\n\n# after\nnext: 1\n";
        assert_eq!(parts_agree(spaced, &limits), 2);
    }

    #[test]
    fn cuts_decline_what_only_the_whole_text_can_judge() {
        let limits = Limits::default();
        let declined = |text: &str| {
            let whole = parse_scanning(FileId(7), text, &limits, false);
            assert!(
                !parts::every_cut(text).is_empty(),
                "no cut to try in {text:?}"
            );
            assert_eq!(parts_agree(text, &limits), 0, "{text:?}");
            whole
        };
        // An alias in part 2 of an anchor in part 1; an anchor in part 2.
        assert!(
            declined(&sectioned(
                &["  a:\n    image: &image x:1\n", "  b:\n    image: *image\n"],
                ""
            ))
            .is_ok()
        );
        assert!(
            declined(&sectioned(
                &[PLAIN, "  b:\n    image: &image x:1\n    again: *image\n"],
                ""
            ))
            .is_ok()
        );
        // A key of part 2 already in `workloads`, of part 3 at the top.
        assert!(declined(&sectioned(&[PLAIN, "  b:\n    x: 1\n", PLAIN], "")).is_err());
        assert!(
            declined(&sectioned(
                &[PLAIN, "  b:\n    x: 1\n"],
                "platform: again\n"
            ))
            .is_err()
        );
        // A second document after `workloads`.
        assert!(declined(&sectioned(&[PLAIN, "  b:\n    x: 1\n"], "---\nc: 1\n")).is_err());
        assert!(
            declined(&sectioned(
                &[PLAIN, "  b:\n    x: 1\n"],
                "c: 1\n---\nd: 1\n"
            ))
            .is_err()
        );
        // A quoted string that runs over the cut.
        let _ = declined(&sectioned(
            &["  a:\n    note: \"open\n  b:\n    x: 1\n    y: 2\"\n"],
            "",
        ));
        // A line indented less than the entries, in part 2: saphyr holds
        // quoted and flow text to the block's indentation too.
        for line in [" b: 2\n", " - b\n", "    q: 'a\n b'\n", "    f: [1,\n 2]\n"] {
            assert!(declined(&sectioned(&[PLAIN, "  b:\n    x: 1\n", line], "")).is_err());
        }
        // A tab in part 2's indentation, and one in its block scalar.
        assert!(declined(&sectioned(&[PLAIN, "  b:\n    x: 1\n\t  y: 2\n"], "")).is_err());
        let tab_in_text = sectioned(&[PLAIN, "  b:\n    x: |\n      a\tb\n"], "");
        assert!(parts_agree(&tab_in_text, &limits) == 1);
        // Nested one level deeper than allowed only in part 2; exactly at
        // the limit.
        let shallow = Limits {
            max_depth: 4,
            ..Limits::default()
        };
        let simple = "  a:\n    image: x\n";
        let at_limit = sectioned(&[simple, "  b:\n    x:\n      y: 1\n"], "");
        assert_eq!(parts_agree(&at_limit, &shallow), 1);
        let too_deep = sectioned(&[simple, "  b:\n    x:\n      y:\n        z: 1\n"], "");
        let whole = parse_scanning(FileId(7), &too_deep, &shallow, false);
        assert!(whole.is_err());
        assert_eq!(parts_agree(&too_deep, &shallow), 0);
    }

    #[test]
    fn parse_cuts_a_large_spec_and_gets_the_same_tree_and_errors() {
        let limits = Limits::default();
        // Part 3, after `workloads`, large enough to be scanned ahead too.
        let rest = many_workloads(3000).replacen("workloads:", "services:", 1);
        let whole = format!("{}{rest}gitops:\n  repo: x\n", many_workloads(3000));
        let base = if whole.starts_with(BOM) { BOM.len() } else { 0 };
        let cut = parts::plan(&whole[base..]).expect("large enough to cut");
        assert!(parse_in_parts(FileId(1), &whole, base, &whole[base..], cut, &limits).is_some());
        assert!(
            parse(FileId(1), &whole, &limits) == parse_scanning(FileId(1), &whole, &limits, false)
        );
        let broken = whole.replace("gitops:", "  w5:\n    image: again\ngitops:");
        let one_piece = parse_scanning(FileId(1), &broken, &limits, false);
        assert!(one_piece.is_err());
        assert!(parse(FileId(1), &broken, &limits) == one_piece);
    }
}

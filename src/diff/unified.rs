//! Unified diff of two canonical YAML texts, hunk by hunk, through `similar`
//! (the only user of that crate). Each hunk is headed by the YAML path of its
//! first changed line: the old text's path for a removed line, the new text's
//! for an added one.
//!
//! A block of added (or removed) lines can often sit in more than one place:
//! inserting a list item before an identical `- ports:` line can be shown
//! starting at the item's `- ports:` or at the line after it. `similar` picks
//! one; we then slide each such block to where it starts least indented, so
//! it reads as whole YAML items, the way git's indent heuristic does for code.
//!
//! Must not know about resources or secrets: it diffs lines.

use similar::{ChangeTag, TextDiff};

use crate::diff::{Hunk, Line, LineTag};

/// One line of the edit script.
#[derive(Clone, Debug)]
struct Item<'t> {
    tag: LineTag,
    old: Option<usize>,
    new: Option<usize>,
    text: &'t str,
}

/// The hunks turning `old` into `new`, with `context` unchanged lines around
/// each change. `old_paths` and `new_paths` give the YAML path of each line
/// of their text (see `line_paths`); without them hunks have no path.
pub(super) fn hunks(
    old: &str,
    new: &str,
    context: usize,
    old_paths: Option<&[String]>,
    new_paths: Option<&[String]>,
) -> Vec<Hunk> {
    let diff = TextDiff::from_lines(old, new);
    let mut items: Vec<Item<'_>> = diff
        .iter_all_changes()
        .map(|change| {
            let text = change.value();
            Item {
                tag: match change.tag() {
                    ChangeTag::Equal => LineTag::Context,
                    ChangeTag::Delete => LineTag::Removed,
                    ChangeTag::Insert => LineTag::Added,
                },
                old: change.old_index(),
                new: change.new_index(),
                text: text.strip_suffix('\n').unwrap_or(text),
            }
        })
        .collect();
    slide(&mut items);
    group(&items, context)
        .into_iter()
        .map(|range| hunk(&items, range, old_paths, new_paths))
        .collect()
}

/// Moves each block of only-added or only-removed lines, between unchanged
/// lines, to the equivalent position where its first line is least indented
/// (the latest such position on a tie).
fn slide(items: &mut [Item<'_>]) {
    let mut start = 0;
    while start < items.len() {
        let tag = items[start].tag;
        if tag == LineTag::Context {
            start += 1;
            continue;
        }
        let mut end = start;
        while end < items.len() && items[end].tag != LineTag::Context {
            end += 1;
        }
        // Only a pure block slides: a removal next to an addition is a
        // replacement, which stays where it is.
        if items[start..end].iter().all(|item| item.tag == tag) {
            let len = end - start;
            // The block can start anywhere from `low` to `high`: each step
            // swaps a line at one end of the block with an equal unchanged
            // line at the other.
            let mut low = start;
            while low > 0
                && items[low - 1].tag == LineTag::Context
                && items[low - 1].text == items[low - 1 + len].text
            {
                low -= 1;
            }
            let mut high = start;
            while high + len < items.len()
                && items[high + len].tag == LineTag::Context
                && items[high + len].text == items[high].text
            {
                high += 1;
            }
            let target = (low..=high)
                .min_by_key(|&p| (indent(items[p].text), std::cmp::Reverse(p)))
                .unwrap_or(start);
            if target != start {
                reposition(items, start, target, len, tag);
            }
            start = target.max(start) + len;
        } else {
            start = end;
        }
    }
}

/// Moves a block of `len` lines tagged `tag` from `from` to `to`, over
/// context lines equal to the lines they swap with.
fn reposition(items: &mut [Item<'_>], from: usize, to: usize, len: usize, tag: LineTag) {
    // The lines of the window keep their order and texts; what changes is
    // which of them are the block and which are context. Recompute the line
    // numbers of both sides over the window.
    let window = from.min(to)..from.max(to) + len;
    let first_old = items[window.clone()].iter().find_map(|item| item.old);
    let first_new = items[window.clone()].iter().find_map(|item| item.new);
    let (mut old, mut new) = (first_old, first_new);
    for index in window {
        let in_block = (to..to + len).contains(&index);
        let item = &mut items[index];
        item.tag = if in_block { tag } else { LineTag::Context };
        let (takes_old, takes_new) = match item.tag {
            LineTag::Context => (true, true),
            LineTag::Removed => (true, false),
            LineTag::Added => (false, true),
        };
        item.old = if takes_old { old } else { None };
        item.new = if takes_new { new } else { None };
        if takes_old {
            old = old.map(|o| o + 1);
        }
        if takes_new {
            new = new.map(|n| n + 1);
        }
    }
}

fn indent(text: &str) -> usize {
    text.len() - text.trim_start_matches(' ').len()
}

/// The ranges of items shown as hunks: each change with `context` lines
/// around it, overlapping or touching ranges merged.
fn group(items: &[Item<'_>], context: usize) -> Vec<std::ops::Range<usize>> {
    let mut ranges: Vec<std::ops::Range<usize>> = Vec::new();
    for (index, item) in items.iter().enumerate() {
        if item.tag == LineTag::Context {
            continue;
        }
        let start = index.saturating_sub(context);
        let end = (index + 1 + context).min(items.len());
        match ranges.last_mut() {
            Some(last) if start <= last.end => last.end = last.end.max(end),
            _ => ranges.push(start..end),
        }
    }
    ranges
}

fn hunk(
    items: &[Item<'_>],
    range: std::ops::Range<usize>,
    old_paths: Option<&[String]>,
    new_paths: Option<&[String]>,
) -> Hunk {
    // Lines of each side before the hunk.
    let old_before = items[..range.start]
        .iter()
        .filter(|i| i.old.is_some())
        .count();
    let new_before = items[..range.start]
        .iter()
        .filter(|i| i.new.is_some())
        .count();
    let items = &items[range];
    let path = items.iter().find_map(|item| match item.tag {
        LineTag::Context => None,
        LineTag::Removed => Some(path_at(old_paths, item.old)),
        LineTag::Added => Some(path_at(new_paths, item.new)),
    });
    let old_lines = items.iter().filter(|item| item.old.is_some()).count();
    let new_lines = items.iter().filter(|item| item.new.is_some()).count();
    // 1-based; a side with no lines names the line before the hunk, as
    // `diff -u` does (0 at the top of the file).
    let start = |before: usize, lines: usize| if lines == 0 { before } else { before + 1 };
    Hunk {
        path: path.flatten(),
        old_start: start(old_before, old_lines),
        old_lines,
        new_start: start(new_before, new_lines),
        new_lines,
        lines: items
            .iter()
            .map(|item| Line {
                tag: item.tag,
                text: item.text.to_owned(),
            })
            .collect(),
    }
}

fn path_at(paths: Option<&[String]>, index: Option<usize>) -> Option<String> {
    paths?.get(index?).cloned()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn render(hunks: &[Hunk]) -> String {
        let mut out = String::new();
        for hunk in hunks {
            out.push_str(&hunk.header());
            out.push('\n');
            for line in &hunk.lines {
                out.push(line.tag.prefix());
                out.push_str(&line.text);
                out.push('\n');
            }
        }
        out
    }

    #[track_caller]
    fn case(old: &str, new: &str, context: usize, expected: &str) {
        let paths = |text: &str| -> Vec<String> {
            text.lines()
                .map(|line| line.split(':').next().unwrap_or_default().trim().to_owned())
                .collect()
        };
        let (old_paths, new_paths) = (paths(old), paths(new));
        let got = render(&hunks(
            old,
            new,
            context,
            Some(&old_paths),
            Some(&new_paths),
        ));
        assert_eq!(got, expected, "\n--- got ---\n{got}");
    }

    #[test]
    fn one_changed_line_with_context() {
        case(
            "a: 1\nb: 2\nc: 3\nd: 4\ne: 5\n",
            "a: 1\nb: 2\nc: 30\nd: 4\ne: 5\n",
            1,
            "@@ -2,3 +2,3 @@ c\n b: 2\n-c: 3\n+c: 30\n d: 4\n",
        );
    }

    #[test]
    fn an_insertion_is_headed_by_the_new_line_path() {
        case(
            "a: 1\nc: 3\n",
            "a: 1\nb: 2\nc: 3\n",
            3,
            "@@ -1,2 +1,3 @@ b\n a: 1\n+b: 2\n c: 3\n",
        );
    }

    #[test]
    fn distant_changes_make_separate_hunks() {
        let old: String = (0..20).map(|i| format!("k{i}: {i}\n")).collect();
        let new = old.replace("k2: 2", "k2: two").replace("k17: 17", "k17: x");
        case(
            &old,
            &new,
            1,
            "@@ -2,3 +2,3 @@ k2\n k1: 1\n-k2: 2\n+k2: two\n k3: 3\n\
             @@ -17,3 +17,3 @@ k17\n k16: 16\n-k17: 17\n+k17: x\n k18: 18\n",
        );
    }

    #[test]
    fn everything_added_or_removed() {
        case("", "a: 1\nb: 2\n", 3, "@@ -0,0 +1,2 @@ a\n+a: 1\n+b: 2\n");
        case("a: 1\n", "", 3, "@@ -1 +0,0 @@ a\n-a: 1\n");
        case("a: 1\n", "a: 1\n", 3, "");
    }

    #[test]
    fn inserted_list_items_are_shown_whole() {
        let old = "egress:\n  - ports:\n      - port: 53\n";
        let new = "egress:\n  - ports:\n      - port: 5432\n  - ports:\n      - port: 53\n";
        case(
            old,
            new,
            1,
            "@@ -1,2 +1,4 @@ - ports\n egress:\n+  - ports:\n+      - port: 5432\n   - ports:\n",
        );
        // And removed ones.
        case(
            new,
            old,
            0,
            "@@ -2,2 +1,0 @@ - ports\n-  - ports:\n-      - port: 5432\n",
        );
    }

    #[test]
    fn an_inserted_item_starts_at_its_least_indented_line() {
        // `similar` finds this insertion starting at `ports:`; it reads as
        // a whole list item from `- from:`.
        let old = "x:\n  - from:\n      - a: web\n    ports:\n      - port: 5432\nend: 1\n";
        let new = "x:\n  - from:\n      - a: web\n    ports:\n      - port: 5432\n  \
                   - from:\n      - a: db\n    ports:\n      - port: 5432\nend: 1\n";
        case(
            old,
            new,
            1,
            "@@ -5,2 +5,6 @@ - from\n       - port: 5432\n+  - from:\n+      - a: db\n\
             +    ports:\n+      - port: 5432\n end: 1\n",
        );
    }

    #[test]
    fn a_pure_insertion_without_context_starts_after_the_line_before() {
        case(
            "a: 1\nc: 3\n",
            "a: 1\nb: 2\nc: 3\n",
            0,
            "@@ -1,0 +2 @@ b\n+b: 2\n",
        );
    }
}

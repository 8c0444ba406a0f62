//! `SourceFile`: the text of one loaded file plus a line index, converting byte
//! offsets to 1-based line and column numbers for diagnostics and `explain`.

use std::sync::OnceLock;

/// One file as it was read. `path` is relative to the platform root and uses `/`,
/// so messages and output never depend on where the repository is checked out.
#[derive(Debug, Clone)]
pub struct SourceFile {
    pub path: String,
    pub text: String,
    /// Where each line starts, indexed the first time a line or column is
    /// asked for: only diagnostics and `explain` ask, and a render without
    /// them would otherwise hold 8 bytes a line of its spec (4 MB at 10,000
    /// services) and index it on the thread the parse waits on.
    line_starts: OnceLock<Vec<usize>>,
}

impl SourceFile {
    pub fn new(path: impl Into<String>, text: impl Into<String>) -> Self {
        Self {
            path: path.into(),
            text: text.into(),
            line_starts: OnceLock::new(),
        }
    }

    /// Where each line starts. memchr looks at many bytes at a time, where a
    /// byte-by-byte filter cost a tenth of a second per 100 MB.
    fn line_starts(&self) -> &[usize] {
        self.line_starts.get_or_init(|| {
            let mut line_starts = vec![0];
            line_starts.extend(memchr::memchr_iter(b'\n', self.text.as_bytes()).map(|at| at + 1));
            line_starts
        })
    }

    /// 1-based line and column (in characters) of a byte offset.
    pub fn line_col(&self, offset: usize) -> (usize, usize) {
        let offset = offset.min(self.text.len());
        let line_starts = self.line_starts();
        let line = line_starts.partition_point(|&start| start <= offset) - 1;
        let start = line_starts[line];
        let column = self
            .text
            .get(start..offset)
            .map_or(offset - start, |prefix| prefix.chars().count());
        (line + 1, column + 1)
    }

    /// Byte offset of the start of 1-based `line`.
    pub fn line_start(&self, line: usize) -> usize {
        self.line_starts()
            .get(line.saturating_sub(1))
            .copied()
            .unwrap_or(self.text.len())
    }

    pub fn line_count(&self) -> usize {
        self.line_starts().len()
    }

    /// Replaces the characters in `range` with placeholders (`*` for ASCII)
    /// of the same length in bytes and in characters, keeping line breaks, so
    /// every offset, line and column computed before stays right while the
    /// text itself can no longer be quoted. Ranges are clamped to the text and
    /// widened to character boundaries.
    pub fn redact(&mut self, range: std::ops::Range<usize>) {
        let mut start = range.start.min(self.text.len());
        while !self.text.is_char_boundary(start) {
            start -= 1;
        }
        let mut end = range.end.clamp(start, self.text.len());
        while !self.text.is_char_boundary(end) {
            end += 1;
        }
        let masked: String = self.text[start..end]
            .chars()
            .map(|c| match c {
                '\n' | '\r' => c,
                // One placeholder per character, as long in UTF-8 as the original.
                c => match c.len_utf8() {
                    1 => '*',
                    2 => '\u{00B7}',
                    3 => '\u{2217}',
                    _ => '\u{10102}',
                },
            })
            .collect();
        self.text.replace_range(start..end, &masked);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[track_caller]
    fn case(text: &str, offset: usize, expected: (usize, usize)) {
        assert_eq!(SourceFile::new("f.yaml", text).line_col(offset), expected);
    }

    #[track_caller]
    fn redact_case(text: &str, range: std::ops::Range<usize>, expected: &str) {
        let mut file = SourceFile::new("f.yaml", text);
        file.redact(range);
        assert_eq!(file.text, expected);
        assert_eq!(file.text.len(), text.len());
        assert_eq!(file.text.chars().count(), text.chars().count());
    }

    #[test]
    fn redaction_keeps_offsets_and_line_breaks() {
        redact_case("a: secret\n", 3..9, "a: ******\n");
        redact_case("a: |\n  x\n  y\n", 5..12, "a: |\n***\n***\n");
        redact_case("a: é€😀\n", 3..12, "a: \u{00B7}\u{2217}\u{10102}\n");
        redact_case("a: é\n", 4..4, "a: \u{00B7}\n");
        redact_case("a: b\n", 3..99, "a: *\n");
    }

    #[test]
    fn offsets_map_to_one_based_line_and_column() {
        case("a: 1\nb: 2\n", 0, (1, 1));
        case("a: 1\nb: 2\n", 3, (1, 4));
        case("a: 1\nb: 2\n", 5, (2, 1));
        case("a: 1\nb: 2\n", 10, (3, 1));
        case("é: 1\n", 3, (1, 3));
    }
}

//! `SourceFile`: the text of one loaded file plus a line index, converting byte
//! offsets to 1-based line and column numbers for diagnostics and `explain`.

/// One file as it was read. `path` is relative to the platform root and uses `/`,
/// so messages and output never depend on where the repository is checked out.
#[derive(Debug, Clone)]
pub struct SourceFile {
    pub path: String,
    pub text: String,
    line_starts: Vec<usize>,
}

impl SourceFile {
    pub fn new(path: impl Into<String>, text: impl Into<String>) -> Self {
        let text = text.into();
        let mut line_starts = vec![0];
        line_starts.extend(
            text.bytes()
                .enumerate()
                .filter(|&(_, b)| b == b'\n')
                .map(|(i, _)| i + 1),
        );
        Self {
            path: path.into(),
            text,
            line_starts,
        }
    }

    /// 1-based line and column (in characters) of a byte offset.
    pub fn line_col(&self, offset: usize) -> (usize, usize) {
        let offset = offset.min(self.text.len());
        let line = self.line_starts.partition_point(|&start| start <= offset) - 1;
        let start = self.line_starts[line];
        let column = self
            .text
            .get(start..offset)
            .map_or(offset - start, |prefix| prefix.chars().count());
        (line + 1, column + 1)
    }

    /// Byte offset of the start of 1-based `line`.
    pub fn line_start(&self, line: usize) -> usize {
        self.line_starts
            .get(line.saturating_sub(1))
            .copied()
            .unwrap_or(self.text.len())
    }

    pub fn line_count(&self) -> usize {
        self.line_starts.len()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[track_caller]
    fn case(text: &str, offset: usize, expected: (usize, usize)) {
        assert_eq!(SourceFile::new("f.yaml", text).line_col(offset), expected);
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

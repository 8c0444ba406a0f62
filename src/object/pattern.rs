//! `Pattern`: a text printed once with holes in it, filled in many times.
//! Objects that differ only in a few names (a workload's dashboard) are
//! printed once with a marker in place of each name, and each object's text
//! is the pattern's pieces with its own names in between: no object is built
//! or printed again, and a frozen object can hold its names alone (see
//! [`super::frozen`]).

/// The fixed text before the first hole, then each hole (an index into the
/// values it is filled with) and the fixed text up to the next.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Pattern {
    head: String,
    rest: Vec<(usize, String)>,
}

impl Pattern {
    /// Splits `marked` at each `marker`, which must be followed by one of
    /// `holes`: the hole's index in `holes` is the index of the value that
    /// fills it. `None` if a marker is followed by no hole's character.
    pub fn split(marked: &str, marker: &str, holes: &[char]) -> Option<Self> {
        let mut pieces = marked.split(marker);
        let head = pieces.next().unwrap_or_default().to_owned();
        let rest = pieces
            .map(|piece| {
                let letter = piece.chars().next()?;
                let hole = holes.iter().position(|&hole| hole == letter)?;
                Some((hole, piece[letter.len_utf8()..].to_owned()))
            })
            .collect::<Option<Vec<_>>>()?;
        Some(Self { head, rest })
    }

    /// The number of values the pattern takes: one past its largest hole.
    pub fn holes(&self) -> usize {
        self.rest
            .iter()
            .map(|(hole, _)| hole + 1)
            .max()
            .unwrap_or(0)
    }

    /// Calls `piece` with each piece of the text filled in with `values`, in
    /// order. Values are put in as they are: escaping them is the caller's.
    pub fn for_each_piece<'a, S: AsRef<str>>(
        &'a self,
        values: &'a [S],
        mut piece: impl FnMut(&'a str),
    ) {
        piece(&self.head);
        for (hole, literal) in &self.rest {
            piece(values[*hole].as_ref());
            piece(literal);
        }
    }

    /// The length of the text filled in with `values`.
    pub fn filled_len<S: AsRef<str>>(&self, values: &[S]) -> usize {
        let mut length = 0;
        self.for_each_piece(values, |piece| length += piece.len());
        length
    }

    /// Appends the text filled in with `values` to `out`.
    pub fn fill_into<S: AsRef<str>>(&self, values: &[S], out: &mut String) {
        out.reserve(self.filled_len(values));
        self.for_each_piece(values, |piece| out.push_str(piece));
    }

    /// The text filled in with `values`.
    pub fn fill<S: AsRef<str>>(&self, values: &[S]) -> String {
        let mut text = String::new();
        self.fill_into(values, &mut text);
        text
    }
}

#[cfg(test)]
mod tests {
    use super::Pattern;

    #[test]
    fn a_pattern_is_filled_where_its_markers_were() {
        let pattern = Pattern::split("a <@0> b <@1><@0>.", "<@", &['0', '1'])
            .expect("every marker names a hole");
        // The hole's character is part of the marker; what follows it stays.
        assert_eq!(pattern.fill(&["x", "yz"]), "a x> b yz>x>.");
        assert_eq!(pattern.filled_len(&["x", "yz"]), "a x> b yz>x>.".len());
        assert_eq!(pattern.holes(), 2);
        let mut pieces = Vec::new();
        pattern.for_each_piece(&["x", "yz"], |piece| pieces.push(piece));
        assert_eq!(pieces, ["a ", "x", "> b ", "yz", ">", "x", ">."]);
    }

    #[test]
    fn a_text_without_markers_is_one_piece() {
        let pattern = Pattern::split("plain", "<@", &['0']).expect("no markers");
        assert_eq!(pattern.holes(), 0);
        assert_eq!(pattern.fill::<&str>(&[]), "plain");
    }

    #[test]
    fn a_marker_naming_no_hole_is_refused() {
        assert_eq!(Pattern::split("a <@9>", "<@", &['0']), None);
        assert_eq!(Pattern::split("a <@", "<@", &['0']), None);
    }
}

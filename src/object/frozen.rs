//! `Frozen`: the canonical YAML text of an object that is no longer held as
//! a tree. Most objects hold their whole text. An object with a large
//! literal block that only a few names make its own (a workload's Grafana
//! dashboard: 9.5 KB of its ConfigMap's 10 KB) holds its text with the block
//! cut out, the block's [`Pattern`] and its names: a large render writes the
//! same text, but never holds every block at once.

use std::borrow::Cow;

use super::pattern::Pattern;

/// The value a spliced block's string holds while its object is printed: a
/// private-use character and a line break, which the YAML writer prints as
/// a `|` block of one line holding the character as it is. Kubernetes names
/// never hold it, and a text holding it twice is not spliced.
pub const PLACEHOLDER: &str = "\u{E000}\n";

/// A literal block's lines as the YAML writer prints them at `column`
/// (every non-empty line indented to it), with holes for names.
#[derive(Debug, PartialEq, Eq)]
pub struct BlockPattern {
    pub column: usize,
    pub lines: Pattern,
}

#[derive(Debug, Clone)]
pub(crate) enum Frozen {
    /// The whole text.
    Whole(String),
    Spliced(Box<Spliced>),
}

/// A text whose literal block is held as a pattern and its names.
#[derive(Debug, Clone)]
pub(crate) struct Spliced {
    /// The text without the block's lines.
    own: String,
    /// Where in `own` the block's lines go: the start of a line.
    at: usize,
    block: &'static BlockPattern,
    names: Box<[Box<str>]>,
}

impl Frozen {
    /// The text `whole`, whose placeholder line (the [`PLACEHOLDER`], alone
    /// on its line at the block's column, under a `|` header) is `block`
    /// filled with `names`. The whole text back, unchanged, if the line is
    /// not there exactly once or a name could change how the block is
    /// printed (see [`is_inert`]).
    pub(crate) fn spliced(
        whole: String,
        block: &'static BlockPattern,
        names: &[&str],
    ) -> Result<Self, String> {
        if names.len() < block.lines.holes() || !names.iter().all(|name| is_inert(name)) {
            return Err(whole);
        }
        let line = format!("|\n{:column$}{PLACEHOLDER}", "", column = block.column);
        let Some(found) = memchr::memmem::find(whole.as_bytes(), line.as_bytes()) else {
            return Err(whole);
        };
        if memchr::memmem::rfind(whole.as_bytes(), line.as_bytes()) != Some(found) {
            return Err(whole);
        }
        // After the header and its line break.
        let at = found + 2;
        let mut own = String::with_capacity(whole.len() + 2 - line.len());
        own.push_str(&whole[..at]);
        own.push_str(&whole[found + line.len()..]);
        Ok(Self::Spliced(Box::new(Spliced {
            own,
            at,
            block,
            names: names.iter().map(|&name| Box::from(name)).collect(),
        })))
    }

    /// Calls `piece` with each piece of the text, in order.
    pub(crate) fn for_each_piece<'a>(&'a self, mut piece: impl FnMut(&'a str)) {
        match self {
            Self::Whole(text) => piece(text),
            Self::Spliced(spliced) => {
                piece(&spliced.own[..spliced.at]);
                spliced
                    .block
                    .lines
                    .for_each_piece(&spliced.names, &mut piece);
                piece(&spliced.own[spliced.at..]);
            }
        }
    }

    /// The text's length in bytes.
    pub(crate) fn len(&self) -> usize {
        match self {
            Self::Whole(text) => text.len(),
            Self::Spliced(spliced) => {
                spliced.own.len() + spliced.block.lines.filled_len(&spliced.names)
            }
        }
    }

    /// The whole text, if it is held whole.
    pub(crate) fn whole(&self) -> Option<&str> {
        match self {
            Self::Whole(text) => Some(text),
            Self::Spliced(_) => None,
        }
    }

    /// Appends the text to `out`.
    pub(crate) fn write_into(&self, out: &mut String) {
        out.reserve(self.len());
        self.for_each_piece(|piece| out.push_str(piece));
    }

    /// The text: borrowed when held whole.
    pub(crate) fn text(&self) -> Cow<'_, str> {
        match self {
            Self::Whole(text) => Cow::Borrowed(text),
            Self::Spliced(_) => {
                let mut text = String::new();
                self.write_into(&mut text);
                Cow::Owned(text)
            }
        }
    }
}

/// Two frozen objects are equal when their texts are, however each is held.
impl PartialEq for Frozen {
    fn eq(&self, other: &Self) -> bool {
        match (self, other) {
            (Self::Whole(a), Self::Whole(b)) => a == b,
            _ => self.len() == other.len() && self.text() == other.text(),
        }
    }
}

/// A name that can fill a hole of a literal block without changing how the
/// block is printed, or needing an escape in the JSON or YAML around it:
/// printable ASCII, no space, no quote, no backslash. Kubernetes names and
/// the identifiers derived from them are all inert.
fn is_inert(name: &str) -> bool {
    !name.is_empty()
        && name
            .bytes()
            .all(|b| b.is_ascii_graphic() && b != b'"' && b != b'\\')
}

#[cfg(test)]
mod tests {
    use std::sync::LazyLock;

    use super::{BlockPattern, Frozen, PLACEHOLDER, Pattern};

    static BLOCK: LazyLock<BlockPattern> = LazyLock::new(|| BlockPattern {
        column: 4,
        lines: Pattern::split("    {\n      \"name\": \"@0\"\n    }\n", "@", &['0'])
            .expect("one hole"),
    });

    fn whole(placeholder_column: usize) -> String {
        format!(
            "apiVersion: v1\ndata:\n  key: |\n{:placeholder_column$}{PLACEHOLDER}kind: ConfigMap\n",
            ""
        )
    }

    #[test]
    fn a_spliced_text_is_the_whole_text_with_the_block_filled_in() {
        let frozen = Frozen::spliced(whole(4), &BLOCK, &["web"]).expect("spliced");
        let expected = "apiVersion: v1\ndata:\n  key: |\n    {\n      \"name\": \"web\"\n    }\nkind: ConfigMap\n";
        assert_eq!(frozen.text(), expected);
        assert_eq!(frozen.len(), expected.len());
        assert_eq!(frozen.whole(), None);
        let mut pieces = String::new();
        frozen.for_each_piece(|piece| pieces.push_str(piece));
        assert_eq!(pieces, expected);
        assert_eq!(frozen, Frozen::Whole(expected.to_owned()));
        assert_ne!(frozen, Frozen::Whole(expected.replace("web", "wee")));
    }

    #[test]
    fn a_text_that_cannot_be_spliced_comes_back_whole() {
        // The placeholder at another column than the block's.
        assert_eq!(
            Frozen::spliced(whole(6), &BLOCK, &["web"]).err(),
            Some(whole(6))
        );
        // Twice.
        let twice = format!("{}{}", whole(4), whole(4));
        assert_eq!(
            Frozen::spliced(twice.clone(), &BLOCK, &["web"]).err(),
            Some(twice)
        );
        // Names that would need escaping, or change the block's lines.
        for name in ["a b", "a\"b", "a\\b", "line\nbreak", "", "naïve"] {
            assert_eq!(
                Frozen::spliced(whole(4), &BLOCK, &[name]).err(),
                Some(whole(4)),
                "{name:?}"
            );
        }
        // Too few names.
        assert_eq!(Frozen::spliced(whole(4), &BLOCK, &[]).err(), Some(whole(4)));
    }
}

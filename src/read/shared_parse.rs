//! One parse of the platform file shared by the compilations of one
//! command (see [`super::ParsedOnce`]).

use std::sync::{Mutex, PoisonError};

use crate::diagnostic::Diagnostic;
use crate::source::FileId;
use crate::yaml::Node;

/// One parse of the platform file, handed to a known number of uses: every
/// use but the last gets a copy, the last takes the tree itself, so nothing
/// outlives the compilations and a single use costs no copy. A use that
/// reads another text, or as another file, parses its own.
///
/// Compilations on two threads wait for the first parse rather than run a
/// second one beside it: the parse keeps both cores busy already.
#[derive(Debug)]
pub struct SharedParse {
    state: Mutex<State>,
}

#[derive(Debug)]
struct State {
    uses_left: usize,
    parsed: Option<Parsed>,
}

#[derive(Debug)]
struct Parsed {
    file: FileId,
    text: String,
    result: Result<Node, Diagnostic>,
}

impl SharedParse {
    pub(super) fn for_uses(uses: usize) -> Self {
        Self {
            state: Mutex::new(State {
                uses_left: uses,
                parsed: None,
            }),
        }
    }

    /// The tree of `text`, read as `file`: the shared parse when it read the
    /// same text as the same file, else `parse()`.
    pub fn parse(
        &self,
        file: FileId,
        text: &str,
        parse: impl FnOnce() -> Result<Node, Diagnostic>,
    ) -> Result<Node, Diagnostic> {
        let mut state = self.state.lock().unwrap_or_else(PoisonError::into_inner);
        let Some(uses_left) = state.uses_left.checked_sub(1) else {
            drop(state);
            return parse();
        };
        state.uses_left = uses_left;
        let last = uses_left == 0;
        match &state.parsed {
            None => {
                // Parsed under the lock: the other compilation waits for it.
                let result = parse();
                if !last {
                    state.parsed = Some(Parsed {
                        file,
                        text: text.to_owned(),
                        result: result.clone(),
                    });
                }
                result
            }
            Some(parsed) if parsed.file == file && parsed.text == text => {
                if last {
                    state.parsed.take().expect("matched above").result
                } else {
                    parsed.result.clone()
                }
            }
            Some(_) => {
                drop(state);
                parse()
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use std::cell::Cell;

    use super::*;
    use crate::source::Span;
    use crate::yaml::Value;

    fn node(file: FileId) -> Node {
        Node::new(Span::point(file, 0), Value::Null)
    }

    /// A parse of `file` that counts its calls in `parses`.
    fn counted(parses: &Cell<usize>, file: FileId) -> Result<Node, Diagnostic> {
        parses.set(parses.get() + 1);
        Ok(node(file))
    }

    #[test]
    fn one_parse_serves_every_use_of_the_same_text() {
        let shared = SharedParse::for_uses(3);
        let parses = Cell::new(0);
        let parse = |file| counted(&parses, file);
        for _ in 0..3 {
            let tree = shared.parse(FileId(0), "a: 1\n", || parse(FileId(0)));
            assert_eq!(tree, Ok(node(FileId(0))));
        }
        assert_eq!(parses.get(), 1);
        // The last use took the tree: nothing is held any longer.
        assert!(shared.state.lock().expect("not poisoned").parsed.is_none());
        // Uses beyond those planned parse their own.
        let _ = shared.parse(FileId(0), "a: 1\n", || parse(FileId(0)));
        assert_eq!(parses.get(), 2);
    }

    #[test]
    fn another_text_or_file_is_parsed_again() {
        let shared = SharedParse::for_uses(4);
        let parses = Cell::new(0);
        let parse = |file| counted(&parses, file);
        let _ = shared.parse(FileId(0), "a: 1\n", || parse(FileId(0)));
        let _ = shared.parse(FileId(0), "a: 2\n", || parse(FileId(0)));
        assert_eq!(
            shared.parse(FileId(1), "a: 1\n", || parse(FileId(1))),
            Ok(node(FileId(1)))
        );
        let _ = shared.parse(FileId(0), "a: 1\n", || parse(FileId(0)));
        assert_eq!(parses.get(), 3);
    }

    #[test]
    fn a_failed_parse_is_shared_too() {
        let shared = SharedParse::for_uses(2);
        let error = || {
            Err(Diagnostic::error(
                crate::diagnostic::Code::EmptyFile,
                "empty",
            ))
        };
        let first = shared.parse(FileId(0), "", error);
        let second = shared.parse(FileId(0), "", || unreachable!("parsed once"));
        assert_eq!(first, second);
        assert!(first.is_err());
    }
}

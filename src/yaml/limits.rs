//! `Limits`: bounds that keep hostile or accidental input from exhausting memory
//! or the stack while parsing.

#[derive(Copy, Clone, Debug)]
pub struct Limits {
    /// Largest accepted file, in bytes.
    pub max_file_bytes: usize,
    /// Deepest accepted nesting of maps and lists.
    pub max_depth: usize,
    /// Most nodes a document may expand to once aliases are resolved: the
    /// defence against "billion laughs".
    pub max_nodes: usize,
}

impl Default for Limits {
    fn default() -> Self {
        Self {
            max_file_bytes: 4 * 1024 * 1024,
            max_depth: 64,
            max_nodes: 100_000,
        }
    }
}

//! `Limits`: bounds that keep hostile or accidental input from exhausting memory
//! or the stack while parsing.

#[derive(Copy, Clone, Debug)]
pub struct Limits {
    /// Largest accepted file, in bytes. Generous: a 10,000-service platform spec
    /// is a few megabytes.
    pub max_file_bytes: usize,
    /// Deepest accepted nesting of maps and lists.
    pub max_depth: usize,
    /// Most nodes that alias expansion may add to a document: the defence against
    /// "billion laughs", where a few lines of nested aliases expand to gigabytes.
    pub max_alias_nodes: usize,
}

impl Default for Limits {
    fn default() -> Self {
        Self {
            max_file_bytes: 64 * 1024 * 1024,
            max_depth: 64,
            max_alias_nodes: 100_000,
        }
    }
}

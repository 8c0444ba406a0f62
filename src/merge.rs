//! Layering: the base spec and an environment overlay become one tree, with a
//! record of which file set each value and what it replaced.

mod key_path;
#[expect(
    clippy::module_inception,
    reason = "one concept per file: `merge` lives in merge.rs"
)]
mod merge;
mod provenance;

pub use key_path::{KeyPath, KeyPathError, find, key_span, value_span, write_segment};
pub use merge::merge;
pub use provenance::{Provenance, Removed, Replaced};

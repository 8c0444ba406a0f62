//! The YAML layer: text to a spanned [`Node`] tree. The only place that knows
//! which YAML crate we parse with.

mod limits;
mod node;
mod parse;
mod parts;
mod read_ahead;
mod read_canonical;
mod serialize;
mod to_json;
pub mod write;

pub use limits::Limits;
pub use node::{Entries, Entry, Map, Node, Scalar, Value};
pub use parse::parse;
pub use read_canonical::read_canonical;
pub use serialize::{SerializeError, to_yaml_from};
pub use to_json::to_json;

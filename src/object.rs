//! Rendered objects: `Manifest` (one object), its identity (`ResourceKey`).

mod key;
mod manifest;

pub use key::{ResourceKey, group, version};
pub use manifest::Manifest;

//! Rendered objects: `Manifest` (one object), its identity (`ResourceKey`),
//! and the kind registry (`kinds`).

pub mod hex;
mod key;
pub mod kinds;
mod manifest;
pub mod path;

pub use key::{ResourceKey, group, version};
pub use kinds::Kind;
pub use manifest::{Manifest, NoIdentity};

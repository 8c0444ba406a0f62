//! Rendered objects: `Manifest` (one object), its identity (`ResourceKey`),
//! and the kind registry (`kinds`).

mod apply_order;
mod frozen;
pub mod hex;
mod key;
pub mod kinds;
mod manifest;
pub mod path;
mod pattern;

pub use apply_order::{sort_in_apply_order, sort_in_apply_order_finding_ties};
pub use frozen::{BlockPattern, PLACEHOLDER};
pub use key::{ResourceKey, group, version};
pub use kinds::Kind;
pub use manifest::{Manifest, NoIdentity};
pub use pattern::Pattern;

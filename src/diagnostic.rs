//! Problems in the user's input, as data (`Diagnostic`), collected per run
//! (`Diagnostics`) and rendered in one place (`render`).

mod code;
#[expect(
    clippy::module_inception,
    reason = "one concept per file: `Diagnostic` lives in diagnostic.rs"
)]
mod diagnostic;
mod diagnostics;
pub mod json;
pub mod render;
pub mod suggestion;

pub use code::Code;
pub use diagnostic::{Diagnostic, Label, Severity};
pub use diagnostics::Diagnostics;

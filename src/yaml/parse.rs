//! stub
use crate::diagnostic::{Code, Diagnostic};
use crate::source::FileId;
use super::{Limits, Node};
pub fn parse(_file: FileId, _text: &str, _limits: &Limits) -> Result<Node, Diagnostic> {
    Err(Diagnostic::error(Code::YamlSyntax, "stub"))
}

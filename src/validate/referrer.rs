//! `Referrer`: the object a reference comes from, as a diagnostic about the
//! reference names it and points at it: its identity, the spec entry that
//! produced it, and the patches that changed it (a patch is the usual way a
//! reference the spec could not have written wrong gets in).

use serde_json::Value;

use crate::diagnostic::Diagnostic;
use crate::object::Manifest;
use crate::source::Span;

#[derive(Debug, Clone)]
pub(super) struct Referrer {
    /// `Deployment `shop/api``.
    pub(super) identity: String,
    pub(super) origin: Span,
    patched_by: Option<String>,
}

impl Referrer {
    pub(super) fn of(object: &Manifest, tree: &Value) -> Self {
        let identity = match object.namespace() {
            Some(namespace) => format!("{} `{namespace}/{}`", object.kind(), object.name()),
            None => format!("{} `{}`", object.kind(), object.name()),
        };
        // `lower::patches::PATCHED_BY`, a layer above.
        let patched_by =
            crate::object::path::annotation(tree, "platformgen.dev/patched-by").map(str::to_owned);
        Self {
            identity,
            origin: object.origin,
            patched_by,
        }
    }

    /// `diagnostic` pointed at the spec entry of the object, with the
    /// patches that changed it.
    pub(super) fn locate(&self, diagnostic: Diagnostic) -> Diagnostic {
        diagnostic
            .at(self.origin, "generates this object")
            .with_note_opt(self.patched_by.as_ref().map(|names| {
                format!("the object is changed by the patches `{names}` (`patches` in the spec)")
            }))
    }
}

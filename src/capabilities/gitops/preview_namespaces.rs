//! The namespaces of a preview (`gitops.argocd.previews`) must differ from
//! one pull request to the next: `cluster.namespaceTemplate` must use the
//! parameter set to the pull request's number. Checked on the merged tree
//! before parameters are replaced, the only place the template's text, with
//! its `${…}`, is seen; a template naming the same namespaces for every
//! pull request would make every preview's Application claim the same
//! objects.

use crate::diagnostic::{Code, Diagnostic};
use crate::merge;
use crate::yaml::{Node, Value};

use super::model::NUMBER;

/// The problem with the namespaces of `tree`'s previews, if it has previews.
pub fn check(tree: &Node) -> Option<Diagnostic> {
    let argocd = tree.get("gitops")?.get("argocd")?;
    if argocd.get("enabled").and_then(Node::as_str) == Some("false") {
        return None;
    }
    let previews = argocd.get("previews")?;
    if matches!(previews.value, Value::Null) {
        return None;
    }
    // Without a parameter set to `number`, the analysis says so.
    let number = match previews.get("parameters").map(|node| &node.value) {
        Some(Value::Map(map)) => map
            .entries
            .iter()
            .find(|(_, entry)| entry.value.as_str() == Some(NUMBER))
            .map(|(name, _)| name.clone())?,
        _ => return None,
    };
    let reference = format!("${{{number}}}");
    let Some(template) = tree.get("cluster").and_then(|c| c.get("namespaceTemplate")) else {
        return Some(
            Diagnostic::error(
                Code::InvalidPreview,
                "previews of pull requests without namespaces of their own",
            )
            .at(
                merge::key_span(tree, &["gitops", "argocd", "previews"]),
                "every preview would render the same namespaces",
            )
            .with_help(format!(
                "name each preview's namespaces after its pull request: `cluster: {{ namespaceTemplate: \"{{name}}-pr-{reference}\" }}`"
            )),
        );
    };
    if template
        .as_str()
        .is_some_and(|text| text.contains(&reference))
    {
        return None;
    }
    Some(
        Diagnostic::error(
            Code::InvalidPreview,
            format!("the namespace template does not use `{reference}`"),
        )
        .at(template.span, "the same names for every pull request")
        .with_note(format!(
            "`{number}` is set to each preview's pull request number (`gitops.argocd.previews.parameters`)"
        ))
        .with_help(format!("for example `\"{{name}}-pr-{reference}\"`")),
    )
}

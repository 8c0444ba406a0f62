//! PG4013 `namespace-not-restricted`: every namespace enforces the restricted
//! Pod Security Standard.

use serde_json::Value;

use crate::diagnostic::Code;
use crate::spec::RuleLevel::{Off, Warning};

use super::{Context, Finding, Rule, RuleScope, TierLevels};

pub(super) static RULE: Rule = Rule {
    code: Code::NamespaceNotRestricted,
    summary: "Every namespace enforces the restricted Pod Security Standard \
        (`pod-security.kubernetes.io/enforce: restricted`).",
    levels: TierLevels::new(Off, Warning, Warning),
    rationale: "Pod Security Admission is the cluster's own check that pods are hardened: in a \
        `restricted` namespace the API server refuses any pod that runs as root, keeps \
        capabilities or mounts the host, whoever created it (a Helm chart, an operator, \
        `kubectl run`). A weaker level is sometimes needed (a node agent, a CSI driver), and \
        then it is a warning to review, not an error.",
    fix: "Remove `podSecurity` from the namespace (the default is `restricted`), or move the \
        workloads that need more privileges to a namespace of their own.",
    scope: RuleScope::Objects,
    check,
};

const ENFORCE: &str = "pod-security.kubernetes.io/enforce";

fn check(ctx: &Context<'_>, findings: &mut Vec<Finding>) {
    for namespace in ctx.objects("Namespace") {
        let level = crate::object::path::at(&namespace.value, &["metadata", "labels"])
            .and_then(|labels| labels.get(ENFORCE))
            .and_then(Value::as_str);
        if level == Some("restricted") {
            continue;
        }
        let span = ctx
            .written(&["namespaces", &namespace.key.name, "podSecurity"])
            .unwrap_or(namespace.origin);
        findings.push(
            Finding::new(
                RULE.code,
                format!("Namespace/{}/pod-security", namespace.key.name),
                format!(
                    "namespace `{}` does not enforce the restricted Pod Security Standard",
                    namespace.key.name
                ),
                span,
                match level {
                    Some(level) => format!("enforces `{level}`"),
                    None => "enforces nothing".to_owned(),
                },
            )
            .namespace(Some(&namespace.key.name))
            .help("remove `podSecurity` (the default is `restricted`)"),
        );
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    use crate::policy::testing::{BASE, Fixture};

    #[test]
    fn weaker_levels_are_reported_at_their_line() {
        assert_eq!(Fixture::new(BASE).check(&RULE), Vec::<String>::new());
        let base = BASE.replace("  shop: {}", "  shop: { podSecurity: baseline }");
        assert_eq!(
            Fixture::new(&base).check(&RULE),
            [
                "platform.yaml:5:24 namespace `shop` does not enforce the restricted Pod Security Standard"
            ]
        );
    }
}

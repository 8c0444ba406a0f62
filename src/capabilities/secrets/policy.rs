//! PG4008 `plaintext-secret`: no Secret object with data is rendered outside
//! development. Registered on the capability (`CAPABILITY.rules`).

use serde_json::Value;

use crate::diagnostic::Code;
use crate::spec::RuleLevel::{Error, Off};

use crate::policy::{Context, Finding, Rule, RuleScope, TierLevels};

pub static RULE: Rule = Rule {
    code: Code::PlaintextSecret,
    summary: "No Secret with data is rendered outside development: secrets come from an \
        external store or a sealed secret.",
    levels: TierLevels::new(Off, Error, Error),
    rationale: "Rendered manifests are committed to git (the rendered-manifests pattern) and \
        read by anyone with access to the repository or to ArgoCD. A `Secret` with `data` or \
        `stringData` puts the secret there in plain text (base64 is an encoding, not \
        encryption), where it stays in the history forever. Development environments may use \
        generated throwaway secrets.",
    fix: "Reference the secret instead of embedding it: an ExternalSecret (External Secrets \
        Operator), a SealedSecret, or the name of a Secret created outside the platform.",
    scope: RuleScope::Objects,
    check,
};

fn check(ctx: &Context<'_>, findings: &mut Vec<Finding>) {
    for secret in ctx.objects("Secret") {
        let fields: Vec<&str> = ["data", "stringData"]
            .into_iter()
            .filter(|field| {
                secret
                    .value
                    .get(*field)
                    .and_then(Value::as_object)
                    .is_some_and(|data| !data.is_empty())
            })
            .collect();
        if fields.is_empty() {
            continue;
        }
        findings.push(
            Finding::new(
                RULE.code,
                secret.identity(),
                format!("`{}` holds its secret in plain text", secret.identity()),
                secret.origin,
                format!("renders a Secret with `{}`", fields.join("` and `")),
            )
            .workload(ctx.owner(secret))
            .namespace(secret.key.namespace.as_deref())
            .help("use an ExternalSecret or a SealedSecret, or reference an existing Secret"),
        );
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    use crate::policy::testing::{BASE, Fixture};
    use serde_json::json;

    #[test]
    fn secrets_with_data_are_reported() {
        let secret = |data| {
            json!({
                "apiVersion": "v1",
                "kind": "Secret",
                "metadata": { "name": "db-password", "namespace": "shop" },
                "stringData": data,
            })
        };
        let mut fixture = Fixture::new(BASE);
        fixture.add(secret(json!({})));
        assert_eq!(fixture.check(&RULE), Vec::<String>::new());
        let mut fixture = Fixture::new(BASE);
        fixture.add(secret(json!({ "password": "hunter2" })));
        assert_eq!(
            fixture.check(&RULE),
            ["platform.yaml:5:3 `Secret/shop/db-password` holds its secret in plain text"]
        );
    }
}

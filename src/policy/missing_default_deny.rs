//! PG4009 `missing-default-deny`: every namespace that runs pods has a
//! NetworkPolicy denying all ingress and all egress by default.

use std::collections::BTreeSet;

use serde_json::Value;

use crate::diagnostic::Code;
use crate::object::Manifest;
use crate::spec::RuleLevel::{Error, Warning};

use super::{Context, Finding, Rule, RuleScope, TierLevels};

pub(super) static RULE: Rule = Rule {
    code: Code::MissingDefaultDeny,
    summary: "Every namespace that runs workloads has a default-deny NetworkPolicy for \
        ingress and egress.",
    levels: TierLevels::new(Warning, Error, Error),
    rationale: "Kubernetes lets every pod talk to every other pod unless a NetworkPolicy \
        selects it. A default-deny policy (all pods, no rules) turns that around: only the \
        traffic explicitly allowed (derived from `uses`) flows, so a compromised pod cannot \
        reach the database of another team or exfiltrate data to the internet. A deny-egress \
        policy that still allows DNS (port 53) counts as default deny.",
    fix: "Render a NetworkPolicy with `podSelector: {}`, `policyTypes: [Ingress, Egress]` and no \
        rules in every namespace that runs pods, and allow traffic from the declared \
        dependencies.",
    scope: RuleScope::Objects,
    check,
};

fn check(ctx: &Context<'_>, findings: &mut Vec<Finding>) {
    let namespaces: BTreeSet<&str> = ctx
        .pods()
        .filter_map(|pod| pod.manifest.key.namespace.as_deref())
        .collect();
    for namespace in namespaces {
        let policies: Vec<&Manifest> = ctx
            .objects("NetworkPolicy")
            .filter(|p| p.key.namespace.as_deref() == Some(namespace) && selects_all(p))
            .collect();
        let ingress = policies.iter().any(|p| denies(p, "Ingress", "ingress"));
        let egress = policies.iter().any(|p| denies(p, "Egress", "egress"));
        let missing = match (ingress, egress) {
            (true, true) => continue,
            (false, false) => "ingress and egress",
            (false, true) => "ingress",
            (true, false) => "egress",
        };
        let Some(span) = ctx.namespace_origin(namespace).or_else(|| {
            ctx.pods()
                .find(|pod| pod.manifest.key.namespace.as_deref() == Some(namespace))
                .map(|pod| pod.manifest.origin)
        }) else {
            continue;
        };
        findings.push(
            Finding::new(
                RULE.code,
                format!("Namespace/{namespace}/default-deny"),
                format!("namespace `{namespace}` has no default-deny NetworkPolicy for {missing}"),
                span,
                match (ingress, egress) {
                    (false, false) => "every pod here talks to anything, both ways",
                    (false, true) => "every pod here accepts traffic from anywhere",
                    _ => "every pod here may connect anywhere",
                },
            )
            .namespace(Some(namespace))
            .help("render a NetworkPolicy selecting every pod (`podSelector: {}`) with `policyTypes: [Ingress, Egress]` and no rules"),
        );
    }
}

fn selects_all(policy: &Manifest) -> bool {
    crate::object::path::at(&policy.value, &["spec", "podSelector"]).is_some_and(|selector| {
        let empty = |field: &str| {
            selector.get(field).is_none_or(|v| match v {
                Value::Object(map) => map.is_empty(),
                Value::Array(items) => items.is_empty(),
                _ => v.is_null(),
            })
        };
        empty("matchLabels") && empty("matchExpressions")
    })
}

/// Whether `policy` denies all traffic of `direction` (`Ingress`/`Egress`,
/// whose rules are under `field`). Egress rules that only open DNS still deny.
fn denies(policy: &Manifest, direction: &str, field: &str) -> bool {
    let spec = policy.value.get("spec");
    let types: Vec<&str> = spec
        .and_then(|s| s.get("policyTypes"))
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
        .filter_map(Value::as_str)
        .collect();
    // Without `policyTypes`, a policy is of type Ingress, and of Egress when it
    // has egress rules (https://kubernetes.io/docs/concepts/services-networking/network-policies/).
    let applies = if types.is_empty() {
        direction == "Ingress"
    } else {
        types.contains(&direction)
    };
    if !applies {
        return false;
    }
    let rules = spec
        .and_then(|s| s.get(field))
        .and_then(Value::as_array)
        .map_or(&[][..], Vec::as_slice);
    rules.is_empty() || (direction == "Egress" && rules.iter().all(only_dns))
}

/// An egress rule that opens nothing but port 53.
fn only_dns(rule: &Value) -> bool {
    let ports = rule.get("ports").and_then(Value::as_array);
    ports.is_some_and(|ports| {
        !ports.is_empty()
            && ports.iter().all(|port| {
                port.get("port").is_some_and(|p| {
                    p.as_u64() == Some(53) || matches!(p.as_str(), Some("dns" | "dns-tcp"))
                })
            })
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    use crate::policy::testing::{BASE, Fixture};
    use serde_json::{Value, json};

    fn policy(name: &str, spec: Value) -> Value {
        json!({
            "apiVersion": "networking.k8s.io/v1",
            "kind": "NetworkPolicy",
            "metadata": { "name": name, "namespace": "shop" },
            "spec": spec,
        })
    }

    /// The fixture without whatever network policies lowering renders.
    fn bare() -> Fixture {
        let mut fixture = Fixture::new(BASE);
        fixture.manifests.retain(|m| m.key.kind != "NetworkPolicy");
        fixture
    }

    #[test]
    fn namespaces_with_pods_need_default_deny_both_ways() {
        assert_eq!(
            bare().check(&RULE),
            [
                "platform.yaml:5:3 namespace `shop` has no default-deny NetworkPolicy for ingress and egress"
            ]
        );
        let mut fixture = bare();
        fixture.add(policy(
            "deny",
            json!({ "podSelector": {}, "policyTypes": ["Ingress"] }),
        ));
        assert_eq!(
            fixture.check(&RULE),
            ["platform.yaml:5:3 namespace `shop` has no default-deny NetworkPolicy for egress"]
        );
        let mut fixture = bare();
        fixture.add(policy(
            "deny",
            json!({ "podSelector": {}, "policyTypes": ["Ingress", "Egress"] }),
        ));
        assert_eq!(fixture.check(&RULE), Vec::<String>::new());
    }

    #[test]
    fn dns_egress_still_counts_as_deny_but_a_selector_does_not() {
        let mut fixture = bare();
        fixture.add(policy("deny", json!({
            "podSelector": {},
            "policyTypes": ["Ingress", "Egress"],
            "egress": [{ "ports": [{ "port": 53, "protocol": "UDP" }, { "port": 53, "protocol": "TCP" }] }],
        })));
        assert_eq!(fixture.check(&RULE), Vec::<String>::new());
        let mut fixture = bare();
        fixture.add(policy(
            "web",
            json!({
                "podSelector": { "matchLabels": { "app": "web" } },
                "policyTypes": ["Ingress", "Egress"],
            }),
        ));
        assert_eq!(fixture.check(&RULE).len(), 1);
    }
}

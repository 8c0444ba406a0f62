//! PG4015 `mounted-service-account-token`: a pod mounts a ServiceAccount
//! token only where a waiver records why it needs the Kubernetes API (CIS
//! Kubernetes Benchmark 5.1.6, Checkov CKV_K8S_38). platformgen mounts one
//! only when the spec asks (`serviceAccount.rules`, `clusterRules` or
//! `automountToken: true`), so a finding is a deliberate choice: the waiver
//! is where its reason is written down, and where external scanners read it
//! from (as skip annotations on the workload's objects).

use serde_json::Value;

use crate::diagnostic::Code;
use crate::spec::RuleLevel::{Off, Warning};

use super::{Context, Finding, Rule, RuleScope, TierLevels};

pub(super) static RULE: Rule = Rule {
    code: Code::MountedServiceAccountToken,
    summary: "A pod mounts a ServiceAccount token only where a waiver says why it needs the \
        Kubernetes API.",
    levels: TierLevels::new(Off, Warning, Warning),
    rationale: "A mounted token is a credential for the Kubernetes API in every container of \
        the pod: whoever gets code running there acts with the ServiceAccount's permissions. \
        The CIS Kubernetes Benchmark (5.1.6) asks that tokens be mounted only where \
        necessary, and scanners (Checkov CKV_K8S_38) fail every pod that mounts one. \
        platformgen mounts a token only when the spec grants API access, so the mount is \
        never an accident; what the rule asks for is the reason, written once as a waiver, \
        which `render` also writes onto the workload's objects as the scanners' skip \
        annotations. A warning, not an error: the spec's RBAC rules already say what the \
        token may do.",
    fix: "If the workload does not call the Kubernetes API, remove its `serviceAccount` rules \
        (or set `serviceAccount.automountToken: false`). If it does, add a waiver for the \
        workload with the reason (`rule: mounted-service-account-token`, `workload: <name>`).",
    scope: RuleScope::Objects,
    check,
};

fn check(ctx: &Context<'_>, findings: &mut Vec<Finding>) {
    for pod in ctx.pods() {
        if pod.spec.get("automountServiceAccountToken") == Some(&Value::Bool(false)) {
            continue;
        }
        let span = match ctx.workload_of(pod.manifest) {
            Some(workload) => ctx
                .first_written(
                    &workload.name,
                    &[&["serviceAccount", "automountToken"], &["serviceAccount"]],
                )
                .unwrap_or(workload.origin),
            None => pod.manifest.origin,
        };
        findings.push(
            Finding::new(
                RULE.code,
                format!("{}/automountServiceAccountToken", pod.manifest.identity()),
                format!(
                    "the pods of `{}` mount a ServiceAccount token",
                    pod.manifest.identity()
                ),
                span,
                "the token is a Kubernetes API credential in every container",
            )
            .workload(ctx.owner(pod.manifest))
            .namespace(pod.manifest.key.namespace.as_deref())
            .help("waive the rule for this workload with the reason it calls the API, or remove its API access"),
        );
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::policy::testing::{BASE, Fixture};

    #[test]
    fn only_pods_that_mount_a_token_are_reported_at_the_service_account() {
        assert_eq!(Fixture::new(BASE).check(&RULE), Vec::<String>::new());
        let base = format!(
            "{}network: {{ apiServer: {{ cidrs: [10.0.0.0/28] }} }}\n",
            BASE.replace(
                "    uses: [db]\n",
                "    uses: [db]\n    serviceAccount:\n      rules:\n        - { apiGroups: [\"\"], resources: [pods], verbs: [get] }\n",
            )
        );
        assert_eq!(
            Fixture::new(&base).check(&RULE),
            ["platform.yaml:17:5 the pods of `Deployment/shop/web` mount a ServiceAccount token"]
        );
        let opted_out = base.replace(
            "    serviceAccount:\n",
            "    serviceAccount:\n      automountToken: false\n",
        );
        assert_eq!(Fixture::new(&opted_out).check(&RULE), Vec::<String>::new());
    }

    #[test]
    fn a_pod_spec_without_the_field_mounts_the_token() {
        let mut fixture = Fixture::new(BASE);
        fixture.remove(
            "StatefulSet/shop/db",
            "/spec/template/spec/automountServiceAccountToken",
        );
        assert_eq!(
            fixture.check(&RULE),
            ["platform.yaml:17:3 the pods of `StatefulSet/shop/db` mount a ServiceAccount token"]
        );
    }
}

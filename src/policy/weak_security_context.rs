//! PG4004 `weak-security-context`: every pod and container meets the restricted
//! Pod Security Standard, plus a read-only root filesystem.

use serde_json::Value;

use crate::diagnostic::Code;
use crate::source::Span;
use crate::spec::RuleLevel::{Error, Warning};

use super::pod::{Container, Pod};
use super::{Context, Finding, Rule, RuleScope, TierLevels};

pub(super) static RULE: Rule = Rule {
    code: Code::WeakSecurityContext,
    summary: "Every pod and container runs as non-root with a read-only root filesystem, all \
        capabilities dropped, seccomp `RuntimeDefault` and no privilege escalation.",
    levels: TierLevels::new(Warning, Error, Error),
    rationale: "These are the settings of the Kubernetes \"restricted\" Pod Security Standard \
        (plus a read-only root filesystem): they turn most container escapes and most \
        exploits of a compromised process into dead ends. A container that runs as root, \
        keeps capabilities or may gain privileges is one kernel bug away from its node; a \
        writable root filesystem lets an attacker drop tools and persist. platformgen renders \
        all of them by default, so a finding means the spec weakened one explicitly (such as \
        `security.readOnlyRootFilesystem: false`) or an object from elsewhere lacks them.",
    fix: "Remove the weakening line. An image that writes to its filesystem needs those \
        directories under `writablePaths` (each an `emptyDir`), not a writable root; an image \
        that insists on root needs a non-root build, or a `security.runAsUser` it supports.",
    scope: RuleScope::Objects,
    check,
};

/// Seccomp profiles the restricted standard accepts.
const SECCOMP_PROFILES: [&str; 2] = ["RuntimeDefault", "Localhost"];
/// The one capability the restricted standard lets a container add.
const ALLOWED_CAPABILITY: &str = "NET_BIND_SERVICE";

fn check(ctx: &Context<'_>, findings: &mut Vec<Finding>) {
    for pod in ctx.pods() {
        for field in ["hostNetwork", "hostPID", "hostIPC"] {
            if pod.spec.get(field) == Some(&Value::Bool(true)) {
                let span = ctx.workload_field(pod.manifest, &[]);
                findings.push(finding(
                    ctx,
                    &pod,
                    None,
                    field,
                    span,
                    format!("`{field}: true` shares the node's namespace"),
                ));
            }
        }
        for container in pod.containers() {
            check_container(ctx, &pod, &container, findings);
        }
    }
}

fn check_container(
    ctx: &Context<'_>,
    pod: &Pod<'_>,
    container: &Container<'_>,
    findings: &mut Vec<Finding>,
) {
    // A container setting wins over the pod's.
    let effective = |field: &str| container.security(field).or_else(|| pod.security(field));
    let at = |field: &[&str]| ctx.container_field(pod, container, field);
    let mut report = |setting: &str, span: Span, label: String| {
        findings.push(finding(ctx, pod, Some(container), setting, span, label));
    };

    if effective("runAsNonRoot") != Some(&Value::Bool(true)) {
        report(
            "runAsNonRoot",
            at(&[]),
            "`runAsNonRoot` is not `true`".to_owned(),
        );
    }
    if effective("runAsUser").and_then(Value::as_u64) == Some(0) {
        report(
            "runAsUser",
            at(&["security", "runAsUser"]),
            "runs as root (user 0)".to_owned(),
        );
    }
    if container.security("allowPrivilegeEscalation") != Some(&Value::Bool(false)) {
        report(
            "allowPrivilegeEscalation",
            at(&[]),
            "`allowPrivilegeEscalation` is not `false`".to_owned(),
        );
    }
    if container.security("privileged") == Some(&Value::Bool(true)) {
        report(
            "privileged",
            at(&[]),
            "`privileged: true` has every power of the node".to_owned(),
        );
    }
    let capabilities = container.security("capabilities");
    let list = |field: &str| -> Vec<&str> {
        capabilities
            .and_then(|c| c.get(field))
            .and_then(Value::as_array)
            .into_iter()
            .flatten()
            .filter_map(Value::as_str)
            .collect()
    };
    if !list("drop").contains(&"ALL") {
        report(
            "capabilities.drop",
            at(&[]),
            "capabilities are not dropped (`drop: [ALL]`)".to_owned(),
        );
    }
    let added: Vec<&str> = list("add")
        .into_iter()
        .filter(|c| *c != ALLOWED_CAPABILITY)
        .collect();
    if !added.is_empty() {
        report(
            "capabilities.add",
            at(&[]),
            format!("adds capabilities {}", added.join(", ")),
        );
    }
    let seccomp = effective("seccompProfile")
        .and_then(|p| p.get("type"))
        .and_then(Value::as_str);
    if !seccomp.is_some_and(|t| SECCOMP_PROFILES.contains(&t)) {
        report(
            "seccompProfile",
            at(&[]),
            format!(
                "seccomp profile is `{}`, not `RuntimeDefault`",
                seccomp.unwrap_or("unset")
            ),
        );
    }
    if container.security("readOnlyRootFilesystem") != Some(&Value::Bool(true)) {
        report(
            "readOnlyRootFilesystem",
            at(&["security", "readOnlyRootFilesystem"]),
            "the root filesystem is writable".to_owned(),
        );
    }
}

fn finding(
    ctx: &Context<'_>,
    pod: &Pod<'_>,
    container: Option<&Container<'_>>,
    setting: &str,
    span: Span,
    label: String,
) -> Finding {
    let identity = pod.manifest.identity();
    let (subject, message) = match container {
        Some(container) => (
            format!("{identity}/{}/{setting}", container.name),
            format!(
                "container `{}` in `{identity}` does not meet the restricted security standard: `{setting}`",
                container.name
            ),
        ),
        None => (
            format!("{identity}/{setting}"),
            format!(
                "pod of `{identity}` does not meet the restricted security standard: `{setting}`"
            ),
        ),
    };
    let help = if setting == "readOnlyRootFilesystem" {
        "remove `security.readOnlyRootFilesystem: false` and list the directories the image writes to under `writablePaths`"
    } else if setting == "runAsUser" {
        "run as the image's unprivileged user (`security.runAsUser`)"
    } else {
        "platformgen renders this setting by default: remove what overrides it"
    };
    Finding::new(RULE.code, subject, message, span, label)
        .workload(ctx.owner(pod.manifest))
        .namespace(pod.manifest.key.namespace.as_deref())
        .help(help)
}

#[cfg(test)]
mod tests {
    use super::*;

    use crate::policy::testing::{BASE, Fixture};
    use serde_json::json;

    #[test]
    fn the_defaults_are_restricted() {
        assert_eq!(Fixture::new(BASE).check(&RULE), Vec::<String>::new());
    }

    #[test]
    fn an_explicit_writable_root_is_reported_at_its_line() {
        let base = BASE.replace(
            "    replicas: 3\n",
            "    replicas: 3\n    security: { readOnlyRootFilesystem: false }\n",
        );
        assert_eq!(
            Fixture::new(&base).check(&RULE),
            [
                "platform.yaml:27:41 container `db` in `StatefulSet/shop/db` does not meet the restricted security standard: `readOnlyRootFilesystem`"
            ]
        );
    }

    #[test]
    fn every_weakened_setting_is_reported() {
        let mut fixture = Fixture::new(BASE);
        let web = "Deployment/shop/web";
        fixture
            .set(web, "/spec/template/spec/hostNetwork", json!(true))
            .set(
                web,
                "/spec/template/spec/securityContext/seccompProfile",
                json!({ "type": "Unconfined" }),
            )
            .set(
                web,
                "/spec/template/spec/containers/0/securityContext",
                json!({
                    "privileged": true,
                    "capabilities": { "add": ["NET_BIND_SERVICE", "SYS_ADMIN"] },
                    "runAsUser": 0,
                }),
            );
        let settings: Vec<String> = fixture
            .findings(&RULE)
            .into_iter()
            .map(|f| f.subject)
            .collect();
        assert_eq!(
            settings,
            [
                "Deployment/shop/web/hostNetwork",
                "Deployment/shop/web/web/runAsUser",
                "Deployment/shop/web/web/allowPrivilegeEscalation",
                "Deployment/shop/web/web/privileged",
                "Deployment/shop/web/web/capabilities.drop",
                "Deployment/shop/web/web/capabilities.add",
                "Deployment/shop/web/web/seccompProfile",
                "Deployment/shop/web/web/readOnlyRootFilesystem",
            ]
        );
    }
}

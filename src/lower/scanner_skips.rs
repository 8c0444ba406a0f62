//! Waivers as the skip annotations of external scanners, so a Checkov or
//! kube-linter scan of the rendered manifests accepts what `platformgen
//! check` accepts, for the reason the spec gives, with no second list of
//! exceptions to keep in step.
//!
//! [`EQUIVALENTS`] maps each policy rule to the scanner checks that test the
//! same property of the same object; a rule with no true equivalent (one
//! that tests something else, or a different threshold) has no row, since a
//! skip would silence a check the waiver never reviewed. docs/policies.md
//! lists the table with the source of each id.
//!
//! Where the annotations go: each scanner reads them from the object it
//! checks. kube-linter reads the object's own `metadata.annotations`
//! (`ignore-check.kube-linter.io/<check>: reason`). Checkov (`checkov.io/skipN:
//! CKV_K8S_xx=reason`) checks a Deployment's or StatefulSet's pod template as
//! a Pod of its own, and copies the parent's annotations onto it only when
//! the template has none: so pod checks are skipped on both the workload
//! object and its pod template. A changed waiver therefore changes the pod
//! template and rolls the pods, as any template change does.

use std::collections::BTreeMap;

use crate::diagnostic::Code;
use crate::model::WorkloadModel;

/// A scanner that reads skip annotations from the manifests.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Scanner {
    Checkov,
    KubeLinter,
}

impl Scanner {
    pub fn name(self) -> &'static str {
        match self {
            Scanner::Checkov => "Checkov",
            Scanner::KubeLinter => "kube-linter",
        }
    }
}

/// Which of a workload's objects the scanner checks.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Target {
    /// The Deployment or StatefulSet, and its pod template.
    Pods,
    /// The PodDisruptionBudget.
    DisruptionBudget,
}

/// A scanner check equivalent to a policy rule.
#[derive(Debug, Clone, Copy)]
pub struct Equivalent {
    pub rule: Code,
    pub scanner: Scanner,
    pub check: &'static str,
    pub target: Target,
    /// Where the id is defined, for docs/policies.md.
    pub source: &'static str,
}

const CHECKOV: &str =
    "https://github.com/bridgecrewio/checkov/blob/main/checkov/kubernetes/checks/resource/k8s/";
const KUBE_LINTER: &str =
    "https://github.com/stackrox/kube-linter/blob/main/docs/generated/checks.md#";

macro_rules! equivalents {
    ($($rule:ident: $scanner:ident $check:literal on $target:ident, $source:literal;)*) => {
        /// Every rule-to-check equivalence, by rule code.
        pub static EQUIVALENTS: &[Equivalent] = &[$(Equivalent {
            rule: Code::$rule,
            scanner: Scanner::$scanner,
            check: $check,
            target: Target::$target,
            source: $source,
        },)*];
    };
}

equivalents! {
    UnpinnedImage: Checkov "CKV_K8S_14" on Pods, "ImageTagFixed.py";
    UnpinnedImage: KubeLinter "latest-tag" on Pods, "latest-tag";
    MissingResources: Checkov "CKV_K8S_10" on Pods, "CPURequests.py";
    MissingResources: Checkov "CKV_K8S_11" on Pods, "CPULimits.py";
    MissingResources: Checkov "CKV_K8S_12" on Pods, "MemoryRequests.py";
    MissingResources: Checkov "CKV_K8S_13" on Pods, "MemoryLimits.py";
    MissingResources: KubeLinter "unset-cpu-requirements" on Pods, "unset-cpu-requirements";
    MissingResources: KubeLinter "unset-memory-requirements" on Pods, "unset-memory-requirements";
    MissingProbes: Checkov "CKV_K8S_8" on Pods, "LivenessProbe.py";
    MissingProbes: Checkov "CKV_K8S_9" on Pods, "ReadinessProbe.py";
    MissingProbes: KubeLinter "no-liveness-probe" on Pods, "no-liveness-probe";
    MissingProbes: KubeLinter "no-readiness-probe" on Pods, "no-readiness-probe";
    WeakSecurityContext: Checkov "CKV_K8S_20" on Pods, "AllowPrivilegeEscalation.py";
    WeakSecurityContext: Checkov "CKV_K8S_22" on Pods, "ReadOnlyFilesystem.py";
    WeakSecurityContext: Checkov "CKV_K8S_23" on Pods, "RootContainers.py";
    WeakSecurityContext: Checkov "CKV_K8S_28" on Pods, "DropCapabilities.py";
    WeakSecurityContext: Checkov "CKV_K8S_31" on Pods, "Seccomp.py";
    WeakSecurityContext: Checkov "CKV_K8S_37" on Pods, "MinimizeCapabilities.py";
    WeakSecurityContext: KubeLinter "no-read-only-root-fs" on Pods, "no-read-only-root-fs";
    WeakSecurityContext: KubeLinter "run-as-non-root" on Pods, "run-as-non-root";
    WeakSecurityContext: KubeLinter "privilege-escalation-container" on Pods, "privilege-escalation-container";
    WeakSecurityContext: KubeLinter "drop-net-raw-capability" on Pods, "drop-net-raw-capability";
    BlockingDisruptionBudget: KubeLinter "pdb-max-unavailable" on DisruptionBudget, "pdb-max-unavailable";
    BlockingDisruptionBudget: KubeLinter "pdb-min-available" on DisruptionBudget, "pdb-min-available";
    ImageWithoutDigest: Checkov "CKV_K8S_43" on Pods, "ImageDigest.py";
    MountedServiceAccountToken: Checkov "CKV_K8S_38" on Pods, "ServiceAccountTokens.py";
}

impl Equivalent {
    /// The address of the definition of the check's id.
    pub fn source_url(&self) -> String {
        match self.scanner {
            Scanner::Checkov => format!("{CHECKOV}{}", self.source),
            Scanner::KubeLinter => format!("{KUBE_LINTER}{}", self.source),
        }
    }
}

/// The skip annotations for the objects `target` of `workload`, from its
/// waivers: `checkov.io/skip1`, `skip2`, … in table order, and one
/// `ignore-check.kube-linter.io/<check>` per kube-linter check. Empty when
/// no waiver has an equivalent there.
pub(super) fn annotations(workload: &WorkloadModel, target: Target) -> BTreeMap<String, String> {
    let mut annotations = BTreeMap::new();
    let mut checkov = 0;
    for equivalent in EQUIVALENTS.iter().filter(|e| e.target == target) {
        // The first waiver of the rule gives the reason (the policy engine
        // applies the first matching waiver too).
        let Some(waiver) = workload.waivers.iter().find(|w| w.code == equivalent.rule) else {
            continue;
        };
        let reason = format!("{} waived: {}", equivalent.rule.id(), waiver.reason);
        match equivalent.scanner {
            Scanner::Checkov => {
                checkov += 1;
                // Checkov splits the value at `=` and expects two parts.
                let reason = reason.replace('=', "-");
                annotations.insert(
                    format!("checkov.io/skip{checkov}"),
                    format!("{}={reason}", equivalent.check),
                );
            }
            Scanner::KubeLinter => {
                annotations.insert(
                    format!("ignore-check.kube-linter.io/{}", equivalent.check),
                    reason,
                );
            }
        }
    }
    annotations
}

/// [`annotations`] as an object's `metadata.annotations`: `None` when empty.
pub(super) fn object_annotations(
    workload: &WorkloadModel,
    target: Target,
) -> Option<BTreeMap<String, String>> {
    Some(annotations(workload, target)).filter(|skips| !skips.is_empty())
}

#[cfg(test)]
mod tests {
    use serde_json::{Value, json};

    use crate::testing::{BASE, compile};

    /// The annotations of `identity` (`Deployment/shop/web`) and of its pod
    /// template, rendered from BASE plus `policy`.
    fn annotations(policy: &str, identity: &str) -> (Value, Value) {
        let compilation = compile(&format!("{BASE}{policy}"), "prod", "{}\n");
        let manifests = compilation.manifests.expect("the test spec compiles");
        let object = manifests
            .iter()
            .find(|m| m.identity() == identity)
            .unwrap_or_else(|| panic!("no {identity}"));
        let value = crate::lower::sync_order::without_sync_annotations(object.value.clone());
        (
            value["metadata"]["annotations"].clone(),
            value["spec"]["template"]["metadata"]["annotations"].clone(),
        )
    }

    const WAIVER: &str = "policy:\n  waivers:\n    - rule: image-without-digest\n      workload: web\n      reason: >-\n        digests are pinned by the CD\n        tool at deploy (a=b)\n";

    #[test]
    fn a_waiver_becomes_skip_annotations_on_the_object_and_its_pod_template() {
        let (object, template) = annotations(WAIVER, "Deployment/shop/web");
        let expected = json!({
            "checkov.io/skip1": "CKV_K8S_43=PG4014 waived: digests are pinned by the CD tool at deploy (a-b)"
        });
        assert_eq!(object, expected);
        assert_eq!(template, expected);
    }

    #[test]
    fn without_a_waiver_there_is_no_skip_annotation() {
        let (object, template) = annotations("", "Deployment/shop/web");
        assert_eq!(object, Value::Null);
        assert_eq!(template, Value::Null);
        // A waiver of another workload, or of a rule no scanner check
        // matches, adds nothing either.
        let other = WAIVER.replace("workload: web", "workload: api");
        assert_eq!(annotations(&other, "Deployment/shop/web").0, Value::Null);
        let unmatched = WAIVER.replace("image-without-digest", "single-replica");
        assert_eq!(
            annotations(&unmatched, "Deployment/shop/web").0,
            Value::Null
        );
    }

    #[test]
    fn namespace_and_platform_wide_waivers_cover_every_workload_they_match() {
        let waivers = "policy:\n  waivers:\n    - rule: PG4004\n      namespace: shop\n      reason: legacy images\n    - rule: unpinned-image\n      reason: everywhere\n";
        let (object, _) = annotations(waivers, "Deployment/shop/web");
        let keys: Vec<&str> = object
            .as_object()
            .expect("annotations")
            .keys()
            .map(String::as_str)
            .collect();
        assert_eq!(
            keys,
            [
                "checkov.io/skip1",
                "checkov.io/skip2",
                "checkov.io/skip3",
                "checkov.io/skip4",
                "checkov.io/skip5",
                "checkov.io/skip6",
                "checkov.io/skip7",
                "ignore-check.kube-linter.io/drop-net-raw-capability",
                "ignore-check.kube-linter.io/latest-tag",
                "ignore-check.kube-linter.io/no-read-only-root-fs",
                "ignore-check.kube-linter.io/privilege-escalation-container",
                "ignore-check.kube-linter.io/run-as-non-root",
            ]
        );
        assert_eq!(
            object["checkov.io/skip1"],
            "CKV_K8S_14=PG4001 waived: everywhere"
        );
        assert_eq!(
            object["ignore-check.kube-linter.io/run-as-non-root"],
            "PG4004 waived: legacy images"
        );
    }

    #[test]
    fn budget_checks_are_skipped_on_the_disruption_budget_only() {
        let base = BASE.replace(
            "    expose: { host: shop }\n",
            "    expose: { host: shop }\n    replicas: 3\n    disruptionBudget: { maxUnavailable: 1 }\n",
        );
        let policy = "policy:\n  waivers:\n    - rule: blocking-disruption-budget\n      workload: web\n      reason: drained by hand\n";
        let compilation = compile(&format!("{base}{policy}"), "prod", "{}\n");
        let manifests = compilation.manifests.expect("the test spec compiles");
        let annotations = |identity: &str| {
            manifests
                .iter()
                .find(|m| m.identity() == identity)
                .map(|m| {
                    crate::lower::sync_order::without_sync_annotations(m.value.clone())["metadata"]
                        ["annotations"]
                        .clone()
                })
                .unwrap_or_else(|| panic!("no {identity}"))
        };
        assert_eq!(
            annotations("PodDisruptionBudget/shop/web"),
            json!({
                "ignore-check.kube-linter.io/pdb-max-unavailable": "PG4011 waived: drained by hand",
                "ignore-check.kube-linter.io/pdb-min-available": "PG4011 waived: drained by hand",
            })
        );
        assert_eq!(annotations("Deployment/shop/web"), Value::Null);
    }
}

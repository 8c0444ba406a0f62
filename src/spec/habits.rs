//! Keys people bring from Helm charts' `values.yaml` and from raw manifests,
//! and where the spec says the same thing: the hint for an unknown field (or
//! value) that is a habit rather than a typo (`replicaCount` is too far from
//! `replicas` for edit distance to suggest it).

/// Each habit: the key as written, the field of the spec that replaces it
/// (the hint applies only where that field is allowed), and the hint.
const HABITS: &[(&str, &str, &str)] = &[
    (
        "replicaCount",
        "replicas",
        "the number of pods is `replicas`",
    ),
    (
        "minReplicas",
        "min",
        "the autoscaler's range is `min` and `max`",
    ),
    (
        "maxReplicas",
        "max",
        "the autoscaler's range is `min` and `max`",
    ),
    (
        "targetCPUUtilizationPercentage",
        "cpu",
        "the CPU target, in percent of requests, is `cpu`",
    ),
    (
        "targetMemoryUtilizationPercentage",
        "memory",
        "the memory target, in percent of requests, is `memory`",
    ),
    (
        "livenessProbe",
        "probes",
        "probes are `probes: { liveness, readiness, startup }`",
    ),
    (
        "readinessProbe",
        "probes",
        "probes are `probes: { liveness, readiness, startup }`",
    ),
    (
        "startupProbe",
        "probes",
        "probes are `probes: { liveness, readiness, startup }`",
    ),
    (
        "securityContext",
        "security",
        "pod and container security settings are `security` (secure by default)",
    ),
    (
        "podSecurityContext",
        "security",
        "pod and container security settings are `security` (secure by default)",
    ),
    (
        "nodeSelector",
        "scheduling",
        "node placement is `scheduling` (`nodePool`, `nodeSelector`, `spread`)",
    ),
    (
        "affinity",
        "scheduling",
        "node placement and spreading are `scheduling` (`nodePool`, `spread`)",
    ),
    (
        "tolerations",
        "scheduling",
        "tolerations come from the node pool: `scheduling.nodePool`",
    ),
    (
        "serviceAccountName",
        "serviceAccount",
        "each workload has its own ServiceAccount; its API access is `serviceAccount`",
    ),
    (
        "containerPort",
        "ports",
        "ports are named: `ports: { http: { port: 8080 } }`",
    ),
    (
        "service",
        "ports",
        "the Service is made from `ports` (and `serviceType`)",
    ),
    (
        "ingress",
        "expose",
        "public exposure is `expose: { host, path }`",
    ),
    (
        "persistence",
        "storage",
        "a volume per replica is `storage: { size, mountPath }`",
    ),
    (
        "volumeClaimTemplates",
        "storage",
        "a volume per replica is `storage: { size, mountPath }`",
    ),
    (
        "extraEnv",
        "env",
        "environment variables are the mapping `env: { NAME: value }`",
    ),
    (
        "envFrom",
        "secrets",
        "variables from Secrets are `secrets.<name>.env`; from a ConfigMap, `config.env`",
    ),
    (
        "imageTag",
        "image",
        "the image is one reference: `image: registry/app:tag`",
    ),
    (
        "repository",
        "image",
        "the image is one reference: `image: registry/app:tag`",
    ),
    // A Job's and a CronJob's settings, written at the workload's level as
    // in a manifest's `spec`.
    (
        "schedule",
        "cronJob",
        "a CronJob's schedule is `cronJob: { schedule }`",
    ),
    (
        "timeZone",
        "cronJob",
        "a CronJob's settings are `cronJob: { schedule, timeZone, concurrencyPolicy, … }`",
    ),
    (
        "concurrencyPolicy",
        "cronJob",
        "a CronJob's settings are `cronJob: { schedule, timeZone, concurrencyPolicy, … }`",
    ),
    (
        "startingDeadlineSeconds",
        "cronJob",
        "a CronJob's settings are `cronJob: { schedule, timeZone, concurrencyPolicy, … }`",
    ),
    (
        "successfulJobsHistoryLimit",
        "cronJob",
        "a CronJob's settings are `cronJob: { schedule, timeZone, concurrencyPolicy, … }`",
    ),
    (
        "failedJobsHistoryLimit",
        "cronJob",
        "a CronJob's settings are `cronJob: { schedule, timeZone, concurrencyPolicy, … }`",
    ),
    (
        "suspend",
        "cronJob",
        "a CronJob's settings are `cronJob: { schedule, timeZone, concurrencyPolicy, … }`",
    ),
    (
        "backoffLimit",
        "job",
        "a Job's settings are `job: { backoffLimit, activeDeadlineSeconds, … }`",
    ),
    (
        "activeDeadlineSeconds",
        "job",
        "a Job's settings are `job: { backoffLimit, activeDeadlineSeconds, … }`",
    ),
    (
        "ttlSecondsAfterFinished",
        "job",
        "a Job's settings are `job: { backoffLimit, activeDeadlineSeconds, … }`",
    ),
    (
        "restartPolicy",
        "job",
        "a Job's pod restart policy is `job.restartPolicy`",
    ),
    (
        "jobTemplate",
        "job",
        "the Jobs a CronJob starts follow its `job` settings",
    ),
    // A value, not a key: the pods of Deployments restart `Always`, a Job's
    // must stop once they succeed.
    (
        "Always",
        "OnFailure",
        "a Job's pod must stop once it has succeeded: its restart policy is `Never` (a new pod per retry) or `OnFailure`",
    ),
];

/// The hint for `word`, an unknown field where `expected` are allowed, when
/// it is a known habit whose replacement is allowed there.
pub(super) fn hint(word: &str, expected: &[&str]) -> Option<String> {
    HABITS
        .iter()
        .find(|(habit, replacement, _)| *habit == word && expected.contains(replacement))
        .map(|(_, _, hint)| format!("{hint} here"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_habit_is_hinted_only_where_its_replacement_is_allowed() {
        assert_eq!(
            hint("replicaCount", &["image", "replicas"]).as_deref(),
            Some("the number of pods is `replicas` here")
        );
        assert_eq!(hint("replicaCount", &["name"]), None);
        assert_eq!(hint("replicas", &["replicas"]), None);
    }

    #[test]
    fn batch_settings_written_at_the_workload_level() {
        let workload = ["image", "replicas", "job", "cronJob"];
        assert_eq!(
            hint("schedule", &workload).as_deref(),
            Some("a CronJob's schedule is `cronJob: { schedule }` here")
        );
        assert_eq!(
            hint("restartPolicy", &workload).as_deref(),
            Some("a Job's pod restart policy is `job.restartPolicy` here")
        );
        // Inside `cronJob`, `schedule` is a field, never a habit.
        assert_eq!(hint("backoffLimit", &["schedule", "timeZone"]), None);
    }
}

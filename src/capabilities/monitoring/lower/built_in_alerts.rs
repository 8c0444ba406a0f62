//! The alerts every workload gets, by kind, on the metrics
//! kube-prometheus-stack collects: kube-state-metrics (`kube_*`), the
//! kubelet's volume statistics (`kubelet_volume_stats_*`) and, with a
//! blackbox exporter, the uptime probes (`probe_success`). Each names the
//! workload's objects exactly: its pods and Jobs by the names their
//! controllers give them, never a prefix another workload's could share. Their
//! runbooks are in docs/operations.md, one section per alert name.

use crate::model::{PlatformModel, WorkloadModel};
use crate::spec::WorkloadKind;

use super::super::model::PrometheusModel;
use super::pod_names::{job_pattern, pod_pattern};

/// One alert rule, before it is written into a rule group.
#[derive(Debug, Clone)]
pub(super) struct Alert {
    pub(super) name: String,
    pub(super) expr: String,
    pub(super) for_: String,
    pub(super) severity: String,
    pub(super) summary: String,
}

/// Fraction of a volume's capacity past which it is about to fill.
const VOLUME_FULL: &str = "0.85";

pub(super) fn alerts(
    platform: &PlatformModel,
    prometheus: &PrometheusModel,
    workload: &WorkloadModel,
) -> Vec<Alert> {
    let namespace = &workload.namespace;
    let name = &workload.name;
    let pods = format!(
        "namespace=\"{namespace}\", pod=~\"{}\"",
        pod_pattern(name, workload.kind)
    );
    let severity = prometheus.severity.clone();
    let alert = |alert: &str, expr: String, for_: &str, summary: String| Alert {
        name: alert.to_owned(),
        expr,
        for_: for_.to_owned(),
        severity: severity.clone(),
        summary,
    };
    // A Job's or CronJob's pods finish: "not ready" and replica counts mean
    // nothing for them, a failed run does.
    let jobs = match workload.kind {
        WorkloadKind::Job => Some(("JobFailed", job_pattern(name, workload.kind))),
        WorkloadKind::CronJob => Some(("CronJobRunFailed", job_pattern(name, workload.kind))),
        WorkloadKind::Deployment | WorkloadKind::StatefulSet => None,
    };
    if let Some((alert_name, job_names)) = jobs {
        return vec![alert(
            alert_name,
            format!(
                "kube_job_failed{{namespace=\"{namespace}\", job_name=~\"{job_names}\", condition=\"true\"}} > 0"
            ),
            "15m",
            format!("A run of {name} failed"),
        )];
    }
    let mut alerts = vec![
        alert(
            "WorkloadCrashLooping",
            format!(
                "max_over_time(kube_pod_container_status_waiting_reason{{{pods}, reason=\"CrashLoopBackOff\"}}[5m]) >= 1"
            ),
            "15m",
            format!("A pod of {name} is crash looping"),
        ),
        alert(
            "WorkloadPodNotReady",
            format!(
                "sum by (namespace, pod) (kube_pod_status_ready{{{pods}, condition=\"false\"}}) > 0"
            ),
            "15m",
            format!("A pod of {name} has not been ready for 15 minutes"),
        ),
    ];
    // Jobs and CronJobs returned above: this is a StatefulSet or a Deployment.
    let replicas = if workload.kind == WorkloadKind::StatefulSet {
        format!(
            "kube_statefulset_status_replicas_ready{{namespace=\"{namespace}\", statefulset=\"{name}\"}} < kube_statefulset_replicas{{namespace=\"{namespace}\", statefulset=\"{name}\"}}"
        )
    } else {
        format!(
            "kube_deployment_status_replicas_available{{namespace=\"{namespace}\", deployment=\"{name}\"}} < kube_deployment_spec_replicas{{namespace=\"{namespace}\", deployment=\"{name}\"}}"
        )
    };
    alerts.push(alert(
        "WorkloadReplicasUnavailable",
        replicas,
        "15m",
        format!("{name} runs fewer ready replicas than it wants"),
    ));
    if workload.autoscaling.is_some() {
        // Running at the ceiling is a capacity warning, not an outage: it
        // never pages.
        let mut at_max = alert(
            "AutoscalerAtMaximum",
            format!(
                "kube_horizontalpodautoscaler_status_current_replicas{{namespace=\"{namespace}\", horizontalpodautoscaler=\"{name}\"}} >= kube_horizontalpodautoscaler_spec_max_replicas{{namespace=\"{namespace}\", horizontalpodautoscaler=\"{name}\"}}"
            ),
            "15m",
            format!("{name} has been at its autoscaler's maximum for 15 minutes"),
        );
        if at_max.severity == "critical" {
            "warning".clone_into(&mut at_max.severity);
        }
        alerts.push(at_max);
    }
    if workload.kind == WorkloadKind::StatefulSet && workload.storage.is_some() {
        let claims = format!(
            "namespace=\"{namespace}\", persistentvolumeclaim=~\"{}-{}-[0-9]+\"",
            crate::lower::DATA_VOLUME,
            name
        );
        alerts.push(alert(
            "VolumeAlmostFull",
            format!(
                "kubelet_volume_stats_used_bytes{{{claims}}} / kubelet_volume_stats_capacity_bytes{{{claims}}} > {VOLUME_FULL}"
            ),
            "5m",
            format!("A volume of {name} is more than 85% full"),
        ));
    }
    if prometheus.blackbox.is_some()
        && let Some(url) = super::public_url::public_url(platform, workload)
    {
        // The Probe's target becomes its series' `instance`.
        alerts.push(alert(
            "PublicHostDown",
            format!("probe_success{{instance=\"{url}\"}} == 0"),
            "5m",
            format!("{url} does not answer from outside"),
        ));
    }
    alerts
}

#[cfg(test)]
mod tests {
    use crate::testing;

    /// Every built-in expression of every kind parses as PromQL: a broken
    /// one would make Prometheus refuse the whole namespace's rules.
    #[test]
    fn built_in_expressions_parse() {
        let platform = testing::model(
            testing::BASE,
            &format!(
                "\
monitoring:
  namespace: monitoring
  blackboxExporter: {{ url: http://blackbox.monitoring.svc:9115 }}
{}",
                testing::EVERY_KIND
            ),
        );
        let prometheus = crate::capabilities::monitoring::model::prometheus(&platform)
            .expect("the example sets monitoring");
        let mut names = std::collections::BTreeSet::new();
        for workload in &platform.workloads {
            for alert in super::alerts(&platform, prometheus, workload) {
                names.insert(alert.name.clone());
                assert!(
                    promql_parser::parser::parse(&alert.expr).is_ok(),
                    "{}: {}",
                    alert.name,
                    alert.expr
                );
            }
        }
        // Every built-in alert was generated and checked.
        assert_eq!(
            names.into_iter().collect::<Vec<_>>(),
            [
                "AutoscalerAtMaximum",
                "CronJobRunFailed",
                "JobFailed",
                "PublicHostDown",
                "VolumeAlmostFull",
                "WorkloadCrashLooping",
                "WorkloadPodNotReady",
                "WorkloadReplicasUnavailable",
            ]
        );
    }
}

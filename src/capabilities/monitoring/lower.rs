//! The monitoring capability's lowering: per workload with `metrics` a
//! ServiceMonitor (through its Service) or a PodMonitor (StatefulSets, whose
//! two Services carry the same labels, and workloads without a Service); per
//! public host a blackbox-exporter Probe; per data service whose operator
//! serves metrics without credentials a PodMonitor; per namespace one
//! PrometheusRule with the built-in alerts of each workload and its own,
//! and with `alerting` the AlertmanagerConfig routing them (and the
//! ExternalSecret of the receivers' keys); per workload, unless
//! `dashboards: false`, a Grafana dashboard in a ConfigMap. Nothing without
//! `monitoring`.

mod alertmanager_config;
mod built_in_alerts;
mod dashboard;
mod dashboard_model;
mod dashboard_template;
mod pod_monitor;
mod pod_names;
mod probe;
mod prometheus_rule;
mod public_url;
mod service_monitor;

use std::collections::BTreeMap;

use k8s_openapi::apimachinery::pkg::apis::meta::v1::ObjectMeta;

use crate::capabilities::secrets::lower::external_secret_named;
use crate::capabilities::secrets::model::SecretSource;
use crate::lower::{Objects, push};
use crate::model::labels;
use crate::model::{PlatformModel, WorkloadModel};
use crate::spec::{ServiceType, WorkloadKind};

use super::model::PrometheusModel;

/// Platform-wide objects: the operators' pods' PodMonitors and each
/// namespace's PrometheusRule.
pub fn objects(platform: &PlatformModel, objects: &mut Objects) {
    let Some(prometheus) = crate::capabilities::monitoring::model::prometheus(platform) else {
        return;
    };
    for group in &platform.pod_groups {
        if let Some(endpoint) = &group.metrics_endpoint {
            let metadata = metadata(
                prometheus,
                &group.name,
                &group.namespace,
                labels::platform_labels(platform),
            );
            push(
                objects,
                &pod_monitor::for_pod_group(metadata, endpoint),
                group.origin,
            );
        }
    }
    for namespace in &platform.namespaces {
        let Some(rule) = prometheus_rule::prometheus_rule(platform, prometheus, &namespace.name)
        else {
            continue;
        };
        push(objects, &rule, namespace.origin);
        if let Some(alerting) = &prometheus.alerting {
            let name = format!("{}-alerting", platform.name);
            let metadata = |name: &str| {
                metadata(
                    prometheus,
                    name,
                    &namespace.name,
                    labels::platform_labels(platform),
                )
            };
            push(
                objects,
                &alertmanager_config::alertmanager_config(metadata(&name), alerting),
                namespace.origin,
            );
            if let SecretSource::External {
                store_name,
                store_kind,
                refresh_interval,
                data,
            } = &alerting.source
            {
                push(
                    objects,
                    &external_secret_named(
                        metadata(&alerting.secret),
                        store_name,
                        *store_kind,
                        refresh_interval,
                        data,
                    ),
                    namespace.origin,
                );
            }
        }
    }
}

/// One workload's monitor, uptime probe and dashboard.
pub fn workload_objects(platform: &PlatformModel, workload: &WorkloadModel, objects: &mut Objects) {
    let Some(prometheus) = crate::capabilities::monitoring::model::prometheus(platform) else {
        return;
    };
    let metadata = || {
        metadata(
            prometheus,
            &workload.name,
            &workload.namespace,
            labels::workload_labels(platform, workload),
        )
    };
    if let (Some(metrics), Some(scrape)) =
        (&workload.metrics, prometheus.scrapes.get(&workload.name))
    {
        let selector = labels::selector_labels(platform, workload);
        if scraped_through_service(workload) {
            push(
                objects,
                &service_monitor::service_monitor(metadata(), selector, metrics, scrape),
                workload.origin,
            );
        } else {
            push(
                objects,
                &pod_monitor::for_workload(
                    metadata(),
                    selector,
                    metrics,
                    scrape,
                    &pod_target_labels(workload),
                ),
                workload.origin,
            );
        }
    }
    if let (Some(blackbox), Some(url)) = (
        &prometheus.blackbox,
        public_url::public_url(platform, workload),
    ) {
        push(
            objects,
            &probe::probe(metadata(), blackbox, &workload.name, url),
            workload.origin,
        );
    }
    if prometheus.dashboards {
        dashboard::push(
            objects,
            platform,
            workload,
            labels::workload_labels(platform, workload),
        );
    }
}

/// Whether a workload's metrics are scraped through its Service: a
/// Deployment's one Service has every declared port. A StatefulSet also has
/// its headless Service, with the same labels, so a ServiceMonitor would
/// select both and scrape every pod twice; it is scraped as pods instead,
/// as is a workload without a Service. So is a Deployment run by a Rollout:
/// the Rollout points its Service at the stable pods only, and a second
/// Service (canary or preview) at the new ones.
fn scraped_through_service(workload: &WorkloadModel) -> bool {
    workload.kind == WorkloadKind::Deployment
        && workload.pod_owner.is_none()
        && workload.service_type != ServiceType::None
        && !workload.ports.is_empty()
}

/// The pod labels copied onto a workload's series: the label that tells
/// the versions of a Rollout's pods apart (its pod template hash), by which
/// an analysis measures the new version alone.
fn pod_target_labels(workload: &WorkloadModel) -> Vec<&'static str> {
    workload
        .pod_owner
        .map(|owner| owner.version_label)
        .into_iter()
        .collect()
}

/// Metadata of a monitoring object: the owner's labels and those Prometheus
/// selects by.
fn metadata(
    prometheus: &PrometheusModel,
    name: &str,
    namespace: &str,
    mut labels: BTreeMap<String, String>,
) -> ObjectMeta {
    labels.extend(prometheus.selector_labels.clone());
    ObjectMeta {
        name: Some(name.to_owned()),
        namespace: Some(namespace.to_owned()),
        labels: Some(labels),
        ..ObjectMeta::default()
    }
}

//! A workload's Grafana dashboard, shipped as a ConfigMap that Grafana's
//! dashboard sidecar loads (label `grafana_dashboard: "1"`,
//! kube-prometheus-stack's default). Its panels come from what the spec
//! knows of the workload: CPU and memory against the container's requests
//! and limits, ready replicas against desired (and the autoscaler's range),
//! restarts, runs of a Job or CronJob, and the volumes of a StatefulSet with
//! storage. Every query reads metrics kube-prometheus-stack collects: the
//! kubelet's cAdvisor (`container_*`), kube-state-metrics (`kube_*`) and the
//! kubelet's volume statistics (`kubelet_volume_stats_*`).
//! Its JSON model is `dashboard_model`; the text is filled in from one
//! printed dashboard per shape (`dashboard_template`).

use std::collections::BTreeMap;

use k8s_openapi::api::core::v1::ConfigMap;
use k8s_openapi::apimachinery::pkg::apis::meta::v1::ObjectMeta;

use crate::lower::Objects;
use crate::model::{PlatformModel, WorkloadModel};

use super::dashboard_model::{Subject, uid};
use super::dashboard_template as template;

/// The label kube-prometheus-stack's Grafana sidecar loads dashboards by
/// (`grafana.sidecar.dashboards.label` and `labelValue`).
const DASHBOARD_LABEL: (&str, &str) = ("grafana_dashboard", "1");
/// The annotation the sidecar files a dashboard into a folder by, when
/// `grafana.sidecar.dashboards.folderAnnotation` names it.
const FOLDER_ANNOTATION: &str = "grafana_folder";

/// Adds the ConfigMap `<workload>-dashboard` in the workload's namespace.
/// Its dashboard is filled in from the text of a dashboard of the same
/// shape: building and pretty-printing every workload's dashboard cost a
/// tenth of checking a large platform. A render holds the dashboard as its
/// shape's pattern and its names, not as text: the dashboards are 9.5 KB of
/// a workload's 21 KB of output.
pub(super) fn push(
    objects: &mut Objects,
    platform: &PlatformModel,
    workload: &WorkloadModel,
    labels: BTreeMap<String, String>,
) {
    let subject = Subject::of(platform, workload);
    let uid = uid(&subject);
    objects.push_with_block(
        |json| config_map(platform, workload, labels.clone(), json),
        template::block(&subject),
        &template::names(&subject, &uid),
        || template::text(&subject, &uid),
        workload.origin,
    );
}

/// The ConfigMap holding `json`, the workload's dashboard.
fn config_map(
    platform: &PlatformModel,
    workload: &WorkloadModel,
    mut labels: BTreeMap<String, String>,
    json: String,
) -> ConfigMap {
    labels.insert(DASHBOARD_LABEL.0.to_owned(), DASHBOARD_LABEL.1.to_owned());
    ConfigMap {
        metadata: ObjectMeta {
            name: Some(format!("{}-dashboard", workload.name)),
            namespace: Some(workload.namespace.clone()),
            labels: Some(labels),
            annotations: Some(BTreeMap::from([(
                FOLDER_ANNOTATION.to_owned(),
                platform.name.clone(),
            )])),
            ..ObjectMeta::default()
        },
        data: Some(BTreeMap::from([(
            format!("{}-{}.json", workload.namespace, workload.name),
            json,
        )])),
        ..ConfigMap::default()
    }
}

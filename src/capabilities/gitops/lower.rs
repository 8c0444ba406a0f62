//! The GitOps capability's objects, rendered by `platformgen argocd` beside
//! the environment's render rather than in it: an Application may not manage
//! its own project (it could widen what it is allowed), so these objects are
//! applied once by hand, or synced by a root Application of their own
//! (docs/gitops.md).
//!
//! For an environment: its AppProject, allowing exactly what its render
//! holds; its Application, syncing `<path>/<environment>`; and, unless
//! turned off, an AppProject and an Application per add-on the render needs,
//! shared by every environment on the same cluster. Sync waves order them
//! when a root Application syncs them: projects, then add-ons, then the
//! platform.

mod app_project;
mod application;
mod required_addons;

use std::collections::{BTreeMap, BTreeSet};

use k8s_openapi::apimachinery::pkg::apis::meta::v1::ObjectMeta;

use crate::lower::SYNC_WAVE;
use crate::model::{PlatformModel, labels};
use crate::object::Manifest;

use crate::capabilities::ingress::model::{RoutingModel, routing};
use crate::capabilities::ingress::spec::IngressController;

use super::model::ArgocdModel;
use super::model::addon_charts::{ADDON_CHARTS, Install, addon_chart};

pub use app_project::{RenderScope, render_scope};
pub use application::{ResolvedChart, resolve_chart};
pub use required_addons::required_addons;

/// `part-of` of the objects every platform on a cluster shares.
const CLUSTER_ADDONS: &str = "cluster-addons";

/// The chart, and release, of the blackbox exporter: its Service has this
/// name.
const BLACKBOX_EXPORTER: &str = "prometheus-blackbox-exporter";

/// The namespace of the blackbox exporter the uptime Probes name, when it
/// is the chart's install (`prometheus-blackbox-exporter.<namespace>.svc`);
/// `None` for another prober, installed some other way.
fn blackbox_namespace(platform: &PlatformModel) -> Option<String> {
    let blackbox = crate::capabilities::monitoring::model::prometheus(platform)?
        .blackbox
        .as_ref()?;
    let host = blackbox.address.split(':').next().unwrap_or_default();
    let rest = host.strip_prefix(BLACKBOX_EXPORTER)?.strip_prefix('.')?;
    let namespace = rest
        .strip_suffix(".svc.cluster.local")
        .or_else(|| rest.strip_suffix(".svc"))?;
    (!namespace.is_empty() && !namespace.contains('.')).then(|| namespace.to_owned())
}

/// What the add-ons that no kind needs are listed as needed by.
const REQUESTED: &str = "(named in gitops.argocd.addons.charts)";

/// The add-ons `platform` installs, by name, with what needs each: the
/// kinds of `objects` whose operator it is, the Ingresses its controller
/// serves, the add-on it is installed with, or the spec asking for it.
fn installed_addons(
    platform: &PlatformModel,
    objects: &[Manifest],
) -> BTreeMap<&'static str, Vec<&'static str>> {
    let mut installed = required_addons(objects);
    let serves_ingresses = objects.iter().any(|object| {
        object
            .kind_info()
            .is_some_and(|kind| kind.group == "networking.k8s.io" && kind.kind == "Ingress")
    });
    if serves_ingresses && let RoutingModel::Ingress { controller, .. } = &routing(platform).routing
    {
        let name = match controller {
            IngressController::Nginx => "ingress-nginx",
            IngressController::Traefik => "traefik",
        };
        installed.entry(name).or_default().insert(0, "Ingress");
    }
    let probes = objects.iter().any(|object| {
        object
            .kind_info()
            .is_some_and(|kind| kind.group == "monitoring.coreos.com" && kind.kind == "Probe")
    });
    if probes && blackbox_namespace(platform).is_some() {
        installed
            .entry(BLACKBOX_EXPORTER)
            .or_default()
            .push("Probe");
    }
    let requested = super::model::argocd(platform).map(|argocd| &argocd.chart_overrides);
    for chart in ADDON_CHARTS {
        if chart.install == Install::Requested
            && requested.is_some_and(|charts| charts.contains_key(chart.name))
        {
            installed.entry(chart.name).or_default().push(REQUESTED);
        }
    }
    for chart in ADDON_CHARTS {
        if let Install::With(companion) = chart.install
            && let Some((&companion, _)) = installed.get_key_value(companion)
        {
            installed.entry(chart.name).or_default().push(companion);
        }
    }
    installed
}

/// The add-ons `objects` need, or `platform` asks for, each with its chart
/// as `platform` installs it (`None`: no chart, installed some other way)
/// and what needs it.
pub fn addons(
    platform: &PlatformModel,
    objects: &[Manifest],
) -> Vec<(&'static str, Option<ResolvedChart>, Vec<&'static str>)> {
    let argocd = super::model::argocd(platform);
    let resolved = |name: &str| {
        addon_chart(name).map(|chart| {
            let mut chart = resolve_chart(chart, argocd, &derived_values(platform, argocd, name));
            let overridden = argocd
                .and_then(|argocd| argocd.chart_overrides.get(name))
                .is_some_and(|written| written.namespace.is_some());
            if let Some(namespace) = platform_namespace(platform, name)
                && !overridden
            {
                chart.namespace = namespace;
            }
            chart
        })
    };
    installed_addons(platform, objects)
        .into_iter()
        .map(|(name, needed_by)| (name, resolved(name), needed_by))
        .collect()
}

/// Where the spec says an add-on runs, which its chart must install it in:
/// the network policies admit Prometheus from `monitoring.namespace` and the
/// ingress controller from `ingress.controllerNamespace`, the Probes name
/// the blackbox exporter's address, and Velero's Schedules live in
/// `backups.velero.namespace`.
fn platform_namespace(platform: &PlatformModel, addon: &str) -> Option<String> {
    match addon {
        "prometheus-operator" => platform.monitoring.as_ref().map(|m| m.namespace.clone()),
        "ingress-nginx" | "traefik" => platform.ingress_controller_namespace.clone(),
        BLACKBOX_EXPORTER => blackbox_namespace(platform),
        "velero" => {
            crate::capabilities::velero::model::velero(platform).map(|v| v.namespace.clone())
        }
        _ => None,
    }
}

/// Helm values an add-on takes from the platform, over its defaults and
/// under what `charts` writes: the IngressClass the Ingresses name, and the
/// address of Loki the log agent ships to.
fn derived_values(
    platform: &PlatformModel,
    argocd: Option<&ArgocdModel>,
    addon: &str,
) -> Vec<(String, serde_json::Value)> {
    match addon {
        "ingress-nginx" => platform
            .ingress_class
            .iter()
            .map(|class| {
                (
                    "controller".to_owned(),
                    serde_json::json!({ "ingressClassResource": { "name": class } }),
                )
            })
            .collect(),
        "alloy" => {
            let loki_namespace = addon_chart("loki")
                .map(|loki| resolve_chart(loki, argocd, &[]).namespace)
                .unwrap_or_default();
            vec![(
                "alloy".to_owned(),
                serde_json::json!({ "configMap": { "content": log_agent_config(&loki_namespace) } }),
            )]
        }
        _ => Vec::new(),
    }
}

/// Alloy's configuration: every pod's containers, found through the API
/// server and tailed by one replica of the cluster each, labelled with
/// their namespace, pod, container and `app.kubernetes.io/name`, pushed to
/// Loki's gateway (the chart's `loki-gateway` Service, port 80).
fn log_agent_config(loki_namespace: &str) -> String {
    format!(
        r#"discovery.kubernetes "pods" {{
  role = "pod"
}}

discovery.relabel "pods" {{
  targets = discovery.kubernetes.pods.targets
  rule {{
    source_labels = ["__meta_kubernetes_namespace"]
    target_label  = "namespace"
  }}
  rule {{
    source_labels = ["__meta_kubernetes_pod_name"]
    target_label  = "pod"
  }}
  rule {{
    source_labels = ["__meta_kubernetes_pod_container_name"]
    target_label  = "container"
  }}
  rule {{
    source_labels = ["__meta_kubernetes_pod_label_app_kubernetes_io_name"]
    target_label  = "app"
  }}
}}

loki.source.kubernetes "pods" {{
  targets    = discovery.relabel.pods.output
  forward_to = [loki.write.default.receiver]
  clustering {{
    enabled = true
  }}
}}

loki.write "default" {{
  endpoint {{
    url = "http://loki-gateway.{loki_namespace}.svc.cluster.local/loki/api/v1/push"
  }}
}}
"#
    )
}

fn metadata(
    name: String,
    argocd: &ArgocdModel,
    labels: BTreeMap<String, String>,
    wave: &str,
) -> ObjectMeta {
    ObjectMeta {
        name: Some(name),
        namespace: Some(argocd.namespace.clone()),
        labels: Some(labels),
        annotations: Some(BTreeMap::from([(SYNC_WAVE.to_owned(), wave.to_owned())])),
        ..ObjectMeta::default()
    }
}

/// The ArgoCD objects of `platform`'s environment, whose render is
/// `objects`; none without `gitops.argocd`.
pub fn argocd_objects(platform: &PlatformModel, objects: &[Manifest]) -> Vec<Manifest> {
    let Some(argocd) = super::model::argocd(platform) else {
        return Vec::new();
    };
    let mut out = Vec::new();
    let name = format!("{}-{}", platform.name, platform.environment);
    let scope = render_scope(objects);
    let platform_labels = labels::platform_labels(platform);
    let project = app_project::environment_project(
        metadata(name.clone(), argocd, platform_labels.clone(), "-1"),
        format!(
            "{} {}: the objects of its render, on its namespaces only",
            platform.name, platform.environment
        ),
        &argocd.repo_url,
        &argocd.destination,
        &scope,
    );
    out.push(Manifest::of(&project, argocd.origin));
    let default_namespace = platform
        .namespaces
        .first()
        .map(|namespace| namespace.name.as_str())
        .or_else(|| scope.namespaces.first().map(String::as_str))
        .unwrap_or("default");
    let application = application::environment_application(
        metadata(name.clone(), argocd, platform_labels, "1"),
        &name,
        argocd,
        default_namespace,
    );
    out.push(Manifest::of(&application, argocd.origin));
    if !argocd.addons {
        return out;
    }
    let cluster = argocd.destination.cluster_name();
    let charts: Vec<ResolvedChart> = addons(platform, objects)
        .into_iter()
        .filter_map(|(_, chart, _)| chart)
        .collect();
    if charts.is_empty() {
        return out;
    }
    let shared_labels = BTreeMap::from([
        (labels::MANAGED_BY.to_owned(), "platformgen".to_owned()),
        (labels::PART_OF.to_owned(), CLUSTER_ADDONS.to_owned()),
    ]);
    let addons_project = format!("addons-{cluster}");
    let repositories: BTreeSet<String> = charts.iter().map(|c| c.repo_url.clone()).collect();
    out.push(Manifest::of(
        &app_project::addons_project(
            metadata(addons_project.clone(), argocd, shared_labels.clone(), "-1"),
            &repositories,
            &argocd.destination,
        ),
        argocd.origin,
    ));
    for chart in &charts {
        out.push(Manifest::of(
            &application::addon_application(
                metadata(
                    format!("{}-{cluster}", chart.name),
                    argocd,
                    shared_labels.clone(),
                    "0",
                ),
                &addons_project,
                chart,
                &argocd.destination,
            ),
            argocd.origin,
        ));
    }
    out.sort_by(|a, b| a.sort_key().cmp(&b.sort_key()));
    out
}

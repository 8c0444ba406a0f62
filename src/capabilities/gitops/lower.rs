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

mod addon_values;
mod app_project;
mod application;
mod application_set;
mod installed_addons;
mod plugin_config;
mod required_addons;

use std::collections::{BTreeMap, BTreeSet};

use k8s_openapi::apimachinery::pkg::apis::meta::v1::ObjectMeta;

use crate::lower::SYNC_WAVE;
use crate::model::{PlatformModel, labels};
use crate::object::{Manifest, sort_in_apply_order};

use super::model::ArgocdModel;
use super::model::addon_charts::addon_chart;
use addon_values::derived_values;
use installed_addons::{BLACKBOX_EXPORTER, blackbox_namespace, installed_addons};

pub use app_project::{RenderScope, render_scope};
pub use application::{ResolvedChart, resolve_chart};
pub use required_addons::required_addons;

/// `part-of` of the objects every platform on a cluster shares.
const CLUSTER_ADDONS: &str = "cluster-addons";

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
    let mut scope = render_scope(objects);
    if let Some(previews) = &argocd.previews {
        // Each preview's namespaces, whatever its pull request's number.
        scope.namespaces = scope
            .namespaces
            .iter()
            .map(|namespace| previews.varying(namespace, "*"))
            .collect();
    }
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
    match &argocd.previews {
        None => {
            let application = application::environment_application(
                metadata(name.clone(), argocd, platform_labels, "1"),
                &name,
                argocd,
                default_namespace,
            );
            out.push(Manifest::of(&application, argocd.origin));
        }
        Some(previews) => {
            let application_set = application_set::preview_application_set(
                metadata(name.clone(), argocd, platform_labels.clone(), "1"),
                &name,
                &platform.environment,
                argocd,
                previews,
                platform_labels,
                default_namespace,
            );
            out.push(Manifest::of(&application_set, argocd.origin));
            // Shared by every preview environment of this ArgoCD.
            let shared_labels =
                BTreeMap::from([(labels::MANAGED_BY.to_owned(), "platformgen".to_owned())]);
            out.push(Manifest::of(
                &plugin_config::plugin_config(metadata(
                    plugin_config::CONFIG_MAP.to_owned(),
                    argocd,
                    shared_labels,
                    "-1",
                )),
                argocd.origin,
            ));
        }
    }
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
    sort_in_apply_order(&mut out, |manifest| manifest);
    out
}

//! Which add-ons an environment installs, and what needs each: the
//! operators of the render's custom kinds, the controller of its Ingresses,
//! the prober its uptime Probes name, and the add-ons the spec asks for
//! (with those installed alongside them).

use std::collections::BTreeMap;

use crate::capabilities::ingress::model::{RoutingModel, routing};
use crate::capabilities::ingress::spec::IngressController;
use crate::model::PlatformModel;
use crate::object::Manifest;

use super::super::model::addon_charts::{ADDON_CHARTS, Install};
use super::required_addons::required_addons;

/// The chart, and release, of the blackbox exporter: its Service has this
/// name.
pub(super) const BLACKBOX_EXPORTER: &str = "prometheus-blackbox-exporter";

/// The namespace of the blackbox exporter the uptime Probes name, when it
/// is the chart's install (`prometheus-blackbox-exporter.<namespace>.svc`);
/// `None` for another prober, installed some other way.
pub(super) fn blackbox_namespace(platform: &PlatformModel) -> Option<String> {
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
pub(super) fn installed_addons(
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
    let requested = super::super::model::argocd(platform).map(|argocd| &argocd.chart_overrides);
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

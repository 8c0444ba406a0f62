//! The objects that route public traffic: per environment the ClusterIssuer
//! (when platformgen generates it) with the NetworkPolicies its HTTP-01
//! solver needs and, in Gateway API mode, the Gateway and
//! its HTTPS redirect; per exposed workload an Ingress (with traefik
//! Middlewares) or an HTTPRoute.

mod acme_solver_policy;
mod cluster_issuer;
mod gateway;
mod http_route;
mod ingress;
mod middleware;
mod nginx_annotations;

use super::model::{ExposureModel, RoutingModel};
use super::spec::IngressController;
use crate::lower::Objects;
use crate::lower::push;
use crate::model::{PlatformModel, WorkloadModel};

/// The platform-wide routing objects (the capability's `lower` hook).
pub fn platform_objects(platform: &PlatformModel, manifests: &mut Objects) {
    if let Some(tls) = &crate::capabilities::ingress::model::routing(platform).tls {
        if let Some(issuer) = cluster_issuer::cluster_issuer(platform, tls) {
            push(manifests, &issuer, tls.origin);
        }
        for policy in acme_solver_policy::policies(platform) {
            push(manifests, &policy, tls.origin);
        }
    }
    if let RoutingModel::Gateway(model) =
        &crate::capabilities::ingress::model::routing(platform).routing
    {
        let mut hosts: Vec<&str> = platform
            .workloads
            .iter()
            .flat_map(crate::capabilities::ingress::model::exposures)
            .map(|e| e.host.as_str())
            .collect();
        hosts.sort_unstable();
        hosts.dedup();
        // Nothing exposed, nothing to route: a Gateway without routes would
        // only hold a port open.
        if hosts.is_empty() {
            return;
        }
        push(
            manifests,
            &gateway::gateway(platform, model, &hosts),
            model.origin,
        );
        if crate::capabilities::ingress::model::routing(platform)
            .tls
            .is_some()
        {
            push(
                manifests,
                &http_route::https_redirect(platform, model),
                model.origin,
            );
        }
    }
}

/// The routing objects of each exposure of one workload (the capability's
/// `lower_workload` hook).
pub fn workload_objects(
    platform: &PlatformModel,
    workload: &WorkloadModel,
    manifests: &mut Objects,
) {
    for exposure in crate::capabilities::ingress::model::exposures(workload) {
        exposure_objects(platform, workload, exposure, manifests);
    }
}

/// The routing objects of one exposure.
fn exposure_objects(
    platform: &PlatformModel,
    workload: &WorkloadModel,
    exposure: &ExposureModel,
    manifests: &mut Objects,
) {
    let origin = workload.origin;
    match &crate::capabilities::ingress::model::routing(platform).routing {
        RoutingModel::Ingress { controller, .. } => {
            // nginx takes the same policy as annotations on the Ingress.
            let middlewares = match controller {
                IngressController::Traefik => middleware::middlewares(platform, workload, exposure),
                IngressController::Nginx => Vec::new(),
            };
            let references: Vec<String> = middlewares.iter().map(middleware::reference).collect();
            for middleware in &middlewares {
                push(manifests, middleware, origin);
            }
            push(
                manifests,
                &ingress::ingress(platform, workload, exposure, &references),
                origin,
            );
        }
        RoutingModel::Gateway(model) => push(
            manifests,
            &http_route::http_route(platform, model, workload, exposure),
            origin,
        ),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::testing::BASE;
    use crate::testing::model;

    #[track_caller]
    fn kinds(base: &str, overlay: &str) -> Vec<String> {
        let platform = model(base, overlay);
        let mut manifests = Objects::new();
        platform_objects(&platform, &mut manifests);
        for workload in &platform.workloads {
            workload_objects(&platform, workload, &mut manifests);
        }
        manifests
            .iter()
            .map(|m| format!("{}/{}", m.key.kind, m.key.name))
            .collect()
    }

    const GATEWAY: &str = "ingress: { mode: gateway, gateway: { className: eg, namespace: edge }, tls: { issuer: selfSigned } }";

    #[test]
    fn objects_per_mode() {
        assert_eq!(
            kinds(BASE, "ingress: { tls: { issuer: selfSigned } }"),
            ["ClusterIssuer/shop-selfsigned", "Ingress/web"]
        );
        assert_eq!(
            kinds(
                BASE,
                "ingress: { controller: traefik }\nworkloads: { web: { expose: { maxBodySize: 1Mi } } }"
            ),
            ["Middleware/web-body-size", "Ingress/web"]
        );
        assert_eq!(
            kinds(BASE, GATEWAY),
            [
                "ClusterIssuer/shop-selfsigned",
                "Gateway/shop",
                "HTTPRoute/shop-https-redirect",
                "HTTPRoute/web"
            ]
        );
    }

    #[test]
    fn no_gateway_without_exposed_workloads() {
        let base = BASE.replace("    expose: { host: shop }\n", "");
        assert_eq!(kinds(&base, GATEWAY), ["ClusterIssuer/shop-selfsigned"]);
    }
}

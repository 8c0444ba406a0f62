//! The ingress analysis: the `ingress` section resolved into the platform's
//! [`IngressModel`] (routing, controller, Gateway, certificate issuer), each
//! exposed workload resolved into its [`ExposureModel`](super::model::ExposureModel),
//! and the checks that need both (hosts claimed twice, settings the routing
//! cannot render, wildcard hosts under an HTTP-01 issuer).
//!
//! Runs as the capability's hook, after the core analysis: nothing there needs
//! the resolved ingress (the network checks read `ingress.controllerNamespace`
//! from the spec), so workloads are resolved without their exposure and get it
//! here. Exposures are resolved from the spec, also for workloads the core
//! analysis dropped after an error, so one run reports every problem.

mod exposure;
mod exposure_path;
mod ingress;
mod traffic_policy;

use crate::analyze::{Context, check_source_namespace, label_problem};
use crate::diagnostic::{Code, Diagnostic};
use crate::model::PlatformModel;

use super::model::{EXPOSURES, IngressModel, ROUTING, RoutingModel};
use crate::model::ExposedPortModel;

/// The capability's analysis: its checks, and the ingress fields of `model`.
pub fn analyze(ctx: &mut Context<'_>, model: &mut PlatformModel) {
    check_controller_namespace(ctx, model.network.policies);
    exposure::check(ctx);
    let ingress = ingress::resolve(ctx, model.network.policies);
    let spec = ctx.spec;
    let policies = model.network.policies;
    for (name, workload) in &spec.workloads {
        if workload.enabled == Some(false) {
            continue;
        }
        let exposures = exposure::resolve(ctx, name, workload, policies);
        if let Some(&index) = model.workload_index.get(name) {
            let workload = &mut model.workloads[index];
            if !exposures.is_empty() {
                workload.exposed_ports = exposures
                    .iter()
                    .filter_map(|exposure| {
                        Some(ExposedPortModel {
                            port: exposure.port.clone(),
                            controller_namespace: exposure.controller_namespace.clone()?,
                        })
                    })
                    .collect();
                EXPOSURES.set(&mut workload.parts, exposures);
            }
        }
    }
    // After an error (reported above) the model is a stand-in, never lowered.
    let ingress = ingress.unwrap_or_else(IngressModel::stand_in);
    model.ingress_class = match &ingress.routing {
        RoutingModel::Ingress { class_name, .. } => Some(class_name.clone()),
        RoutingModel::Gateway(_) => None,
    };
    model.tls_issuer = ingress.tls.as_ref().map(|tls| tls.issuer_name.clone());
    model.ingress_controller_namespace = crate::capabilities::ingress::spec::ingress(spec)
        .controller_namespace
        .clone();
    ROUTING.set(&mut model.parts, ingress);
}

/// The ingress controller's namespace, which network policies admit to the
/// exposed workloads: a valid name, and not one of the platform's (whose
/// default deny would cut the controller off).
fn check_controller_namespace(ctx: &mut Context<'_>, policies: bool) {
    let spec = ctx.spec;
    let namespace = super::spec::ingress(spec).controller_namespace.as_deref();
    if let Some(namespace) = namespace
        && let Some(problem) = label_problem(namespace, 63)
    {
        let span = ctx.value(&["ingress", "controllerNamespace"]);
        ctx.report(
            Diagnostic::error(
                Code::InvalidName,
                format!("invalid namespace name `{namespace}`"),
            )
            .at(span, problem),
        );
    }
    if !policies {
        return;
    }
    // A missing namespace is reported per exposure of the default class
    // (`exposure::resolve`): exposures of other classes name their own.
    if let Some(namespace) = namespace {
        check_source_namespace(
            ctx,
            namespace,
            &["ingress", "controllerNamespace"],
            "the ingress controller",
        );
    }
}

#[cfg(test)]
mod tests {
    use crate::capabilities::ingress::model::exposures;
    use crate::testing::{self, BASE};

    #[test]
    fn sets_the_ingress_fields_and_each_exposure() {
        let platform = testing::platform("ingress: { tls: { issuer: selfSigned } }");
        assert_eq!(platform.ingress_class.as_deref(), Some("nginx"));
        assert_eq!(platform.tls_issuer.as_deref(), Some("shop-selfsigned"));
        assert_eq!(
            platform.ingress_controller_namespace.as_deref(),
            Some("ingress-nginx")
        );
        let exposure = crate::capabilities::ingress::model::exposures(&platform.workloads[0])
            .first()
            .expect("exposed");
        assert_eq!(
            (
                exposure.host.as_str(),
                exposure.path.as_str(),
                exposure.port.as_str()
            ),
            ("shop.example.com", "/", "http")
        );
    }

    /// A list of exposures: each named after its port unless it has a
    /// `name`, each with its class and the namespace of that class's
    /// controller.
    #[test]
    fn a_list_resolves_one_exposure_each() {
        let platform = testing::platform(
            "ingress: { classes: { internal: { controllerNamespace: ingress-internal } } }\n\
             workloads:\n  web:\n    ports: { http: { port: 8080 }, admin: { port: 9000 } }\n    expose:\n      \
             - { host: shop, port: http }\n      \
             - { name: console, host: admin, port: admin, className: internal }\n",
        );
        let exposures: Vec<_> = exposures(&platform.workloads[0])
            .iter()
            .map(|e| {
                (
                    e.object_name.as_str(),
                    e.host.as_str(),
                    e.port.as_str(),
                    e.class_name.as_deref(),
                    e.controller_namespace.as_deref(),
                )
            })
            .collect();
        assert_eq!(
            exposures,
            [
                (
                    "web-http",
                    "shop.example.com",
                    "http",
                    Some("nginx"),
                    Some("ingress-nginx")
                ),
                (
                    "web-console",
                    "admin.example.com",
                    "admin",
                    Some("internal"),
                    Some("ingress-internal")
                ),
            ]
        );
    }

    /// A workload the core analysis drops after an error of its own still has
    /// its exposure checked.
    #[test]
    fn exposures_of_dropped_workloads_are_checked() {
        let overlay = "workloads: { web: { ports: { http: { port: 0 } }, \
            expose: { port: htp, cors: { allowOrigins: [] } } } }";
        let compilation = testing::compile(BASE, "prod", overlay);
        let messages: Vec<&str> = compilation
            .diagnostics
            .iter()
            .map(|d| d.message.as_str())
            .collect();
        for expected in [
            "port 0 is not a valid port",
            "port `htp` is not declared by workload `web`",
            "`allowOrigins` is empty",
        ] {
            assert!(messages.contains(&expected), "{expected}: {messages:?}");
        }
    }
}

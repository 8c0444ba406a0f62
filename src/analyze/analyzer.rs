//! The analyzer: checks the spec as a whole and builds the [`PlatformModel`].
//! Every check family reports into one collector, so a run shows every problem;
//! the model is returned only when there were no errors.

use crate::diagnostic::{Code, Diagnostic, Diagnostics};
use crate::model::{NamespaceModel, PlatformModel, RoutingModel};
use crate::spec::{PlatformSpec, PodSecurityLevel, Tier};
use crate::yaml::Node;

use super::{Context, exposure, ingress, names, network, quota, references, workload};

/// Analyzes `spec` (deserialized from `tree`) for `environment`.
pub fn analyze(
    spec: &PlatformSpec,
    tree: &Node,
    environment: &str,
) -> (Option<PlatformModel>, Diagnostics) {
    let mut ctx = Context {
        spec,
        tree,
        environment,
        diagnostics: Diagnostics::default(),
    };
    names::check(&mut ctx);
    references::check(&mut ctx);
    exposure::check(&mut ctx);
    let ingress = ingress::resolve(&mut ctx);

    let tier = spec
        .tier
        .or_else(|| Tier::from_environment_name(environment));
    if tier.is_none() {
        let span = ctx.value(&[]);
        ctx.report(
            Diagnostic::error(
                Code::MissingField,
                format!("environment `{environment}` does not say which `tier` it is"),
            )
            .at(span, "add `tier: development`, `tier: staging` or `tier: production`")
            .with_note("the tier is implied only for environments named `dev`, `development`, `local`, `staging`, `stage`, `prod` and `production`"),
        );
    }

    let namespaces: Vec<NamespaceModel> = spec
        .namespaces
        .iter()
        .map(|(name, namespace)| {
            let (quota, limit_range) = quota::resolve(&mut ctx, name, namespace);
            NamespaceModel {
                name: name.clone(),
                pod_security: namespace
                    .pod_security
                    .unwrap_or(PodSecurityLevel::Restricted),
                labels: namespace.labels.clone(),
                annotations: namespace.annotations.clone(),
                quota,
                limit_range,
                origin: ctx.key(&["namespaces", name]),
            }
        })
        .collect();

    let storage_classes = super::storage_classes::resolve(&mut ctx);
    let priority_classes = super::priority_classes::resolve(&mut ctx);
    super::node_pools::check(&mut ctx);

    let workloads: Vec<_> = spec
        .workloads
        .iter()
        .filter(|(_, w)| w.enabled != Some(false))
        .filter_map(|(name, w)| workload::resolve(&mut ctx, name, w))
        .collect();
    super::secrets::check_plaintext(&mut ctx, tier);
    super::secrets::check_generated_names(&mut ctx);
    super::qos::check(&mut ctx);
    super::storage_classes::check_references(&mut ctx);
    quota::check_workloads(&mut ctx, &namespaces, &workloads);
    let network = network::resolve_network(&mut ctx);
    let monitoring = network::resolve_monitoring(&mut ctx);
    network::check(&mut ctx, network.policies);

    let Context { diagnostics, .. } = ctx;
    let Some(ingress) = ingress.filter(|_| !diagnostics.has_errors()) else {
        return (None, diagnostics);
    };
    let model = PlatformModel {
        environment: environment.to_owned(),
        tier: tier.expect("a missing tier is reported as an error above"),
        name: spec.platform.name.clone(),
        kubernetes_version: spec.platform.kubernetes_version,
        ingress_class: match &ingress.routing {
            RoutingModel::Ingress { class_name, .. } => Some(class_name.clone()),
            RoutingModel::Gateway(_) => None,
        },
        tls_issuer: ingress.tls.as_ref().map(|tls| tls.issuer_name.clone()),
        ingress_controller_namespace: spec.ingress.controller_namespace.clone(),
        ingress,
        namespaces,
        workload_index: workloads
            .iter()
            .enumerate()
            .map(|(index, w)| (w.name.clone(), index))
            .collect(),
        workloads,
        network,
        monitoring,
        cloud: spec.cloud,
        storage_classes,
        priority_classes,
    };
    (Some(model), diagnostics)
}

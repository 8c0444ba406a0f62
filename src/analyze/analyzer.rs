//! The analyzer: checks the spec as a whole and builds the [`PlatformModel`].
//! Every check family reports into one collector, so a run shows every problem;
//! the model is returned only when there were no errors.

use crate::diagnostic::{Code, Diagnostic, Diagnostics};
use crate::model::{NamespaceModel, PlatformModel};
use crate::spec::{PlatformSpec, PodSecurityLevel, Tier};
use crate::yaml::Node;

use super::{Context, exposure, names, references, workload};

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

    let namespaces = spec
        .namespaces
        .iter()
        .map(|(name, namespace)| NamespaceModel {
            name: name.clone(),
            pod_security: namespace
                .pod_security
                .unwrap_or(PodSecurityLevel::Restricted),
            labels: namespace.labels.clone(),
            annotations: namespace.annotations.clone(),
            origin: ctx.key(&["namespaces", name]),
        })
        .collect();

    let workloads: Vec<_> = spec
        .workloads
        .iter()
        .filter(|(_, w)| w.enabled != Some(false))
        .filter_map(|(name, w)| workload::resolve(&mut ctx, name, w))
        .collect();

    let Context { diagnostics, .. } = ctx;
    if diagnostics.has_errors() {
        return (None, diagnostics);
    }
    let model = PlatformModel {
        environment: environment.to_owned(),
        tier: tier.expect("a missing tier is reported as an error above"),
        name: spec.platform.name.clone(),
        kubernetes_version: spec.platform.kubernetes_version,
        ingress_class: spec.ingress.class_name.clone(),
        tls_issuer: spec.ingress.tls_issuer.clone(),
        ingress_controller_namespace: spec.ingress.controller_namespace.clone(),
        namespaces,
        workloads,
    };
    (Some(model), diagnostics)
}

//! The analyzer: checks the spec as a whole and builds the [`PlatformModel`].
//! Every check family reports into one collector, so a run shows every problem;
//! the model is returned only when there were no errors.

use crate::diagnostic::{Code, Diagnostic, Diagnostics};
use crate::merge::Provenance;
use crate::model::{NamespaceModel, PlatformModel};
use crate::source::Span;
use crate::spec::Sections;
use crate::spec::{PlatformSpec, PodSecurityLevel, Tier};
use crate::yaml::Node;

use super::{Context, Hooks, batch, known_images, names, network, references, workload};

/// Analyzes `spec` (deserialized from `tree`) for `environment`, with each
/// capability's workload `hooks` as each workload is resolved, then runs its
/// platform `hooks`.
pub fn analyze(
    spec: &PlatformSpec,
    tree: &Node,
    provenance: &Provenance,
    environment: &str,
    hooks: &Hooks,
) -> (Option<PlatformModel>, Diagnostics) {
    let mut ctx = Context {
        spec,
        tree,
        provenance,
        environment,
        diagnostics: Diagnostics::default(),
    };
    names::check(&mut ctx);
    known_images::check(&mut ctx, &hooks.env);
    references::check(&mut ctx);

    let tier = spec
        .tier
        .or_else(|| Tier::from_environment_name(environment));
    if tier.is_none() {
        // The tier is the environment's to say: point at its overlay.
        let span = provenance
            .overlay_file()
            .map_or_else(|| ctx.value(&[]), |file| Span::point(file, 0));
        ctx.report(
            Diagnostic::error(
                Code::MissingField,
                format!("environment `{environment}` does not say which `tier` it is"),
            )
            .at(span, "add `tier: development`, `tier: staging` or `tier: production` to this overlay")
            .with_note("the tier is implied only for environments named `dev`, `development`, `local`, `staging`, `stage`, `prod` and `production`"),
        );
    }

    let namespaces: Vec<NamespaceModel> = spec
        .namespaces
        .iter()
        .map(|(name, namespace)| {
            NamespaceModel {
                name: name.clone(),
                pod_security: namespace
                    .pod_security
                    .unwrap_or(PodSecurityLevel::Restricted),
                labels: namespace.labels.clone(),
                annotations: namespace.annotations.clone(),
                // Set by the quota capability's analysis.
                parts: Sections::default(),
                origin: ctx.key(&["namespaces", name]),
            }
        })
        .collect();

    let priority_classes = super::priority_classes::resolve(&mut ctx);
    super::node_pools::check(&mut ctx);

    let mut workloads: Vec<_> = spec
        .workloads
        .iter()
        .filter(|(_, w)| w.enabled != Some(false))
        .filter_map(|(name, w)| workload::resolve(&mut ctx, name, w, &hooks.workload))
        .collect();
    batch::link_run_before(&mut ctx, &mut workloads);
    super::qos::check(&mut ctx);
    let network = network::resolve_network(&mut ctx);
    let patches = super::patches::resolve(&mut ctx, &spec.patches);
    network::check(&mut ctx, network.policies);

    // Without a tier (reported as an error above) the model is a stand-in
    // that only lets the capabilities' checks run.
    let mut model = PlatformModel {
        environment: environment.to_owned(),
        tier: tier.unwrap_or(Tier::Development),
        name: spec.platform.name.clone(),
        kubernetes_version: spec.platform.kubernetes_version,
        // Resolved by the ingress capability's analysis.
        ingress_class: None,
        tls_issuer: None,
        ingress_controller_namespace: None,
        namespaces,
        workload_index: workloads
            .iter()
            .enumerate()
            .map(|(index, w)| (w.name.clone(), index))
            .collect(),
        workloads,
        network,
        // Resolved by the monitoring capability's analysis.
        monitoring: None,
        cloud: spec.cloud,
        data_services: Vec::new(),
        pod_groups: Vec::new(),
        secret_mirrors: Vec::new(),
        autoscaler_reads: Vec::new(),
        trace_exports: Vec::new(),
        client_redirects: Vec::new(),
        priority_classes,
        patches,
        // Rendered by the pipeline, which reads the templates.
        templated: Vec::new(),
        // Each capability's analysis adds its own.
        parts: Sections::default(),
    };
    for hook in &hooks.platform {
        hook(&mut ctx, &mut model);
    }
    let Context { diagnostics, .. } = ctx;
    if diagnostics.has_errors() {
        return (None, diagnostics);
    }
    (Some(model), diagnostics)
}

//! The analyzer: checks the spec as a whole and builds the [`PlatformModel`].
//! Every check family reports into one collector, so a run shows every problem;
//! the model is returned only when there were no errors.

use crate::diagnostic::{Code, Diagnostic, Diagnostics};
use crate::merge::Provenance;
use crate::model::{NamespaceModel, PlatformModel, WorkloadModel};
use crate::parallel;
use crate::source::Span;
use crate::spec::Sections;
use crate::spec::{PlatformSpec, PodSecurityLevel, Tier, Workload};
use crate::yaml::Node;

use super::{
    Context, Hooks, WorkloadHook, batch, known_images, names, network, references, workload,
};

/// How many workloads a thread of [`resolve_workloads`] takes at a time:
/// below two such chunks, one thread resolves them all.
const WORKLOADS_AT_ONCE: usize = 64;

/// The enabled workloads of the spec, resolved in order, on two threads for
/// a large platform: each is resolved on its own, against the spec, with
/// its own diagnostics, which are then reported in the workloads' order.
fn resolve_workloads(ctx: &mut Context<'_>, hooks: &[WorkloadHook]) -> Vec<WorkloadModel> {
    let (spec, tree, provenance, environment) =
        (ctx.spec, ctx.tree, ctx.provenance, ctx.environment);
    let enabled: Vec<(&String, &Workload)> = spec
        .workloads
        .iter()
        .filter(|(_, w)| w.enabled != Some(false))
        .collect();
    let resolved = parallel::map_in_order(&enabled, WORKLOADS_AT_ONCE, |(name, w)| {
        let mut own = Context {
            spec,
            tree,
            provenance,
            environment,
            diagnostics: Diagnostics::default(),
        };
        let model = workload::resolve(&mut own, name, w, hooks);
        (model, own.diagnostics)
    });
    let mut workloads = Vec::with_capacity(resolved.len());
    for (model, diagnostics) in resolved {
        ctx.diagnostics.extend(diagnostics);
        workloads.extend(model);
    }
    workloads
}

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

    let mut workloads = resolve_workloads(&mut ctx, &hooks.workload);
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

#[cfg(test)]
mod tests {
    use crate::testing;

    /// A platform of `count` workloads in namespace `shop`; those in `broken`
    /// declare port 0.
    fn platform(count: usize, broken: &[usize]) -> String {
        let mut text = String::from(
            "platform: { name: shop, kubernetesVersion: \"1.33\" }\nnamespaces: { shop: {} }\nworkloads:\n",
        );
        for index in 0..count {
            let port = if broken.contains(&index) { 0 } else { 8080 };
            text.push_str(&format!(
                "  w{index}:\n    namespace: shop\n    image: ghcr.io/acme/w:1.0.{index}\n    ports: {{ http: {{ port: {port} }} }}\n    resources: {{ requests: {{ cpu: 10m, memory: 16Mi }}, limits: {{ cpu: 10m, memory: 16Mi }} }}\n"
            ));
        }
        text
    }

    /// Enough workloads that both threads resolve some.
    const MANY: usize = 300;

    #[test]
    fn workloads_resolved_on_two_threads_keep_their_order() {
        let model = testing::model(&platform(MANY, &[]), "");
        let names: Vec<&str> = model.workloads.iter().map(|w| w.name.as_str()).collect();
        let expected: Vec<String> = (0..MANY).map(|index| format!("w{index}")).collect();
        assert_eq!(names, expected);
        assert_eq!(model.workload_index["w299"], 299);
    }

    #[test]
    fn each_workloads_problems_are_reported_in_the_workloads_order() {
        let compilation = testing::compile(&platform(MANY, &[250, 3, 140]), "prod", "");
        let errors: Vec<u32> = compilation
            .diagnostics
            .iter()
            .filter(|d| d.is_error())
            .map(|d| d.primary.as_ref().expect("located").span.start)
            .collect();
        assert_eq!(errors.len(), 3, "{:#?}", compilation.diagnostics);
        assert!(errors.is_sorted(), "in the workloads' order: {errors:?}");
        assert!(compilation.model.is_none());
    }
}

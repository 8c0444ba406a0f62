//! `References`: whether the objects of a render fit together. A pod that
//! reads a Secret, ConfigMap or ServiceAccount nobody creates never starts
//! (`CreateContainerConfigError`), and an address of a platform Service that
//! does not exist fails only when the code first connects. Every object of
//! an environment is recorded as it is lowered (its identity, what it
//! creates, the Services' ports, and the references it makes, with the spec
//! line that produced it); [`References::finish`] resolves them once the
//! whole render is known. Only names and ports are kept, never the objects.

use std::collections::BTreeSet;

use serde_json::Value;

use super::pod_selection::PodSelections;
use super::referrer::Referrer;
use super::rendered::Rendered;
use super::route_backends::RouteBackends;
use super::scale_targets::ScaleTargets;
use super::service_selection::ServiceSelections;
use crate::diagnostic::{Code, Diagnostic, Diagnostics};
use crate::object::Manifest;
use crate::source::Span;

/// Names the render may refer to without rendering them: declared in the
/// spec as existing in the cluster.
#[derive(Debug, Clone, Default)]
pub struct Declared {
    /// Secrets that exist outside the platform: (namespace, name).
    pub secrets: BTreeSet<(String, String)>,
    /// StorageClasses the cluster has (`existing: true`).
    pub storage_classes: BTreeSet<String>,
    /// ClusterIssuers the cluster has (`issuer: { existing: <name> }`).
    pub cluster_issuers: BTreeSet<String>,
}

/// How many pod selections a render needs before they are matched on a
/// second thread: below it, starting a thread costs more than it saves.
const SELECTIONS_APART: usize = 256;

/// PriorityClasses every cluster has.
const SYSTEM_PRIORITY_CLASSES: &[&str] = &["system-cluster-critical", "system-node-critical"];

/// What a reference names.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
enum Target {
    Secret,
    ConfigMap,
    ServiceAccount,
    /// The Services, Ingress, HTTPRoute and AnalysisTemplates an Argo
    /// Rollout's strategy names.
    Service,
    Ingress,
    HttpRoute,
    AnalysisTemplate,
    PriorityClass,
    StorageClass,
    ClusterIssuer,
}

impl Target {
    fn kind(self) -> &'static str {
        match self {
            Target::Secret => "Secret",
            Target::ConfigMap => "ConfigMap",
            Target::ServiceAccount => "ServiceAccount",
            Target::Service => "Service",
            Target::Ingress => "Ingress",
            Target::HttpRoute => "HTTPRoute",
            Target::AnalysisTemplate => "AnalysisTemplate",
            Target::PriorityClass => "PriorityClass",
            Target::StorageClass => "StorageClass",
            Target::ClusterIssuer => "ClusterIssuer",
        }
    }

    /// Whether objects of the kind are cluster-scoped.
    fn cluster_scoped(self) -> bool {
        matches!(
            self,
            Target::PriorityClass | Target::StorageClass | Target::ClusterIssuer
        )
    }
}

/// One reference from an object to another, by name, in its namespace (or
/// cluster-wide, for a cluster-scoped kind).
#[derive(Debug, Clone)]
struct Reference {
    target: Target,
    /// Empty for a cluster-scoped target.
    namespace: String,
    name: String,
    referrer: Referrer,
    /// Where in the referring object, e.g. `spec.template.spec.volumes[0]`.
    path: String,
}

/// An address `<service>.<namespace>.svc[:port]` written in a variable.
#[derive(Debug, Clone)]
struct Address {
    service: String,
    namespace: String,
    port: Option<u64>,
    text: String,
    from: String,
    variable: String,
    origin: Span,
}

/// The references of one environment's render, resolved at the end.
#[derive(Debug, Default)]
pub struct References {
    rendered: Rendered,
    references: Vec<Reference>,
    addresses: Vec<Address>,
    service_selections: ServiceSelections,
    route_backends: RouteBackends,
    scale_targets: ScaleTargets,
    pod_selections: PodSelections,
}

impl References {
    pub fn new() -> Self {
        Self::default()
    }

    /// Records one object: what it is, what it creates, what it refers to.
    pub fn record(&mut self, object: &Manifest) {
        let tree = object.tree();
        let referrer = Referrer::of(object, &tree);
        self.rendered.record(object, &tree, &referrer.identity);
        self.service_selections.record(object, &tree, &referrer);
        self.route_backends.record(object, &tree, &referrer);
        self.scale_targets.record(object, &tree, &referrer);
        self.pod_selections.record(object, &tree, &referrer);
        let namespace = object.namespace().unwrap_or_default().to_owned();
        let mut cluster_wide = |target: Target, name: Option<&str>, path: &str| {
            if let Some(name) = name {
                self.references.push(Reference {
                    target,
                    namespace: String::new(),
                    name: name.to_owned(),
                    referrer: referrer.clone(),
                    path: path.to_owned(),
                });
            }
        };
        // cert-manager's ingress-shim (and its Gateway support) asks the
        // issuer the annotation names for the certificate.
        cluster_wide(
            Target::ClusterIssuer,
            crate::object::path::annotation(&tree, "cert-manager.io/cluster-issuer"),
            "metadata.annotations.cert-manager.io/cluster-issuer",
        );
        // The classes of claims, claim templates and the volumes operators
        // create for data services, wherever the kind registry says a kind
        // names one.
        if let Some(kind) = object.kind_info() {
            for path in kind.storage_classes {
                for (class, at) in fields(&tree, path) {
                    cluster_wide(Target::StorageClass, class.as_str(), &at);
                }
            }
        }
        if let Some(kind) = object.kind_info()
            && let Some(template) = kind.pod_template
        {
            let pod = template.iter().fold(&*tree, |node, key| &node[*key]);
            let prefix = template.join(".");
            self.record_pod(&pod["spec"], &prefix, &namespace, &referrer);
        }
        if object.key.group == "argoproj.io" && object.kind() == "Rollout" {
            self.record_rollout(&tree["spec"]["strategy"], &namespace, &referrer);
        }
    }

    /// What an Argo Rollout's strategy names: without them it never
    /// progresses (the controller reports `InvalidSpec` and leaves the old
    /// version running).
    fn record_rollout(&mut self, strategy: &Value, namespace: &str, referrer: &Referrer) {
        let mut refer = |target: Target, name: &Value, path: String| {
            if let Some(name) = name.as_str() {
                self.references.push(Reference {
                    target,
                    namespace: namespace.to_owned(),
                    name: name.to_owned(),
                    referrer: referrer.clone(),
                    path: format!("spec.strategy.{path}"),
                });
            }
        };
        let canary = &strategy["canary"];
        for key in ["canaryService", "stableService"] {
            refer(Target::Service, &canary[key], format!("canary.{key}"));
        }
        let routing = &canary["trafficRouting"];
        refer(
            Target::Ingress,
            &routing["nginx"]["stableIngress"],
            "canary.trafficRouting.nginx.stableIngress".to_owned(),
        );
        if let Some(plugins) = routing["plugins"].as_object() {
            for (plugin, settings) in plugins {
                refer(
                    Target::HttpRoute,
                    &settings["httpRoute"],
                    format!("canary.trafficRouting.plugins.{plugin}.httpRoute"),
                );
            }
        }
        templates(
            &canary["analysis"],
            "canary.analysis".to_owned(),
            &mut refer,
        );
        for (s, step) in array(&canary["steps"]) {
            templates(
                &step["analysis"],
                format!("canary.steps[{s}].analysis"),
                &mut refer,
            );
        }
        let blue_green = &strategy["blueGreen"];
        for key in ["activeService", "previewService"] {
            refer(
                Target::Service,
                &blue_green[key],
                format!("blueGreen.{key}"),
            );
        }
        for key in ["prePromotionAnalysis", "postPromotionAnalysis"] {
            templates(&blue_green[key], format!("blueGreen.{key}"), &mut refer);
        }
    }

    fn record_pod(&mut self, pod: &Value, prefix: &str, namespace: &str, referrer: &Referrer) {
        let at = |path: String| {
            if prefix.is_empty() {
                format!("spec.{path}")
            } else {
                format!("{prefix}.spec.{path}")
            }
        };
        if let Some(class) = pod["priorityClassName"].as_str() {
            self.references.push(Reference {
                target: Target::PriorityClass,
                namespace: String::new(),
                name: class.to_owned(),
                referrer: referrer.clone(),
                path: at("priorityClassName".to_owned()),
            });
        }
        let mut refer = |target: Target, name: &Value, optional: &Value, path: String| {
            let Some(name) = name.as_str() else { return };
            if optional.as_bool() == Some(true) {
                return;
            }
            self.references.push(Reference {
                target,
                namespace: namespace.to_owned(),
                name: name.to_owned(),
                referrer: referrer.clone(),
                path: at(path),
            });
        };
        if let Some(account) = pod["serviceAccountName"].as_str()
            && account != "default"
        {
            refer(
                Target::ServiceAccount,
                &Value::from(account),
                &Value::Null,
                "serviceAccountName".to_owned(),
            );
        }
        for (v, volume) in array(&pod["volumes"]) {
            let secret = &volume["secret"];
            refer(
                Target::Secret,
                &secret["secretName"],
                &secret["optional"],
                format!("volumes[{v}].secret"),
            );
            let config_map = &volume["configMap"];
            refer(
                Target::ConfigMap,
                &config_map["name"],
                &config_map["optional"],
                format!("volumes[{v}].configMap"),
            );
            for (s, source) in array(&volume["projected"]["sources"]) {
                let path = format!("volumes[{v}].projected.sources[{s}]");
                let (secret, config_map) = (&source["secret"], &source["configMap"]);
                refer(
                    Target::Secret,
                    &secret["name"],
                    &secret["optional"],
                    format!("{path}.secret"),
                );
                refer(
                    Target::ConfigMap,
                    &config_map["name"],
                    &config_map["optional"],
                    format!("{path}.configMap"),
                );
            }
        }
        let mut addresses = Vec::new();
        for list in ["initContainers", "containers"] {
            for (c, container) in array(&pod[list]) {
                let container_path = format!("{list}[{c}]");
                for (e, from_source) in array(&container["envFrom"]) {
                    let (secret, config_map) =
                        (&from_source["secretRef"], &from_source["configMapRef"]);
                    let path = format!("{container_path}.envFrom[{e}]");
                    refer(
                        Target::Secret,
                        &secret["name"],
                        &secret["optional"],
                        format!("{path}.secretRef"),
                    );
                    refer(
                        Target::ConfigMap,
                        &config_map["name"],
                        &config_map["optional"],
                        format!("{path}.configMapRef"),
                    );
                }
                for (e, variable) in array(&container["env"]) {
                    let path = format!("{container_path}.env[{e}]");
                    let source = &variable["valueFrom"];
                    let (secret, config_map) =
                        (&source["secretKeyRef"], &source["configMapKeyRef"]);
                    refer(
                        Target::Secret,
                        &secret["name"],
                        &secret["optional"],
                        format!("{path}.valueFrom.secretKeyRef"),
                    );
                    refer(
                        Target::ConfigMap,
                        &config_map["name"],
                        &config_map["optional"],
                        format!("{path}.valueFrom.configMapKeyRef"),
                    );
                    if let Some(value) = variable["value"].as_str() {
                        let name = variable["name"].as_str().unwrap_or_default();
                        for (service, service_namespace, port) in service_addresses(value) {
                            addresses.push(Address {
                                service,
                                namespace: service_namespace,
                                port,
                                text: value.to_owned(),
                                from: referrer.identity.clone(),
                                variable: name.to_owned(),
                                origin: referrer.origin,
                            });
                        }
                    }
                }
            }
        }
        self.addresses.extend(addresses);
    }

    /// Every reference that names nothing of the render, of an operator of
    /// the render, or of `declared`. `locate_variable` finds the spec line
    /// of a variable of the object that comes from `origin`, so an address
    /// is reported where it was written.
    pub fn finish(
        self,
        declared: &Declared,
        locate_variable: &dyn Fn(Span, &str) -> Option<Span>,
    ) -> Diagnostics {
        // Matching every selection against the pods is the largest part: a
        // large render's runs on a second thread while the rest resolve here.
        let pod_problems = || {
            let mut found = Diagnostics::default();
            self.pod_selections.resolve(&self.rendered, &mut found);
            found
        };
        let (pod_problems, mut diagnostics) = crate::parallel::join(
            self.pod_selections.len() >= SELECTIONS_APART,
            pod_problems,
            || self.resolve_the_rest(declared, locate_variable),
        );
        diagnostics.extend(pod_problems);
        diagnostics
    }

    /// Every reference but the pod selections, resolved.
    fn resolve_the_rest(
        &self,
        declared: &Declared,
        locate_variable: &dyn Fn(Span, &str) -> Option<Span>,
    ) -> Diagnostics {
        let mut diagnostics = Diagnostics::default();
        let mut reported = BTreeSet::new();
        for reference in &self.references {
            let (namespace, name) = (&reference.namespace, &reference.name);
            let target = reference.target;
            let resolves = self.rendered.has(target.kind(), namespace, name)
                || match target {
                    Target::Secret => declared
                        .secrets
                        .contains(&(namespace.clone(), name.clone())),
                    Target::StorageClass => declared.storage_classes.contains(name),
                    Target::ClusterIssuer => declared.cluster_issuers.contains(name),
                    Target::PriorityClass => SYSTEM_PRIORITY_CLASSES.contains(&name.as_str()),
                    Target::ConfigMap
                    | Target::ServiceAccount
                    | Target::Service
                    | Target::Ingress
                    | Target::HttpRoute
                    | Target::AnalysisTemplate => false,
                };
            if resolves {
                continue;
            }
            // One report per referring object and missing object.
            let key = (target, namespace.clone(), name.clone());
            if !reported.insert((reference.referrer.identity.clone(), key)) {
                continue;
            }
            let kind = target.kind();
            let missing = if target.cluster_scoped() {
                format!("{kind} `{name}`")
            } else {
                format!("{kind} `{namespace}/{name}`")
            };
            diagnostics.push(reference.referrer.locate(
                Diagnostic::error(
                    Code::DanglingReference,
                    format!(
                        "{} refers to {missing} at `{}`, which nothing creates",
                        reference.referrer.identity, reference.path
                    ),
                )
                .with_help(match target {
                    Target::Secret => format!(
                        "the pod cannot start without it: declare the secret in the spec (`existing` when it is created outside the platform), or fix the name `{name}`"
                    ),
                    Target::ConfigMap | Target::ServiceAccount => format!(
                        "the pod cannot start without it: render the {kind} or fix the name `{name}`"
                    ),
                    Target::Service
                    | Target::Ingress
                    | Target::HttpRoute
                    | Target::AnalysisTemplate => format!(
                        "Argo Rollouts refuses the Rollout without it (`InvalidSpec`) and keeps the old version: render the {kind} or fix the name `{name}`"
                    ),
                    Target::PriorityClass => format!(
                        "the API server rejects the pod: declare the class under `priorityClasses`, or fix the name `{name}`"
                    ),
                    Target::StorageClass => format!(
                        "the volume stays Pending: declare the class under `storageClasses` (`existing: true` when the cluster has it), or fix the name `{name}`"
                    ),
                    Target::ClusterIssuer => format!(
                        "cert-manager issues no certificate: use a generated issuer, or `issuer: {{ existing: {name} }}` when the cluster has it"
                    ),
                }),
            ));
        }
        for address in &self.addresses {
            if !self.rendered.namespaces.contains(&address.namespace) {
                continue;
            }
            let service = self.rendered.service(&address.namespace, &address.service);
            let ports = service.map(|service| service.ports.as_ref());
            let problem = match (ports, address.port) {
                (None, _) => Some(format!(
                    "no Service `{}` exists in namespace `{}`",
                    address.service, address.namespace
                )),
                (Some(Some(ports)), Some(port)) if !ports.iter().any(|p| p.number == port) => {
                    Some(format!(
                        "Service `{}/{}` does not expose port {port} (it exposes {})",
                        address.namespace,
                        address.service,
                        ports
                            .iter()
                            .map(|p| p.number.to_string())
                            .collect::<Vec<_>>()
                            .join(", ")
                    ))
                }
                _ => None,
            };
            if let Some(problem) = problem {
                diagnostics.push(
                    Diagnostic::error(
                        Code::UnknownServiceAddress,
                        format!(
                            "{} sets `{}` to `{}`, but {problem}",
                            address.from, address.variable, address.text
                        ),
                    )
                    .at(
                        locate_variable(address.origin, &address.variable)
                            .unwrap_or(address.origin),
                        "written here",
                    )
                    .with_help(
                        "name the Service of a workload or data service by its name and namespace (a workload's `uses` or `connections` writes such addresses for you), on one of its ports",
                    ),
                );
            }
        }
        self.service_selections
            .resolve(&self.rendered, &mut diagnostics);
        self.route_backends
            .resolve(&self.rendered, &mut diagnostics);
        self.scale_targets.resolve(&self.rendered, &mut diagnostics);
        diagnostics
    }
}

/// The AnalysisTemplates an analysis of a Rollout's strategy runs.
fn templates(analysis: &Value, path: String, refer: &mut dyn FnMut(Target, &Value, String)) {
    for (t, template) in array(&analysis["templates"]) {
        refer(
            Target::AnalysisTemplate,
            &template["templateName"],
            format!("{path}.templates[{t}]"),
        );
    }
}

/// The values at `path` in `tree` (`*` standing for every element of an
/// array), each with its path as a diagnostic writes it:
/// `spec.pools[0].volumeClaimTemplate.spec.storageClassName`.
fn fields<'a>(tree: &'a Value, path: &[&str]) -> Vec<(&'a Value, String)> {
    let mut found = vec![(tree, String::new())];
    for key in path {
        found = found
            .into_iter()
            .flat_map(|(node, at)| match *key {
                "*" => array(node)
                    .map(|(i, element)| (element, format!("{at}[{i}]")))
                    .collect::<Vec<_>>(),
                key => node
                    .get(key)
                    .map(|child| {
                        let at = if at.is_empty() {
                            key.to_owned()
                        } else {
                            format!("{at}.{key}")
                        };
                        (child, at)
                    })
                    .into_iter()
                    .collect(),
            })
            .collect();
    }
    found
}

fn array(value: &Value) -> impl Iterator<Item = (usize, &Value)> {
    value.as_array().into_iter().flatten().enumerate()
}

/// The in-cluster Service addresses in `text`: `<service>.<namespace>.svc`,
/// optionally followed by `.cluster.local` and `:<port>` (a pod of a
/// headless Service, `<pod>.<service>.<namespace>.svc`, names the same
/// Service).
fn service_addresses(text: &str) -> Vec<(String, String, Option<u64>)> {
    let is_host = |c: char| c.is_ascii_alphanumeric() || c == '-' || c == '.';
    let mut found = Vec::new();
    let mut from = 0;
    while let Some(at) = text[from..].find(".svc") {
        let start_of_suffix = from + at;
        let after = start_of_suffix + ".svc".len();
        from = after;
        // `svc` must be a whole label.
        let rest = &text[after..];
        let rest = rest.strip_prefix(".cluster.local").unwrap_or(rest);
        if rest
            .chars()
            .next()
            .is_some_and(|c| c.is_ascii_alphanumeric() || c == '-' || c == '.')
        {
            continue;
        }
        let host_start = text[..start_of_suffix]
            .rfind(|c: char| !is_host(c))
            .map_or(0, |i| i + 1);
        let labels: Vec<&str> = text[host_start..start_of_suffix].split('.').collect();
        let [.., service, namespace] = labels.as_slice() else {
            continue;
        };
        if service.is_empty() || namespace.is_empty() {
            continue;
        }
        let port = rest.strip_prefix(':').and_then(|p| {
            let digits: String = p.chars().take_while(char::is_ascii_digit).collect();
            digits.parse().ok()
        });
        found.push(((*service).to_owned(), (*namespace).to_owned(), port));
    }
    found
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;
    use crate::source::FileId;

    fn object(value: Value) -> Manifest {
        Manifest::from_value(value, Span::point(FileId::default(), 7)).expect("an identity")
    }

    /// A Deployment of `shop` whose pod reads the Secret `app-db` through
    /// every kind of reference, the ConfigMap `app-config` and the
    /// ServiceAccount `app`.
    fn reader() -> Manifest {
        object(json!({
            "apiVersion": "apps/v1", "kind": "Deployment",
            "metadata": {"name": "app", "namespace": "shop"},
            "spec": {"template": {"spec": {
                "serviceAccountName": "app",
                "volumes": [
                    {"name": "a", "secret": {"secretName": "app-db"}},
                    {"name": "b", "projected": {"sources": [{"configMap": {"name": "app-config"}}]}},
                    {"name": "c", "secret": {"secretName": "maybe", "optional": true}},
                ],
                "containers": [{
                    "name": "app",
                    "envFrom": [{"secretRef": {"name": "app-db"}}],
                    "env": [{"name": "P", "valueFrom": {"secretKeyRef": {"name": "app-db", "key": "p"}}}],
                }],
            }}},
        }))
    }

    fn named(kind: &str, name: &str) -> Manifest {
        object(json!({
            "apiVersion": "v1", "kind": kind,
            "metadata": {"name": name, "namespace": "shop"},
        }))
    }

    fn resolve(objects: &[Manifest], declared: &Declared) -> Vec<String> {
        let mut references = References::new();
        objects.iter().for_each(|o| references.record(o));
        references
            .finish(declared, &|_, _| None)
            .into_sorted()
            .into_iter()
            .map(|d| format!("{}: {}", d.code.id(), d.message))
            .collect()
    }

    #[test]
    fn a_pod_reading_objects_nobody_creates_is_reported_once_per_object() {
        let found = resolve(&[reader()], &Declared::default());
        assert_eq!(
            found,
            [
                "PG5002: Deployment `shop/app` refers to ConfigMap `shop/app-config` at `spec.template.spec.volumes[1].projected.sources[0].configMap`, which nothing creates",
                "PG5002: Deployment `shop/app` refers to Secret `shop/app-db` at `spec.template.spec.volumes[0].secret`, which nothing creates",
                "PG5002: Deployment `shop/app` refers to ServiceAccount `shop/app` at `spec.template.spec.serviceAccountName`, which nothing creates",
            ]
        );
    }

    /// A canary through nginx with an analysis step, and a blue/green
    /// rollout: every Service, Ingress and AnalysisTemplate they name.
    fn rollouts() -> [Manifest; 2] {
        let analysis = json!({"templates": [{"templateName": "app"}]});
        [
            object(json!({
                "apiVersion": "argoproj.io/v1alpha1", "kind": "Rollout",
                "metadata": {"name": "app", "namespace": "shop"},
                "spec": {"strategy": {"canary": {
                    "canaryService": "app-canary",
                    "stableService": "app",
                    "trafficRouting": {"nginx": {"stableIngress": "app"}},
                    "steps": [{"setWeight": 10}, {"analysis": analysis}],
                }}},
            })),
            object(json!({
                "apiVersion": "argoproj.io/v1alpha1", "kind": "Rollout",
                "metadata": {"name": "pay", "namespace": "shop"},
                "spec": {"strategy": {"blueGreen": {
                    "activeService": "pay",
                    "previewService": "pay-preview",
                    "postPromotionAnalysis": {"templates": [{"templateName": "pay"}]},
                }}},
            })),
        ]
    }

    #[test]
    fn a_rollout_naming_objects_nobody_renders_is_reported() {
        let found = resolve(&rollouts(), &Declared::default());
        assert_eq!(
            found,
            [
                "PG5002: Rollout `shop/app` refers to AnalysisTemplate `shop/app` at `spec.strategy.canary.steps[1].analysis.templates[0]`, which nothing creates",
                "PG5002: Rollout `shop/app` refers to Ingress `shop/app` at `spec.strategy.canary.trafficRouting.nginx.stableIngress`, which nothing creates",
                "PG5002: Rollout `shop/app` refers to Service `shop/app-canary` at `spec.strategy.canary.canaryService`, which nothing creates",
                "PG5002: Rollout `shop/app` refers to Service `shop/app` at `spec.strategy.canary.stableService`, which nothing creates",
                "PG5002: Rollout `shop/pay` refers to AnalysisTemplate `shop/pay` at `spec.strategy.blueGreen.postPromotionAnalysis.templates[0]`, which nothing creates",
                "PG5002: Rollout `shop/pay` refers to Service `shop/pay-preview` at `spec.strategy.blueGreen.previewService`, which nothing creates",
                "PG5002: Rollout `shop/pay` refers to Service `shop/pay` at `spec.strategy.blueGreen.activeService`, which nothing creates",
            ]
        );
        let mut everything: Vec<Manifest> = rollouts().into();
        for (api_version, kind, name) in [
            ("v1", "Service", "app"),
            ("v1", "Service", "app-canary"),
            ("networking.k8s.io/v1", "Ingress", "app"),
            ("argoproj.io/v1alpha1", "AnalysisTemplate", "app"),
            ("v1", "Service", "pay"),
            ("v1", "Service", "pay-preview"),
            ("argoproj.io/v1alpha1", "AnalysisTemplate", "pay"),
        ] {
            everything.push(object(json!({
                "apiVersion": api_version, "kind": kind,
                "metadata": {"name": name, "namespace": "shop"},
            })));
        }
        assert_eq!(
            resolve(&everything, &Declared::default()),
            Vec::<String>::new()
        );
    }

    #[test]
    fn rendered_declared_and_operator_created_objects_resolve() {
        let objects = [
            reader(),
            named("ConfigMap", "app-config"),
            named("ServiceAccount", "app"),
        ];
        let declared = Declared {
            secrets: [("shop".to_owned(), "app-db".to_owned())].into(),
            ..Declared::default()
        };
        assert_eq!(resolve(&objects, &declared), Vec::<String>::new());
        // The same Secret, written by the External Secrets Operator.
        let external = object(json!({
            "apiVersion": "external-secrets.io/v1", "kind": "ExternalSecret",
            "metadata": {"name": "copy", "namespace": "shop"},
            "spec": {"target": {"name": "app-db"}},
        }));
        let objects = [
            reader(),
            named("ConfigMap", "app-config"),
            named("ServiceAccount", "app"),
            external,
        ];
        assert_eq!(
            resolve(&objects, &Declared::default()),
            Vec::<String>::new()
        );
        // One the operator of a rendered resource creates: CloudNativePG
        // writes `<cluster>-app` for a Cluster.
        let cluster = object(json!({
            "apiVersion": "postgresql.cnpg.io/v1", "kind": "Cluster",
            "metadata": {"name": "app", "namespace": "shop"},
        }));
        let mut with_cluster = reader();
        with_cluster.value["spec"]["template"]["spec"]["volumes"][0]["secret"]["secretName"] =
            json!("app-app");
        let found = resolve(
            &[
                with_cluster,
                cluster,
                named("ConfigMap", "app-config"),
                named("ServiceAccount", "app"),
            ],
            &Declared::default(),
        );
        assert!(found.iter().all(|m| !m.contains("app-app")), "{found:?}");
    }

    #[test]
    fn a_secret_of_another_namespace_does_not_resolve() {
        let declared = Declared {
            secrets: [("other".to_owned(), "app-db".to_owned())].into(),
            ..Declared::default()
        };
        let found = resolve(&[reader()], &declared);
        assert!(
            found.iter().any(|m| m.contains("Secret `shop/app-db`")),
            "{found:?}"
        );
    }

    fn in_shop(api_version: &str, kind: &str, name: &str, spec: Value) -> Manifest {
        object(json!({
            "apiVersion": api_version, "kind": kind,
            "metadata": {"name": name, "namespace": "shop", "labels": {"app": name}},
            "spec": spec,
        }))
    }

    #[test]
    fn selectors_resolve_against_registry_pods_and_operator_pods() {
        // A Rollout is registered with a pod template: a Service selects
        // its pods without a rule naming the kind. A CloudNativePG Cluster's
        // pods carry the labels the registry lists.
        let rollout = in_shop(
            "argoproj.io/v1alpha1",
            "Rollout",
            "web",
            json!({"template": {
                "metadata": {"labels": {"app": "web"}},
                "spec": {"containers": [{"name": "web", "ports": [{"name": "http", "containerPort": 8080}]}]},
            }}),
        );
        let service = in_shop(
            "v1",
            "Service",
            "web",
            json!({"selector": {"app": "web"}, "ports": [{"port": 80, "targetPort": "http"}]}),
        );
        let cluster = in_shop("postgresql.cnpg.io/v1", "Cluster", "db", json!({}));
        let budget = in_shop(
            "policy/v1",
            "PodDisruptionBudget",
            "db",
            json!({"selector": {"matchLabels": {"cnpg.io/cluster": "db"}}}),
        );
        let service_monitor = in_shop(
            "monitoring.coreos.com/v1",
            "ServiceMonitor",
            "web",
            json!({"selector": {"matchLabels": {"app": "web"}}, "namespaceSelector": {"any": true}}),
        );
        let namespace =
            object(json!({"apiVersion": "v1", "kind": "Namespace", "metadata": {"name": "shop"}}));
        let objects = [
            namespace,
            rollout,
            service,
            cluster,
            budget,
            service_monitor,
        ];
        assert_eq!(
            resolve(&objects, &Declared::default()),
            Vec::<String>::new()
        );

        // The same objects with every selector off by one label.
        let mut broken = objects.clone();
        broken[2].value["spec"]["ports"][0]["targetPort"] = json!("metrics");
        broken[4].value["spec"]["selector"]["matchLabels"]["cnpg.io/cluster"] = json!("dv");
        broken[5].value["spec"]["selector"]["matchLabels"]["app"] = json!("api");
        assert_eq!(
            resolve(&broken, &Declared::default()),
            [
                "PG5004: Service `shop/web` sends `spec.ports[0]` to target port `metrics`, which the pods of Rollout `shop/web` do not declare",
                "PG5007: PodDisruptionBudget `shop/db` selects no pod of namespace `shop` at `spec.selector` (selector `cnpg.io/cluster=dv`)",
                "PG5007: ServiceMonitor `shop/web` selects no Service of namespace `shop` at `spec.selector` (selector `app=api`)",
            ]
        );
    }

    #[test]
    fn addresses_are_found_with_their_ports() {
        assert_eq!(
            service_addresses("http://jaeger.obs.svc:4317"),
            [("jaeger".to_owned(), "obs".to_owned(), Some(4317))]
        );
        assert_eq!(
            service_addresses("redis://:$(P)@redis-master.data.svc.cluster.local:6379/0"),
            [("redis-master".to_owned(), "data".to_owned(), Some(6379))]
        );
        assert_eq!(
            service_addresses("postgres-rw.data.svc"),
            [("postgres-rw".to_owned(), "data".to_owned(), None)]
        );
        assert_eq!(
            service_addresses("a-0.a.data.svc,b.data.svc:1"),
            [
                ("a".to_owned(), "data".to_owned(), None),
                ("b".to_owned(), "data".to_owned(), Some(1))
            ]
        );
        assert!(service_addresses("svc.example.com").is_empty());
        assert!(service_addresses("api.shop.svcx").is_empty());
        assert!(service_addresses("shop.svc").is_empty());
    }
}

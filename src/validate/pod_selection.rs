//! Objects that act on the pods (or Services) they select: a
//! PodDisruptionBudget, the Prometheus Operator's PodMonitor (pods) and
//! ServiceMonitor (Services), each in its namespace or the namespaces its
//! `namespaceSelector` names, and a NetworkPolicy's `podSelector`. One that
//! selects nothing applies cleanly and does nothing: a budget that protects
//! no pod, a monitor that scrapes nothing (PG5007), a policy that isolates
//! no pod (PG5008, a warning: a policy written ahead of its pods is
//! harmless). And the ports they name must be ports of what they select: a
//! PodMonitor's and a NetworkPolicy ingress rule's named ports those of the
//! pods' containers, a ServiceMonitor's those of the Services (PG5009); a
//! monitor on a port nobody names scrapes nothing, a policy rule admits
//! nothing.

use serde_json::Value;

use super::label_selector::LabelSelector;
use super::referrer::Referrer;
use super::rendered::Rendered;
use crate::diagnostic::{Code, Diagnostic, Diagnostics};
use crate::object::Manifest;

/// What a selection picks.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Selects {
    Pods,
    Services,
}

/// Where a selection looks.
#[derive(Debug, Clone, PartialEq, Eq)]
enum Namespaces {
    /// Every namespace of the render (`namespaceSelector.any`).
    Any,
    Named(Vec<String>),
}

#[derive(Debug)]
struct Selection {
    referrer: Referrer,
    selects: Selects,
    selector: LabelSelector,
    namespaces: Namespaces,
    /// `spec.selector`, `spec.podSelector`.
    path: &'static str,
    /// A NetworkPolicy's selection is a warning, the rest errors.
    code: Code,
    /// The port names the object uses, each with where: (`spec.
    /// podMetricsEndpoints[0].port`, `metrics`).
    named_ports: Vec<(String, String)>,
}

/// The selections of the render's budgets, monitors and network policies.
#[derive(Debug, Default)]
pub(super) struct PodSelections(Vec<Selection>);

impl PodSelections {
    /// How many selections there are to resolve.
    pub(super) fn len(&self) -> usize {
        self.0.len()
    }

    pub(super) fn record(&mut self, object: &Manifest, tree: &Value, referrer: &Referrer) {
        let namespace = object.namespace().unwrap_or_default().to_owned();
        let spec = &tree["spec"];
        let monitored = || {
            let selector = &spec["namespaceSelector"];
            if selector["any"].as_bool() == Some(true) {
                return Namespaces::Any;
            }
            match selector["matchNames"].as_array() {
                Some(names) => Namespaces::Named(
                    names
                        .iter()
                        .filter_map(Value::as_str)
                        .map(str::to_owned)
                        .collect(),
                ),
                None => Namespaces::Named(vec![namespace.clone()]),
            }
        };
        let (selects, selector, namespaces, path, code) =
            match (object.key.group.as_ref(), object.kind()) {
                ("policy", "PodDisruptionBudget") => (
                    Selects::Pods,
                    &spec["selector"],
                    Namespaces::Named(vec![namespace.clone()]),
                    "spec.selector",
                    Code::SelectsNoPods,
                ),
                ("monitoring.coreos.com", "PodMonitor") => (
                    Selects::Pods,
                    &spec["selector"],
                    monitored(),
                    "spec.selector",
                    Code::SelectsNoPods,
                ),
                ("monitoring.coreos.com", "ServiceMonitor") => (
                    Selects::Services,
                    &spec["selector"],
                    monitored(),
                    "spec.selector",
                    Code::SelectsNoPods,
                ),
                ("networking.k8s.io", "NetworkPolicy") => (
                    Selects::Pods,
                    &spec["podSelector"],
                    Namespaces::Named(vec![namespace.clone()]),
                    "spec.podSelector",
                    Code::NetworkPolicySelectsNoPods,
                ),
                _ => return,
            };
        let named_ports = named_ports(object.kind(), spec);
        let selector = LabelSelector::from_label_selector(selector);
        // An empty podSelector is the namespace's default policy: it means
        // every pod, however many there are.
        if code == Code::NetworkPolicySelectsNoPods && selector.is_empty() && named_ports.is_empty()
        {
            return;
        }
        self.0.push(Selection {
            referrer: referrer.clone(),
            selects,
            selector,
            namespaces,
            path,
            code,
            named_ports,
        });
    }

    pub(super) fn resolve(&self, rendered: &Rendered, diagnostics: &mut Diagnostics) {
        for selection in &self.0 {
            let namespaces: Vec<&str> = match &selection.namespaces {
                Namespaces::Any => rendered.namespaces.iter().map(String::as_str).collect(),
                // Namespaces the platform does not render are not the
                // platform's to check.
                Namespaces::Named(names) => names
                    .iter()
                    .filter(|name| rendered.namespaces.contains(*name))
                    .map(String::as_str)
                    .collect(),
            };
            if namespaces.is_empty() {
                continue;
            }
            let selects_some = namespaces.iter().any(|namespace| match selection.selects {
                Selects::Pods => rendered
                    .selected(namespace, &selection.selector)
                    .next()
                    .is_some(),
                Selects::Services => rendered
                    .selected_services(namespace, &selection.selector)
                    .next()
                    .is_some(),
            });
            if selects_some {
                self.resolve_ports(selection, &namespaces, rendered, diagnostics);
                continue;
            }
            if selection.selector.is_empty() {
                continue;
            }
            let what = match selection.selects {
                Selects::Pods => "pod",
                Selects::Services => "Service",
            };
            let message = format!(
                "{} selects no {what} of namespace{} `{}` at `{}` (selector `{}`)",
                selection.referrer.identity,
                if namespaces.len() == 1 { "" } else { "s" },
                namespaces.join("`, `"),
                selection.path,
                selection.selector
            );
            let diagnostic = if selection.code == Code::NetworkPolicySelectsNoPods {
                Diagnostic::warning(selection.code, message).with_help(
                    "the policy isolates no pod: its podSelector must match the labels of a workload's pod template",
                )
            } else {
                Diagnostic::error(selection.code, message).with_help(match selection.selects {
                    Selects::Pods => "it acts on no pod: its selector must match the labels of a workload's pod template (or of the pods an operator runs)",
                    Selects::Services => "it scrapes nothing: its selector must match the labels of a Service of the selected namespaces",
                })
            };
            diagnostics.push(selection.referrer.locate(diagnostic));
        }
    }

    /// Each port name of `selection` that nothing it selects declares.
    fn resolve_ports(
        &self,
        selection: &Selection,
        namespaces: &[&str],
        rendered: &Rendered,
        diagnostics: &mut Diagnostics,
    ) {
        for (path, port) in &selection.named_ports {
            // Ports by name of everything selected; `None` when one of
            // them has ports nobody knows (an operator's not in the
            // registry), which could be the one.
            let mut declared: Option<Vec<String>> = Some(Vec::new());
            let mut owners = Vec::new();
            for namespace in namespaces {
                match selection.selects {
                    Selects::Pods => {
                        for pods in rendered.selected(namespace, &selection.selector) {
                            owners.push(pods.owner.clone());
                            match (&pods.named_ports, declared.as_mut()) {
                                (Some(ports), Some(names)) => names.extend(ports.keys().cloned()),
                                _ => declared = None,
                            }
                        }
                    }
                    Selects::Services => {
                        for name in rendered.selected_services(namespace, &selection.selector) {
                            owners.push(format!("Service `{namespace}/{name}`"));
                            let ports = rendered
                                .service(namespace, name)
                                .and_then(|service| service.ports.as_ref());
                            match (ports, declared.as_mut()) {
                                (Some(ports), Some(names)) => {
                                    names.extend(ports.iter().filter_map(|p| p.name.clone()));
                                }
                                _ => declared = None,
                            }
                        }
                    }
                }
            }
            let Some(mut declared) = declared else {
                continue;
            };
            if declared.contains(port) {
                continue;
            }
            declared.sort();
            declared.dedup();
            owners.sort();
            owners.dedup();
            let names = if declared.is_empty() {
                "none".to_owned()
            } else {
                format!("`{}`", declared.join("`, `"))
            };
            diagnostics.push(selection.referrer.locate(
                Diagnostic::error(
                    Code::UnknownPortName,
                    format!(
                        "{} names port `{port}` at `{path}`, which {} {} not declare (named ports: {names})",
                        selection.referrer.identity,
                        match selection.selects {
                            Selects::Pods => format!("the pods of {}", owners.join(", ")),
                            Selects::Services => owners.join(", "),
                        },
                        if owners.len() == 1 && selection.selects == Selects::Services { "does" } else { "do" },
                    ),
                )
                .with_help(match selection.selects {
                    Selects::Pods => "a port name must be the name of a container port of the selected pods (for an operator's pods, one the operator declares): name one, or use the port's number",
                    Selects::Services => "a ServiceMonitor's port must be the name of a port of the selected Services: name one",
                }),
            ));
        }
    }
}

/// The port names a monitor or network policy uses, with their paths.
fn named_ports(kind: &str, spec: &Value) -> Vec<(String, String)> {
    let mut found = Vec::new();
    let mut list = |items: &Value, prefix: &str, field: &str| {
        for (i, item) in items.as_array().into_iter().flatten().enumerate() {
            if let Some(name) = item[field].as_str() {
                found.push((format!("{prefix}[{i}].{field}"), name.to_owned()));
            }
        }
    };
    match kind {
        "PodMonitor" => list(
            &spec["podMetricsEndpoints"],
            "spec.podMetricsEndpoints",
            "port",
        ),
        "ServiceMonitor" => list(&spec["endpoints"], "spec.endpoints", "port"),
        // Named ports of ingress rules are those of the policy's own pods;
        // an egress rule's are the destination's, which the rule's peers
        // select across namespaces: not checked.
        "NetworkPolicy" => {
            for (r, rule) in spec["ingress"].as_array().into_iter().flatten().enumerate() {
                list(&rule["ports"], &format!("spec.ingress[{r}].ports"), "port");
            }
        }
        _ => {}
    }
    found
}

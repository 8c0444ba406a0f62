//! Every Service with a selector selects pods of its namespace, and each
//! named `targetPort` is a container port of every pod it selects. A
//! Service that selects nothing applies cleanly and has no endpoints:
//! connections to it are refused, and nothing says why (PG5004).

use serde_json::Value;

use super::label_selector::LabelSelector;
use super::referrer::Referrer;
use super::rendered::Rendered;
use crate::diagnostic::{Code, Diagnostic, Diagnostics};
use crate::object::Manifest;

#[derive(Debug)]
struct Selection {
    referrer: Referrer,
    namespace: String,
    selector: LabelSelector,
    /// Named target ports, with the index of their port.
    named_target_ports: Vec<(usize, String)>,
}

/// The selections of the render's Services.
#[derive(Debug, Default)]
pub(super) struct ServiceSelections(Vec<Selection>);

impl ServiceSelections {
    pub(super) fn record(&mut self, object: &Manifest, tree: &Value, referrer: &Referrer) {
        if (object.key.group.as_ref(), object.kind()) != ("", "Service") {
            return;
        }
        // A Service without a selector has its endpoints managed by hand
        // (or is an ExternalName): nothing to resolve.
        let selector = LabelSelector::from_map(&tree["spec"]["selector"]);
        if selector.is_empty() {
            return;
        }
        let named_target_ports = tree["spec"]["ports"]
            .as_array()
            .into_iter()
            .flatten()
            .enumerate()
            .filter_map(|(index, port)| Some((index, port["targetPort"].as_str()?.to_owned())))
            .collect();
        self.0.push(Selection {
            referrer: referrer.clone(),
            namespace: object.namespace().unwrap_or_default().to_owned(),
            selector,
            named_target_ports,
        });
    }

    pub(super) fn resolve(&self, rendered: &Rendered, diagnostics: &mut Diagnostics) {
        for selection in &self.0 {
            let selected: Vec<_> = rendered
                .selected(&selection.namespace, &selection.selector)
                .collect();
            if selected.is_empty() {
                diagnostics.push(selection.referrer.locate(
                    Diagnostic::error(
                        Code::ServiceSelectsNoPods,
                        format!(
                            "{} selects no pod of namespace `{}` (selector `{}`)",
                            selection.referrer.identity, selection.namespace, selection.selector
                        ),
                    )
                    .with_help(
                        "a Service without pods has no endpoints and refuses every connection: its selector must match the labels of a workload's pod template",
                    ),
                ));
                continue;
            }
            for (index, port) in &selection.named_target_ports {
                let without = selected.iter().find(|pods| {
                    pods.named_ports
                        .as_ref()
                        .is_some_and(|ports| !ports.contains_key(port))
                });
                if let Some(pods) = without {
                    diagnostics.push(selection.referrer.locate(
                        Diagnostic::error(
                            Code::ServiceSelectsNoPods,
                            format!(
                                "{} sends `spec.ports[{index}]` to target port `{port}`, which the pods of {} do not declare",
                                selection.referrer.identity, pods.owner
                            ),
                        )
                        .with_help(
                            "a named target port must be the name of a container port of every selected pod, or the Service has no endpoint on it",
                        ),
                    ));
                }
            }
        }
    }
}

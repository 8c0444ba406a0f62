//! `Rendered`: what one environment's render provides, recorded object by
//! object as it is lowered: every object by kind and name (and those its
//! operator resources create, from the kind registry's `creates`), the
//! namespaces, the Services with their labels and ports, and the pods. The
//! integrity rules resolve their references against it once the render is
//! complete. Only names, labels and ports are kept, never the objects.

use std::collections::{BTreeMap, BTreeSet};

use serde_json::Value;

use super::label_index::LabelIndex;
use super::label_selector::{LabelSelector, labels};
use super::pods::Pods;
use crate::object::Manifest;

/// One port of a Service.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) struct ServicePort {
    pub(super) number: u64,
    pub(super) name: Option<String>,
}

/// A Service of the render.
#[derive(Debug, Clone, Default)]
pub(super) struct Service {
    /// `None` for a Service an operator creates: its ports are the
    /// operator's to choose.
    pub(super) ports: Option<Vec<ServicePort>>,
}

impl Service {
    /// The port numbers, for messages: `5432, 8080`.
    pub(super) fn port_list(&self) -> String {
        self.ports
            .iter()
            .flatten()
            .map(|port| match &port.name {
                Some(name) => format!("{} ({name})", port.number),
                None => port.number.to_string(),
            })
            .collect::<Vec<_>>()
            .join(", ")
    }
}

#[derive(Debug, Default)]
pub(super) struct Rendered {
    /// Every object rendered or created by an operator resource of the
    /// render, by kind, then namespace (empty for cluster-scoped objects),
    /// then name. Nested rather than keyed by (kind, namespace, name): an
    /// insert compares names only and allocates a kind or namespace once,
    /// and a lookup allocates nothing (a 10,000-service render records
    /// 75,000 objects here).
    objects: BTreeMap<String, BTreeMap<String, BTreeSet<String>>>,
    /// The namespaces the platform renders.
    pub(super) namespaces: BTreeSet<String>,
    /// Services by (namespace, name).
    pub(super) services: BTreeMap<(String, String), Service>,
    pods: LabelIndex<Pods>,
    /// The Services' names, by their labels (what a ServiceMonitor selects).
    service_labels: LabelIndex<String>,
}

impl Rendered {
    /// Records what `object` provides.
    pub(super) fn record(&mut self, object: &Manifest, tree: &Value, from: &str) {
        let namespace = object.namespace().unwrap_or_default().to_owned();
        // For an object that asks a ClusterIssuer for its certificate,
        // cert-manager runs the ACME HTTP-01 solver's pods in its namespace
        // while a challenge lasts: the network policies that let them
        // answer select them by this label.
        if crate::object::path::at(
            tree,
            &["metadata", "annotations", "cert-manager.io/cluster-issuer"],
        )
        .is_some()
        {
            self.add_pods(
                &namespace,
                Pods::operator(
                    [("acme.cert-manager.io/http01-solver", "true")],
                    "cert-manager's HTTP-01 solver",
                ),
            );
        }
        let mut exists = |kind: &str, name: &str| {
            let by_namespace = match self.objects.get_mut(kind) {
                Some(by_namespace) => by_namespace,
                None => self.objects.entry(kind.to_owned()).or_default(),
            };
            let names = match by_namespace.get_mut(&namespace) {
                Some(names) => names,
                None => by_namespace.entry(namespace.clone()).or_default(),
            };
            names.insert(name.to_owned());
        };
        exists(object.kind(), object.name());
        match (object.key.group.as_ref(), object.kind()) {
            ("", "Namespace") => {
                self.namespaces.insert(object.name().to_owned());
            }
            ("", "Service") => {
                let ports = tree["spec"]["ports"]
                    .as_array()
                    .into_iter()
                    .flatten()
                    .filter_map(|port| {
                        Some(ServicePort {
                            number: port["port"].as_u64()?,
                            name: port["name"].as_str().map(str::to_owned),
                        })
                    })
                    .collect();
                self.service_labels.add(
                    &namespace,
                    labels(&tree["metadata"]["labels"]),
                    object.name().to_owned(),
                );
                self.services.insert(
                    (namespace.clone(), object.name().to_owned()),
                    Service { ports: Some(ports) },
                );
            }
            // The External Secrets Operator writes the Secret its target
            // names; the Sealed Secrets controller one of its own name.
            ("external-secrets.io", "ExternalSecret") => {
                let target = tree["spec"]["target"]["name"]
                    .as_str()
                    .unwrap_or(object.name());
                exists("Secret", target);
            }
            ("bitnami.com", "SealedSecret") => exists("Secret", object.name()),
            // cert-manager keeps a certificate in the Secret it names.
            ("cert-manager.io", "Certificate") => {
                if let Some(secret) = tree["spec"]["secretName"].as_str() {
                    exists("Secret", secret);
                }
            }
            // The MongoDB Community Operator writes each user's connection
            // Secret under the name the user's entry gives.
            ("mongodbcommunity.mongodb.com", "MongoDBCommunity") => {
                for user in tree["spec"]["users"].as_array().into_iter().flatten() {
                    if let Some(name) = user["connectionStringSecretName"].as_str() {
                        exists("Secret", name);
                    }
                }
            }
            _ => {}
        }
        let Some(kind) = object.kind_info() else {
            return;
        };
        for created in kind.creates {
            let name = created.name.replace("{name}", object.name());
            exists(created.kind, &name);
            if created.group.is_empty() && created.kind == "Service" {
                self.services.entry((namespace.clone(), name)).or_default();
            }
        }
        for pods in Pods::of(kind, tree, object.name(), from) {
            self.add_pods(&namespace, pods);
        }
    }

    fn add_pods(&mut self, namespace: &str, mut pods: Pods) {
        let labels = std::mem::take(&mut pods.labels);
        self.pods.add(namespace, labels, pods);
    }

    pub(super) fn has(&self, kind: &str, namespace: &str, name: &str) -> bool {
        self.objects
            .get(kind)
            .and_then(|by_namespace| by_namespace.get(namespace))
            .is_some_and(|names| names.contains(name))
    }

    pub(super) fn service(&self, namespace: &str, name: &str) -> Option<&Service> {
        self.services.get(&(namespace.to_owned(), name.to_owned()))
    }

    /// The pods of `namespace` that `selector` selects.
    pub(super) fn selected<'a>(
        &'a self,
        namespace: &str,
        selector: &'a LabelSelector,
    ) -> impl Iterator<Item = &'a Pods> + 'a {
        self.pods.selected(namespace, selector)
    }

    /// The names of the Services of `namespace` that `selector` selects.
    pub(super) fn selected_services<'a>(
        &'a self,
        namespace: &str,
        selector: &'a LabelSelector,
    ) -> impl Iterator<Item = &'a String> + 'a {
        self.service_labels.selected(namespace, selector)
    }
}

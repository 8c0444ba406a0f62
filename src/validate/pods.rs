//! `Pods`: the pods a render will run, as the integrity rules need them: the
//! labels and the named container ports. They come from the
//! pod template of every kind the kind registry says has one (Deployment,
//! StatefulSet, Job, CronJob, a Rollout, …), and from the operator
//! resources whose operator runs pods with labels the registry lists
//! (`pod_labels`: CloudNativePG's `cnpg.io/cluster: <name>`, …), with the
//! named ports it lists for them (`pod_ports`).

use std::collections::BTreeMap;

use serde_json::Value;

use super::label_selector::labels;
use crate::object::kinds::Kind;

/// The pods of one object of the render.
#[derive(Debug, Clone)]
pub(super) struct Pods {
    /// The object that runs them, `Deployment `shop/web``.
    pub(super) owner: String,
    pub(super) labels: BTreeMap<String, String>,
    /// Container ports by name; `None` for an operator's pods whose ports
    /// the kind registry does not know (`pod_ports`).
    pub(super) named_ports: Option<BTreeMap<String, u64>>,
}

impl Pods {
    /// The pods `object` (of registry row `kind`) runs or has its operator
    /// run, if any: one set per pod template, one per label set the
    /// registry lists for the operator.
    pub(super) fn of(kind: &Kind, tree: &Value, name: &str, owner: &str) -> Vec<Self> {
        if let Some(path) = kind.pod_template {
            let template = path.iter().fold(tree, |node, key| &node[*key]);
            return vec![Self {
                owner: owner.to_owned(),
                labels: labels(&template["metadata"]["labels"]),
                named_ports: Some(template_ports(template)),
            }];
        }
        if kind.pod_labels.is_empty() {
            return Vec::new();
        }
        let named_ports = kind.pod_ports.map(|ports| {
            let mut named: BTreeMap<String, u64> = ports
                .ports
                .iter()
                .filter(|port| {
                    port.when.is_empty() || {
                        let value = port.when.iter().fold(tree, |node, key| &node[*key]);
                        !value.is_null() && *value != Value::Bool(false)
                    }
                })
                .map(|port| (port.name.to_owned(), u64::from(port.number)))
                .collect();
            if let Some(path) = ports.merged_template {
                named.extend(template_ports(
                    path.iter().fold(tree, |node, key| &node[*key]),
                ));
            }
            named
        });
        std::iter::once(kind.pod_labels)
            .chain(kind.more_pods.iter().copied())
            .map(|set| {
                let mut pods = Self::operator(
                    set.iter()
                        .map(|(key, value)| (*key, value.replace("{name}", name))),
                    owner,
                );
                pods.named_ports.clone_from(&named_ports);
                pods
            })
            .collect()
    }

    /// Pods an operator runs, with these labels.
    pub(super) fn operator<V: Into<String>>(
        labels: impl IntoIterator<Item = (&'static str, V)>,
        owner: &str,
    ) -> Self {
        Self {
            owner: owner.to_owned(),
            labels: labels
                .into_iter()
                .map(|(key, value)| (key.to_owned(), value.into()))
                .collect(),
            named_ports: None,
        }
    }
}

/// The named container ports of a pod template's containers.
fn template_ports(template: &Value) -> BTreeMap<String, u64> {
    ["initContainers", "containers"]
        .iter()
        .flat_map(|list| template["spec"][*list].as_array().into_iter().flatten())
        .flat_map(|container| container["ports"].as_array().into_iter().flatten())
        .filter_map(|port| {
            Some((
                port["name"].as_str()?.to_owned(),
                port["containerPort"].as_u64()?,
            ))
        })
        .collect()
}

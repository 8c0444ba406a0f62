//! NetworkPolicies: a default deny of ingress and egress in every namespace of
//! the platform, and one policy per workload (named after it) that opens
//! exactly the flows of the [`FlowGraph`] into and out of its pods. Both sides
//! of every flow between the platform's pods are opened: the sender's egress
//! and the receiver's ingress, as Kubernetes needs both.

use std::collections::BTreeMap;

use k8s_openapi::api::networking::v1::{
    IPBlock, NetworkPolicy, NetworkPolicyEgressRule, NetworkPolicyIngressRule, NetworkPolicyPeer,
    NetworkPolicyPort, NetworkPolicySpec,
};
use k8s_openapi::apimachinery::pkg::apis::meta::v1::{LabelSelector, ObjectMeta};
use k8s_openapi::apimachinery::pkg::util::intstr::IntOrString;

use super::Objects;
use super::push;
use crate::graph::{Flow, FlowGraph, FlowPort, Peer};
use crate::model::labels;
use crate::model::{NamespaceModel, PlatformModel, WorkloadModel};

/// Name of the per-namespace default deny.
pub(super) const DEFAULT_DENY: &str = "default-deny";
/// The label the API server sets on every Namespace to its name: the only
/// namespace label a policy can rely on for namespaces the platform does not
/// manage (the ingress controller's, `kube-system`).
const NAMESPACE_NAME_LABEL: &str = "kubernetes.io/metadata.name";

/// The platform-wide NetworkPolicies: each namespace's default deny and the
/// policies of the pods operators run. `graph` is `None` when
/// `network.policies` is off.
pub(super) fn platform_objects(
    platform: &PlatformModel,
    graph: Option<&FlowGraph>,
    manifests: &mut Objects,
) {
    let Some(graph) = graph else {
        return;
    };
    for namespace in &platform.namespaces {
        push(
            manifests,
            &default_deny(platform, namespace),
            namespace.origin,
        );
    }
    for group in &platform.pod_groups {
        let mut labels = labels::platform_labels(platform);
        labels.insert(labels::NAME.to_owned(), group.name.clone());
        push(
            manifests,
            &policy(
                graph,
                &group.name,
                &group.namespace,
                labels,
                group.pod_labels.clone(),
            ),
            group.origin,
        );
    }
}

/// The NetworkPolicy of `workload`, when `network.policies` is on.
pub(super) fn workload_object(
    platform: &PlatformModel,
    workload: &WorkloadModel,
    graph: Option<&FlowGraph>,
    manifests: &mut Objects,
) {
    if let Some(graph) = graph {
        push(
            manifests,
            &workload_policy(platform, workload, graph),
            workload.origin,
        );
    }
}

fn default_deny(platform: &PlatformModel, namespace: &NamespaceModel) -> NetworkPolicy {
    NetworkPolicy {
        metadata: ObjectMeta {
            name: Some(DEFAULT_DENY.to_owned()),
            namespace: Some(namespace.name.clone()),
            labels: Some(labels::platform_labels(platform)),
            ..ObjectMeta::default()
        },
        spec: Some(NetworkPolicySpec {
            pod_selector: Some(LabelSelector::default()),
            policy_types: Some(vec!["Ingress".to_owned(), "Egress".to_owned()]),
            ..NetworkPolicySpec::default()
        }),
    }
}

/// The policy of `workload`: its ingress and egress rules, one per flow.
fn workload_policy(
    platform: &PlatformModel,
    workload: &WorkloadModel,
    graph: &FlowGraph,
) -> NetworkPolicy {
    policy(
        graph,
        &workload.name,
        &workload.namespace,
        labels::workload_labels(platform, workload),
        labels::selector_labels(platform, workload),
    )
}

/// The policy of the pods of peer `name` (a workload or an operator-run pod
/// group), selected by `pod_labels`.
fn policy(
    graph: &FlowGraph,
    name: &str,
    namespace: &str,
    object_labels: BTreeMap<String, String>,
    pod_labels: BTreeMap<String, String>,
) -> NetworkPolicy {
    let this = graph
        .workload_peer(name)
        .expect("every workload and pod group is a peer of the flow graph");
    let ingress: Vec<NetworkPolicyIngressRule> = graph
        .flows_to(this)
        .map(|flow| NetworkPolicyIngressRule {
            from: Some(peers(&graph.peers[flow.from])),
            ports: Some(ports(flow)),
        })
        .collect();
    let egress: Vec<NetworkPolicyEgressRule> = graph
        .flows_from(this)
        .map(|flow| NetworkPolicyEgressRule {
            to: Some(peers(&graph.peers[flow.to])),
            ports: Some(ports(flow)),
        })
        .collect();
    NetworkPolicy {
        metadata: ObjectMeta {
            name: Some(name.to_owned()),
            namespace: Some(namespace.to_owned()),
            labels: Some(object_labels),
            ..ObjectMeta::default()
        },
        spec: Some(NetworkPolicySpec {
            pod_selector: Some(match_labels(pod_labels)),
            // Both types always: a type without rules denies that direction,
            // which keeps the workload closed even without the default deny.
            policy_types: Some(vec!["Ingress".to_owned(), "Egress".to_owned()]),
            ingress: (!ingress.is_empty()).then_some(ingress),
            egress: (!egress.is_empty()).then_some(egress),
        }),
    }
}

/// How a rule names a peer: pods by namespace (and labels), or addresses.
fn peers(peer: &Peer) -> Vec<NetworkPolicyPeer> {
    if let Some((namespace, pod_labels)) = peer.pods() {
        // Namespace and pod selector in one peer: pods matching both (an AND),
        // across namespaces as within one.
        return vec![NetworkPolicyPeer {
            namespace_selector: Some(match_labels(BTreeMap::from([(
                NAMESPACE_NAME_LABEL.to_owned(),
                namespace.to_owned(),
            )]))),
            pod_selector: (!pod_labels.is_empty()).then(|| match_labels(pod_labels)),
            ..NetworkPolicyPeer::default()
        }];
    }
    peer.blocks()
        .into_iter()
        .map(|block| NetworkPolicyPeer {
            ip_block: Some(IPBlock {
                cidr: block.cidr,
                except: (!block.except.is_empty()).then_some(block.except),
            }),
            ..NetworkPolicyPeer::default()
        })
        .collect()
}

fn ports(flow: &Flow) -> Vec<NetworkPolicyPort> {
    flow.ports
        .iter()
        .map(
            |FlowPort {
                 port,
                 end_port,
                 protocol,
             }| NetworkPolicyPort {
                port: Some(IntOrString::Int(i32::from(*port))),
                end_port: end_port.map(i32::from),
                protocol: Some(protocol.as_str().to_owned()),
            },
        )
        .collect()
}

fn match_labels(labels: BTreeMap<String, String>) -> LabelSelector {
    LabelSelector {
        match_labels: Some(labels),
        ..LabelSelector::default()
    }
}

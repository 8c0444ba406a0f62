//! NetworkPolicy `acme-http01-solver`: lets the ingress controller reach
//! cert-manager's HTTP-01 solver pods despite the default deny. cert-manager
//! starts a solver pod (label `acme.cert-manager.io/http01-solver: "true"`,
//! TCP 8089) in the namespace of each Certificate for the length of a
//! challenge: the exposed workloads' namespaces with Ingresses, the Gateway's
//! namespace in Gateway API mode. Without this policy no ACME certificate
//! could be issued or renewed. Rendered only with a generated ACME issuer,
//! network policies on and a known controller namespace.

use std::collections::{BTreeMap, BTreeSet};

use k8s_openapi::api::networking::v1::{
    NetworkPolicy, NetworkPolicyIngressRule, NetworkPolicyPeer, NetworkPolicyPort,
    NetworkPolicySpec,
};
use k8s_openapi::apimachinery::pkg::apis::meta::v1::{LabelSelector, ObjectMeta};
use k8s_openapi::apimachinery::pkg::util::intstr::IntOrString;

use crate::capabilities::ingress::model::{IssuerModel, RoutingModel, TlsModel};
use crate::model::PlatformModel;
use crate::model::labels;

pub(super) const NAME: &str = "acme-http01-solver";
const SOLVER_LABEL: &str = "acme.cert-manager.io/http01-solver";
const SOLVER_PORT: i32 = 8089;

/// The solver policies, one per namespace solver pods run in.
pub(super) fn policies(platform: &PlatformModel) -> Vec<NetworkPolicy> {
    let Some(TlsModel {
        generated: Some(IssuerModel::Acme { .. }),
        ..
    }) = crate::capabilities::ingress::model::routing(platform).tls
    else {
        return Vec::new();
    };
    if !platform.network.policies {
        return Vec::new();
    }
    // Per namespace solver pods run in, the controllers that must reach them:
    // each exposure's (an internal class's controller solves its own hosts'
    // challenges), or the Gateway's proxies.
    let mut solvers: BTreeMap<&str, BTreeSet<&str>> = BTreeMap::new();
    match &crate::capabilities::ingress::model::routing(platform).routing {
        RoutingModel::Ingress { .. } => {
            for workload in &platform.workloads {
                for exposure in crate::capabilities::ingress::model::exposures(workload) {
                    if let Some(controller) = &exposure.controller_namespace {
                        solvers
                            .entry(workload.namespace.as_str())
                            .or_default()
                            .insert(controller);
                    }
                }
            }
        }
        RoutingModel::Gateway(gateway) => {
            if let Some(controller) = &platform.ingress_controller_namespace {
                solvers
                    .entry(gateway.namespace.as_str())
                    .or_default()
                    .insert(controller);
            }
        }
    }
    solvers
        .into_iter()
        .map(|(namespace, controllers)| policy(platform, namespace, &controllers))
        .collect()
}

fn policy(
    platform: &PlatformModel,
    namespace: &str,
    controllers: &BTreeSet<&str>,
) -> NetworkPolicy {
    // One peer per controller namespace: pods of any of them.
    let from = controllers
        .iter()
        .map(|controller| NetworkPolicyPeer {
            namespace_selector: Some(LabelSelector {
                match_labels: Some(BTreeMap::from([(
                    "kubernetes.io/metadata.name".to_owned(),
                    (*controller).to_owned(),
                )])),
                ..LabelSelector::default()
            }),
            ..NetworkPolicyPeer::default()
        })
        .collect();
    NetworkPolicy {
        metadata: ObjectMeta {
            name: Some(NAME.to_owned()),
            namespace: Some(namespace.to_owned()),
            labels: Some(labels::platform_labels(platform)),
            ..ObjectMeta::default()
        },
        spec: Some(NetworkPolicySpec {
            pod_selector: Some(LabelSelector {
                match_labels: Some(BTreeMap::from([(
                    SOLVER_LABEL.to_owned(),
                    "true".to_owned(),
                )])),
                ..LabelSelector::default()
            }),
            policy_types: Some(vec!["Ingress".to_owned()]),
            ingress: Some(vec![NetworkPolicyIngressRule {
                from: Some(from),
                ports: Some(vec![NetworkPolicyPort {
                    port: Some(IntOrString::Int(SOLVER_PORT)),
                    protocol: Some("TCP".to_owned()),
                    ..NetworkPolicyPort::default()
                }]),
            }]),
            ..NetworkPolicySpec::default()
        }),
    }
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;
    use crate::testing::platform;

    #[track_caller]
    fn case(overlay: &str, expected_namespaces: &[&str]) {
        let platform = platform(overlay);
        let found: Vec<_> = policies(&platform)
            .iter()
            .map(|policy| serde_json::to_value(policy).expect("serializes"))
            .collect();
        let namespaces: Vec<_> = found
            .iter()
            .map(|p| {
                p["metadata"]["namespace"]
                    .as_str()
                    .unwrap_or_default()
                    .to_owned()
            })
            .collect();
        assert_eq!(namespaces, expected_namespaces);
        for policy in found {
            assert_eq!(
                policy["spec"],
                json!({
                    "podSelector": { "matchLabels": { SOLVER_LABEL: "true" } },
                    "policyTypes": ["Ingress"],
                    "ingress": [{
                        "from": [{ "namespaceSelector": { "matchLabels": {
                            "kubernetes.io/metadata.name": "ingress-nginx",
                        } } }],
                        "ports": [{ "port": 8089, "protocol": "TCP" }],
                    }],
                })
            );
        }
    }

    const ACME: &str = "tls: { issuer: letsencryptStaging, email: ops@example.com }";

    #[test]
    fn solver_pods_run_beside_the_certificates() {
        case(&format!("ingress: {{ {ACME} }}"), &["shop"]);
        case(
            &format!(
                "ingress: {{ mode: gateway, gateway: {{ className: eg, namespace: edge }}, {ACME} }}"
            ),
            &["edge"],
        );
    }

    #[test]
    fn only_for_acme_issuers_with_network_policies() {
        case("ingress: { tls: { issuer: selfSigned } }", &[]);
        case("ingress: { tls: { issuer: { existing: corp-ca } } }", &[]);
        case(
            &format!("ingress: {{ {ACME} }}\nnetwork: {{ policies: false }}"),
            &[],
        );
    }
}

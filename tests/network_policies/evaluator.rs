//! A small, independent NetworkPolicy evaluator for the subset of the API the
//! renders use (pod and namespace selectors by `matchLabels`, `ipBlock` with
//! `except`, numeric and named ports with protocols, numeric port ranges
//! with `endPort`, `policyTypes`), written
//! from the Kubernetes documentation rather than from platformgen's code:
//!
//! - a pod is isolated for a direction when any policy of its namespace
//!   selects it and lists that direction in `policyTypes`;
//! - an isolated pod admits a connection when some such policy has a rule
//!   whose peers and ports both match (absent lists match everything);
//! - a connection between two pods needs the sender's egress *and* the
//!   receiver's ingress to allow it.
//!
//! Anything outside that subset (`matchExpressions`, `endPort` on a named
//! port) panics, so a
//! render that starts using it fails the tests instead of being misjudged.

use std::collections::BTreeMap;
use std::net::IpAddr;

use serde_json::Value;

pub(super) type Labels = BTreeMap<String, String>;

/// Something that sends or receives traffic: a pod (with a namespace) or an
/// address outside the cluster (without one).
#[derive(Debug, Clone)]
pub(super) struct Endpoint {
    pub(super) name: String,
    pub(super) namespace: Option<String>,
    pub(super) labels: Labels,
    pub(super) ip: IpAddr,
    /// Container ports by name, for named ports in rules.
    pub(super) named_ports: BTreeMap<String, (u16, String)>,
}

impl Endpoint {
    pub(super) fn pod(name: &str, namespace: &str, labels: &[(&str, &str)], ip: &str) -> Self {
        Endpoint {
            name: name.to_owned(),
            namespace: Some(namespace.to_owned()),
            labels: labels
                .iter()
                .map(|(k, v)| ((*k).to_owned(), (*v).to_owned()))
                .collect(),
            ip: ip.parse().expect("test IP"),
            named_ports: BTreeMap::new(),
        }
    }

    pub(super) fn address(name: &str, ip: &str) -> Self {
        Endpoint {
            name: name.to_owned(),
            namespace: None,
            labels: Labels::new(),
            ip: ip.parse().expect("test IP"),
            named_ports: BTreeMap::new(),
        }
    }
}

#[derive(Debug)]
struct Selector(Labels);

impl Selector {
    fn parse(value: &Value) -> Selector {
        let object = value.as_object().expect("a label selector is an object");
        for key in object.keys() {
            assert_eq!(key, "matchLabels", "unsupported selector field `{key}`");
        }
        let labels = object
            .get("matchLabels")
            .and_then(Value::as_object)
            .map(|m| {
                m.iter()
                    .map(|(k, v)| (k.clone(), v.as_str().expect("label value").to_owned()))
                    .collect()
            })
            .unwrap_or_default();
        Selector(labels)
    }

    fn matches(&self, labels: &Labels) -> bool {
        self.0.iter().all(|(k, v)| labels.get(k) == Some(v))
    }
}

#[derive(Debug)]
enum PeerRule {
    Pods {
        namespaces: Option<Selector>,
        pods: Option<Selector>,
    },
    Block {
        cidr: (IpAddr, u8),
        except: Vec<(IpAddr, u8)>,
    },
}

#[derive(Debug)]
struct PortRule {
    port: Option<Value>,
    /// The last port of a range starting at `port`.
    end_port: Option<u64>,
    protocol: String,
}

#[derive(Debug)]
struct Rule {
    peers: Option<Vec<PeerRule>>,
    ports: Option<Vec<PortRule>>,
}

#[derive(Debug)]
struct Policy {
    name: String,
    namespace: String,
    selector: Selector,
    ingress: Option<Vec<Rule>>,
    egress: Option<Vec<Rule>>,
}

/// The namespaces (with their labels) and policies of a cluster.
pub(super) struct Cluster {
    namespaces: BTreeMap<String, Labels>,
    policies: Vec<Policy>,
}

impl Cluster {
    /// From rendered objects; namespaces outside the render (the ingress
    /// controller's, `kube-system`) get the label the API server sets on
    /// every namespace, `kubernetes.io/metadata.name`.
    pub(super) fn new(objects: &[Value], other_namespaces: &[&str]) -> Cluster {
        let mut namespaces: BTreeMap<String, Labels> = other_namespaces
            .iter()
            .map(|n| {
                (
                    (*n).to_owned(),
                    Labels::from([("kubernetes.io/metadata.name".to_owned(), (*n).to_owned())]),
                )
            })
            .collect();
        let mut policies = Vec::new();
        for object in objects {
            match object["kind"].as_str() {
                Some("Namespace") => {
                    let name = object["metadata"]["name"]
                        .as_str()
                        .expect("name")
                        .to_owned();
                    let mut labels: Labels = object["metadata"]["labels"]
                        .as_object()
                        .map(|m| {
                            m.iter()
                                .map(|(k, v)| (k.clone(), v.as_str().expect("label").to_owned()))
                                .collect()
                        })
                        .unwrap_or_default();
                    labels.insert("kubernetes.io/metadata.name".to_owned(), name.clone());
                    namespaces.insert(name, labels);
                }
                Some("NetworkPolicy") => policies.push(parse_policy(object)),
                _ => {}
            }
        }
        Cluster {
            namespaces,
            policies,
        }
    }

    pub(super) fn policy_count(&self) -> usize {
        self.policies.len()
    }

    /// Whether `from` may open a connection to `to` on `port`/`protocol`.
    pub(super) fn allows(&self, from: &Endpoint, to: &Endpoint, port: u16, protocol: &str) -> bool {
        self.egress_allows(from, to, port, protocol)
            && self.ingress_allows(from, to, port, protocol)
    }

    fn egress_allows(&self, from: &Endpoint, to: &Endpoint, port: u16, protocol: &str) -> bool {
        let Some(namespace) = &from.namespace else {
            return true; // not a pod: no policy governs what it sends
        };
        let selecting: Vec<&Policy> = self
            .policies
            .iter()
            .filter(|p| &p.namespace == namespace && p.selector.matches(&from.labels))
            .filter(|p| p.egress.is_some())
            .collect();
        if selecting.is_empty() {
            return true;
        }
        selecting.iter().any(|policy| {
            policy
                .egress
                .as_ref()
                .expect("filtered")
                .iter()
                .any(|rule| {
                    self.peers_match(policy, rule, to) && ports_match(rule, to, port, protocol)
                })
        })
    }

    fn ingress_allows(&self, from: &Endpoint, to: &Endpoint, port: u16, protocol: &str) -> bool {
        let Some(namespace) = &to.namespace else {
            return true;
        };
        let selecting: Vec<&Policy> = self
            .policies
            .iter()
            .filter(|p| &p.namespace == namespace && p.selector.matches(&to.labels))
            .filter(|p| p.ingress.is_some())
            .collect();
        if selecting.is_empty() {
            return true;
        }
        selecting.iter().any(|policy| {
            policy
                .ingress
                .as_ref()
                .expect("filtered")
                .iter()
                .any(|rule| {
                    self.peers_match(policy, rule, from) && ports_match(rule, to, port, protocol)
                })
        })
    }

    /// Whether `rule`'s peers (of `policy`) include `other`, the far end.
    fn peers_match(&self, policy: &Policy, rule: &Rule, other: &Endpoint) -> bool {
        let Some(peers) = &rule.peers else {
            return true;
        };
        peers.iter().any(|peer| match peer {
            PeerRule::Block { cidr, except } => {
                contains(*cidr, other.ip) && !except.iter().any(|e| contains(*e, other.ip))
            }
            PeerRule::Pods { namespaces, pods } => {
                let Some(namespace) = &other.namespace else {
                    return false;
                };
                let namespace_ok = match namespaces {
                    // Without a namespace selector, the policy's own namespace.
                    None => *namespace == policy.namespace,
                    Some(selector) => self
                        .namespaces
                        .get(namespace)
                        .is_some_and(|labels| selector.matches(labels)),
                };
                namespace_ok && pods.as_ref().is_none_or(|s| s.matches(&other.labels))
            }
        })
    }

    /// Names of the policies, for messages.
    pub(super) fn policy_names(&self) -> Vec<String> {
        self.policies
            .iter()
            .map(|p| format!("{}/{}", p.namespace, p.name))
            .collect()
    }
}

fn ports_match(rule: &Rule, to: &Endpoint, port: u16, protocol: &str) -> bool {
    let Some(ports) = &rule.ports else {
        return true;
    };
    ports.iter().any(|rule_port| {
        rule_port.protocol == protocol
            && match &rule_port.port {
                None => true,
                // `endPort` makes the numeric `port` the first of an
                // inclusive range.
                Some(Value::Number(n)) => n.as_u64().is_some_and(|start| {
                    let end = rule_port.end_port.unwrap_or(start);
                    (start..=end).contains(&u64::from(port))
                }),
                Some(Value::String(name)) => to
                    .named_ports
                    .get(name)
                    .is_some_and(|(p, proto)| *p == port && proto == protocol),
                Some(other) => panic!("unsupported port {other}"),
            }
    })
}

fn parse_policy(object: &Value) -> Policy {
    let spec = object["spec"].as_object().expect("NetworkPolicy spec");
    for key in spec.keys() {
        assert!(
            ["podSelector", "policyTypes", "ingress", "egress"].contains(&key.as_str()),
            "unsupported NetworkPolicy field `{key}`"
        );
    }
    let types: Vec<&str> = match spec.get("policyTypes") {
        Some(types) => types
            .as_array()
            .expect("policyTypes")
            .iter()
            .map(|t| t.as_str().expect("policy type"))
            .collect(),
        // The API's default: Ingress, plus Egress when there are egress rules.
        None if spec.contains_key("egress") => vec!["Ingress", "Egress"],
        None => vec!["Ingress"],
    };
    let rules = |direction: &str, peers_key: &str| -> Option<Vec<Rule>> {
        let kind = if direction == "ingress" {
            "Ingress"
        } else {
            "Egress"
        };
        if !types.contains(&kind) {
            return None;
        }
        let rules = spec
            .get(direction)
            .and_then(Value::as_array)
            .map(|rules| rules.iter().map(|r| parse_rule(r, peers_key)).collect())
            .unwrap_or_default();
        Some(rules)
    };
    Policy {
        name: object["metadata"]["name"]
            .as_str()
            .expect("name")
            .to_owned(),
        namespace: object["metadata"]["namespace"]
            .as_str()
            .expect("namespace")
            .to_owned(),
        selector: Selector::parse(&spec["podSelector"]),
        ingress: rules("ingress", "from"),
        egress: rules("egress", "to"),
    }
}

fn parse_rule(rule: &Value, peers_key: &str) -> Rule {
    let object = rule.as_object().expect("rule");
    for key in object.keys() {
        assert!(
            key == peers_key || key == "ports",
            "unsupported rule field `{key}`"
        );
    }
    let peers = object.get(peers_key).map(|peers| {
        peers
            .as_array()
            .expect("peers")
            .iter()
            .map(|peer| {
                let peer = peer.as_object().expect("peer");
                if let Some(block) = peer.get("ipBlock") {
                    assert_eq!(peer.len(), 1, "ipBlock stands alone in a peer");
                    return PeerRule::Block {
                        cidr: parse_cidr(block["cidr"].as_str().expect("cidr")),
                        except: block
                            .get("except")
                            .and_then(Value::as_array)
                            .map(|e| {
                                e.iter()
                                    .map(|c| parse_cidr(c.as_str().expect("cidr")))
                                    .collect()
                            })
                            .unwrap_or_default(),
                    };
                }
                for key in peer.keys() {
                    assert!(
                        key == "namespaceSelector" || key == "podSelector",
                        "unsupported peer field `{key}`"
                    );
                }
                PeerRule::Pods {
                    namespaces: peer.get("namespaceSelector").map(Selector::parse),
                    pods: peer.get("podSelector").map(Selector::parse),
                }
            })
            .collect()
    });
    let ports = object.get("ports").map(|ports| {
        ports
            .as_array()
            .expect("ports")
            .iter()
            .map(|port| {
                let port = port.as_object().expect("port");
                let end_port = port.get("endPort").map(|end| {
                    assert!(
                        port.get("port").is_some_and(Value::is_number),
                        "endPort goes with a numeric port"
                    );
                    end.as_u64().expect("endPort is a number")
                });
                PortRule {
                    port: port.get("port").cloned(),
                    end_port,
                    protocol: port
                        .get("protocol")
                        .and_then(Value::as_str)
                        .unwrap_or("TCP")
                        .to_owned(),
                }
            })
            .collect()
    });
    Rule { peers, ports }
}

fn parse_cidr(text: &str) -> (IpAddr, u8) {
    let (address, prefix) = text.split_once('/').expect("CIDR has a prefix");
    (
        address.parse().expect("CIDR address"),
        prefix.parse().expect("CIDR prefix"),
    )
}

fn contains((network, prefix): (IpAddr, u8), ip: IpAddr) -> bool {
    let (network, ip, width) = match (network, ip) {
        (IpAddr::V4(n), IpAddr::V4(i)) => (u128::from(u32::from(n)), u128::from(u32::from(i)), 32),
        (IpAddr::V6(n), IpAddr::V6(i)) => (u128::from(n), u128::from(i), 128),
        _ => return false,
    };
    if prefix == 0 {
        return true;
    }
    let shift = width - u32::from(prefix);
    network >> shift == ip >> shift
}

//! Network: checks and resolves what NetworkPolicies are derived from:
//! `network`, `monitoring`, each workload's `metrics` and `egress`, and the
//! rules across workloads (a dependency must declare a port; the ingress
//! controller, the monitoring system and the API server must be known when the
//! policies need them, and must live outside the platform's own namespaces).
//! Builds no policy itself: that is `graph` and `lower::network_policy`.

use std::collections::BTreeMap;

use crate::diagnostic::{Code, Diagnostic};
use crate::model::{
    AddressBlock, ApiServerModel, EgressDestination, EgressModel, MetricsModel, NetworkModel,
    PortRange,
};
use crate::spec::{EgressPort, INTERNET, Protocol, Workload, WorkloadKind};

use super::cidr::Cidr;
use super::{Context, names};

/// API server ports when the spec names none: managed control planes serve
/// 443, kubeadm-built ones 6443.
const DEFAULT_API_SERVER_PORTS: [u16; 2] = [443, 6443];

/// What `to: internet` opens: every address but those that can be the
/// cluster's own (private and shared ranges hold pod, service and node
/// addresses) or the node's (loopback, link-local, which includes the cloud
/// metadata endpoint 169.254.169.254 and fd00:ec2::254 inside fc00::/7).
const INTERNET_BLOCKS: [(&str, &[&str]); 2] = [
    (
        "0.0.0.0/0",
        &[
            "10.0.0.0/8",
            "100.64.0.0/10",
            "127.0.0.0/8",
            "169.254.0.0/16",
            "172.16.0.0/12",
            "192.168.0.0/16",
        ],
    ),
    ("::/0", &["::1/128", "fc00::/7", "fe80::/10"]),
];

/// The address blocks of `to: internet`.
pub(crate) fn internet_blocks() -> Vec<AddressBlock> {
    INTERNET_BLOCKS
        .iter()
        .map(|(cidr, except)| AddressBlock {
            cidr: (*cidr).to_owned(),
            except: except.iter().map(|e| (*e).to_owned()).collect(),
        })
        .collect()
}

pub(super) fn resolve_network(ctx: &mut Context<'_>) -> NetworkModel {
    let network = &ctx.spec.network;
    let api_server = network.api_server.as_ref().map(|api| {
        if api.cidrs.is_empty() {
            let span = ctx.value(&["network", "apiServer", "cidrs"]);
            ctx.report(
                Diagnostic::error(Code::InvalidValue, "`network.apiServer.cidrs` is empty")
                    .at(span, "list at least one CIDR block")
                    .with_note("the endpoints of the `kubernetes` Service: `kubectl get endpoints kubernetes`"),
            );
        }
        let mut blocks = Vec::new();
        for (index, cidr) in api.cidrs.iter().enumerate() {
            let index = index.to_string();
            if let Some(cidr) = parse_cidr(ctx, &["network", "apiServer", "cidrs", &index], cidr) {
                blocks.push(AddressBlock {
                    cidr: cidr.to_string(),
                    except: Vec::new(),
                });
            }
        }
        let ports = api
            .ports
            .clone()
            .unwrap_or_else(|| DEFAULT_API_SERVER_PORTS.to_vec());
        check_ports(ctx, &["network", "apiServer", "ports"], &ports);
        ApiServerModel { blocks, ports }
    });
    NetworkModel {
        policies: network.policies.unwrap_or(true),
        api_server,
    }
}

/// Checks across workloads. `policies` is whether NetworkPolicies are rendered.
pub(super) fn check(ctx: &mut Context<'_>, policies: bool) {
    let spec = ctx.spec;
    let enabled = |w: &&Workload| w.enabled != Some(false);
    for (name, workload) in spec.workloads.iter().filter(|(_, w)| enabled(w)) {
        for (index, dependency) in workload.uses.iter().enumerate() {
            let Some(used) = spec.workloads.get(dependency).filter(enabled) else {
                continue; // reported by `references`
            };
            if used.kind.is_some_and(WorkloadKind::runs_to_completion) {
                continue; // reported by `references`: nothing listens in a Job
            }
            if used.ports.is_empty() && dependency != name {
                let span = ctx.value(&["workloads", name, "uses", &index.to_string()]);
                let declared_at = ctx.key(&["workloads", dependency]);
                ctx.report(
                    Diagnostic::error(
                        Code::DependencyHasNoPort,
                        format!("`{name}` uses `{dependency}`, which declares no port"),
                    )
                    .at(span, "nothing to connect to")
                    .with_secondary(declared_at, "declared here without `ports`")
                    .with_help(format!(
                        "declare the port `{dependency}` listens on under its `ports`, or remove the dependency"
                    ))
                    .with_note("network policies open exactly the ports the used workload declares"),
                );
            }
        }
    }
    if !policies {
        return;
    }
    for (name, workload) in spec.workloads.iter().filter(|(_, w)| enabled(w)) {
        if super::service_account_token::automount_token(workload)
            && spec.network.api_server.is_none()
        {
            let span = ctx.key(&["workloads", name, "serviceAccount"]);
            ctx.report(
                Diagnostic::error(
                    Code::MissingApiServer,
                    format!("`{name}` calls the Kubernetes API, but `network.apiServer` is not set"),
                )
                .at(span, "its ServiceAccount token is mounted")
                .with_help("set `network: { apiServer: { cidrs: [...] } }` to the endpoints of the `kubernetes` Service (`kubectl get endpoints kubernetes`)")
                .with_note("with network policies on, a workload reaches only what the spec declares"),
            );
        }
    }
}

/// Reports `what` (the ingress controller, the monitoring system) running
/// in one of the platform's namespaces, `namespace` as written at `path`:
/// the namespace's default deny would cut it off.
pub fn check_source_namespace(ctx: &mut Context<'_>, namespace: &str, path: &[&str], what: &str) {
    if !ctx.spec.namespaces.contains_key(namespace) {
        return;
    }
    let span = ctx.value(path);
    let declared = ctx.key(&["namespaces", namespace]);
    ctx.report(
        Diagnostic::error(
            Code::SourceInPlatformNamespace,
            format!("{what} runs in `{namespace}`, one of the platform's namespaces"),
        )
        .at(span, "a platform namespace")
        .with_secondary(declared, "gets a default deny of all traffic")
        .with_help(format!("run {what} in a namespace of its own"))
        .with_note(
            "the default deny would cut it off from DNS, the API server and the pods it must reach",
        ),
    );
}

/// The workload's metrics port, checked against its declared ports.
pub(super) fn resolve_metrics(
    ctx: &mut Context<'_>,
    name: &str,
    workload: &Workload,
    declared: &[&str],
) -> Option<MetricsModel> {
    let metrics = workload.metrics.as_ref()?;
    super::check_port_reference(ctx, name, &["metrics", "port"], &metrics.port, declared);
    let path = metrics
        .path
        .clone()
        .unwrap_or_else(|| "/metrics".to_owned());
    if !path.starts_with('/') {
        let span = ctx.value(&["workloads", name, "metrics", "path"]);
        ctx.report(
            Diagnostic::error(
                Code::InvalidValue,
                format!("path `{path}` must start with `/`"),
            )
            .at(span, "not an absolute path"),
        );
    }
    Some(MetricsModel {
        port: metrics.port.clone(),
        path,
    })
}

/// The workload's egress destinations, each checked.
pub(super) fn resolve_egress(
    ctx: &mut Context<'_>,
    name: &str,
    workload: &Workload,
) -> Vec<EgressModel> {
    let mut resolved = Vec::new();
    for (index, rule) in workload.egress.iter().enumerate() {
        let index = index.to_string();
        let at = |field: &'static str| ["workloads", name, "egress", index.as_str(), field];
        let ports = resolve_port_ranges(ctx, &at("ports"), &rule.ports);
        let protocol = rule.protocol.unwrap_or(Protocol::Tcp);
        let target = match (&rule.to, &rule.namespace, &rule.cidr) {
            (Some(to), None, None) => resolve_to(ctx, &index, name, to, !rule.except.is_empty()),
            (None, Some(namespace), None) => {
                resolve_namespace(ctx, &at("namespace"), namespace, false)
            }
            (None, None, Some(cidr)) => resolve_cidr_rule(ctx, &index, name, cidr, &rule.except),
            (to, namespace, cidr) => {
                let span = ctx.value(&["workloads", name, "egress", index.as_str()]);
                let set = [to.is_some(), namespace.is_some(), cidr.is_some()]
                    .into_iter()
                    .filter(|set| *set)
                    .count();
                let problem = if set == 0 {
                    "none set"
                } else {
                    "more than one set"
                };
                ctx.report(
                    Diagnostic::error(
                        Code::InvalidValue,
                        "an egress rule needs exactly one of `to`, `namespace` and `cidr`",
                    )
                    .at(span, problem)
                    .with_help("`to: internet` for public addresses, `to: monitoring` for a namespace's pods, or `cidr: 203.0.113.0/24`"),
                );
                continue;
            }
        };
        let Some((target, mut destination)) = target else {
            continue;
        };
        if let EgressDestination::Namespace { pod_labels, .. } = &mut destination {
            pod_labels.clone_from(&rule.pod_labels);
        }
        if !rule.except.is_empty() && rule.cidr.is_none() {
            let span = ctx.key(&at("except"));
            ctx.report(
                Diagnostic::error(Code::InvalidValue, "`except` applies to `cidr` only")
                    .at(span, "not allowed without `cidr`")
                    .with_help("write the block as `cidr:` with its `except` list"),
            );
        }
        match &destination {
            EgressDestination::Namespace { .. } => {
                check_labels(ctx, &at("podLabels"), &rule.pod_labels);
            }
            _ if !rule.pod_labels.is_empty() => {
                let span = ctx.key(&at("podLabels"));
                let help = if matches!(destination, EgressDestination::PlatformNamespace { .. }) {
                    "name the workloads of a platform namespace in `uses` instead"
                } else {
                    "`podLabels` narrows a namespace outside the platform (`to: monitoring`)"
                };
                ctx.report(
                    Diagnostic::error(
                        Code::InvalidValue,
                        "`podLabels` applies to a namespace outside the platform",
                    )
                    .at(span, "not allowed here")
                    .with_help(help),
                );
            }
            _ => {}
        }
        if let EgressDestination::PlatformNamespace { namespace } = &destination {
            check_platform_namespace_listens(ctx, &at("ports"), namespace, &ports, protocol);
        }
        resolved.push(EgressModel {
            name: target,
            destination,
            ports,
            protocol,
        });
    }
    resolved
}

/// `to: <word>`: `internet`, or a namespace's name; anything it could be
/// confused with is reported (PG3091), with the unambiguous way to say it.
fn resolve_to(
    ctx: &mut Context<'_>,
    index: &str,
    name: &str,
    to: &str,
    has_except: bool,
) -> Option<(String, EgressDestination)> {
    let spec = ctx.spec;
    let path = ["workloads", name, "egress", index, "to"];
    let ambiguous = |ctx: &mut Context<'_>, message: String, label: &str, help: String| {
        let span = ctx.value(&path);
        ctx.report(
            Diagnostic::error(Code::AmbiguousEgressTarget, message)
                .at(span, label)
                .with_help(help),
        );
        None
    };
    if to == INTERNET {
        if spec.namespaces.contains_key(to) {
            return ambiguous(
                ctx,
                "`to: internet` is ambiguous: the platform has a namespace `internet`".to_owned(),
                "every public address, or the namespace?",
                "write `namespace: internet` for the namespace's pods; `to: internet` means every public address only in a platform without a namespace of that name".to_owned(),
            );
        }
        if has_except {
            let span = ctx.key(&["workloads", name, "egress", index, "except"]);
            ctx.report(
                Diagnostic::error(
                    Code::InvalidValue,
                    "`except` applies to `cidr`, not to `to: internet`",
                )
                .at(span, "not allowed with `to`")
                .with_help("write the block as `cidr:` with its `except` list"),
            );
            return None;
        }
        return Some((
            INTERNET.to_owned(),
            EgressDestination::Addresses(internet_blocks()),
        ));
    }
    if to.contains('/') || to.contains(':') || to.bytes().all(|b| b.is_ascii_digit() || b == b'.') {
        return ambiguous(
            ctx,
            format!("`to: {to}` is an address, not a name"),
            "an address",
            format!(
                "write addresses as a CIDR block: `cidr: {}`",
                if to.contains('/') {
                    to.to_owned()
                } else {
                    format!("{to}/32")
                }
            ),
        );
    }
    if to.contains('.') {
        return ambiguous(
            ctx,
            format!("`to: {to}` is a host name, which a NetworkPolicy cannot match"),
            "a host name",
            "NetworkPolicies match addresses, never names: write `cidr:` with the host's addresses, or `to: internet`".to_owned(),
        );
    }
    let data_service = spec.data_services().any(|(service, _)| service == to);
    if spec.workloads.contains_key(to) || data_service {
        let what = if data_service {
            "a data service"
        } else {
            "a workload"
        };
        return ambiguous(
            ctx,
            format!("`to: {to}` names {what} of the platform"),
            &format!("{what}, or a namespace of that name?"),
            format!(
                "call it with `uses: [{to}]`; for a namespace called `{to}`, write `namespace: {to}`"
            ),
        );
    }
    resolve_namespace(ctx, &path, to, true)
}

/// A namespace destination, by name: one of the platform's, or one outside it.
fn resolve_namespace(
    ctx: &mut Context<'_>,
    path: &[&str],
    namespace: &str,
    shorthand: bool,
) -> Option<(String, EgressDestination)> {
    if let Some(problem) = names::label_problem(namespace, 63) {
        let span = ctx.value(path);
        let help = if shorthand {
            "`to` takes `internet` or a namespace's name; addresses go in `cidr:`"
        } else {
            "a namespace's name is a lowercase DNS label, e.g. `monitoring`"
        };
        ctx.report(
            Diagnostic::error(
                Code::InvalidName,
                format!("invalid namespace name `{namespace}`"),
            )
            .at(span, problem)
            .with_help(help),
        );
        return None;
    }
    let destination = if ctx.spec.namespaces.contains_key(namespace) {
        EgressDestination::PlatformNamespace {
            namespace: namespace.to_owned(),
        }
    } else {
        EgressDestination::Namespace {
            namespace: namespace.to_owned(),
            pod_labels: BTreeMap::new(),
        }
    };
    Some((format!("namespace {namespace}"), destination))
}

/// `cidr:` with its `except` blocks.
fn resolve_cidr_rule(
    ctx: &mut Context<'_>,
    index: &str,
    name: &str,
    cidr: &str,
    except_texts: &[String],
) -> Option<(String, EgressDestination)> {
    let cidr_path = ["workloads", name, "egress", index, "cidr"];
    let block = parse_cidr(ctx, &cidr_path, cidr)?;
    let mut except = Vec::new();
    for (position, text) in except_texts.iter().enumerate() {
        let position = position.to_string();
        let path = ["workloads", name, "egress", index, "except", &position];
        let Some(inner) = parse_cidr(ctx, &path, text) else {
            continue;
        };
        if block.contains(&inner) {
            except.push(inner.to_string());
        } else {
            let span = ctx.value(&path);
            let cidr_span = ctx.value(&cidr_path);
            ctx.report(
                Diagnostic::error(
                    Code::InvalidCidr,
                    format!("`{inner}` is not inside `{block}`"),
                )
                .at(span, "outside the block")
                .with_secondary(cidr_span, "the block")
                .with_note(
                    "`except` leaves parts of `cidr` closed; it cannot name other addresses",
                ),
            );
        }
    }
    // The name tells blocks apart in graphs: the same CIDR with other
    // exceptions is another destination.
    let name = if except.is_empty() {
        block.to_string()
    } else {
        format!("{block} except {}", except.join(", "))
    };
    Some((
        name,
        EgressDestination::Addresses(vec![AddressBlock {
            cidr: block.to_string(),
            except,
        }]),
    ))
}

/// An egress rule into one of the platform's namespaces must reach a port a
/// workload there declares: that workload's policy is what admits it.
fn check_platform_namespace_listens(
    ctx: &mut Context<'_>,
    path: &[&str],
    namespace: &str,
    ports: &[PortRange],
    protocol: Protocol,
) {
    if ports.is_empty() {
        return;
    }
    let spec = ctx.spec;
    let listens = spec
        .workloads
        .values()
        .filter(|w| w.namespace == namespace && w.enabled != Some(false))
        .filter(|w| !w.kind.is_some_and(WorkloadKind::runs_to_completion))
        .flat_map(|w| w.ports.values())
        .any(|port| {
            port.protocol.unwrap_or(Protocol::Tcp) == protocol
                && ports.iter().any(|range| range.contains(port.port))
        });
    if !listens {
        let span = ctx.value(path);
        let declared = ctx.key(&["namespaces", namespace]);
        ctx.report(
            Diagnostic::error(
                Code::EgressToNothing,
                format!(
                    "no workload of namespace `{namespace}` listens on these {} ports",
                    protocol.as_str()
                ),
            )
            .at(span, "nothing listens here")
            .with_secondary(
                declared,
                "a namespace of the platform, closed by its default deny",
            )
            .with_help("list ports its workloads declare, or call the workload with `uses`"),
        );
    }
}

/// The ports of an egress rule: at least one; each end from 1 to 65535, a
/// range in order (PG3092).
fn resolve_port_ranges(
    ctx: &mut Context<'_>,
    path: &[&str],
    ports: &[EgressPort],
) -> Vec<PortRange> {
    if ports.is_empty() {
        let span = ctx.value(path);
        ctx.report(
            Diagnostic::error(Code::InvalidValue, "no port listed")
                .at(span, "list at least one port")
                .with_note("network policies open single ports or ranges, never a whole address"),
        );
    }
    let mut resolved = Vec::new();
    for (index, port) in ports.iter().enumerate() {
        let mut full = path.to_vec();
        let index = index.to_string();
        full.push(&index);
        let in_range = |n: u32| (1..=65_535).contains(&n);
        let problem = if !in_range(port.start) || port.end.is_some_and(|end| !in_range(end)) {
            Some("each port must be from 1 to 65535")
        } else if port.end.is_some_and(|end| end < port.start) {
            Some("the range ends before it starts")
        } else {
            None
        };
        match problem {
            Some(problem) => {
                let span = ctx.value(&full);
                ctx.report(
                    Diagnostic::error(
                        Code::InvalidPortRange,
                        format!("`{port}` is not a valid port or port range"),
                    )
                    .at(span, problem)
                    .with_help("write a port from 1 to 65535 (`443`) or a range from low to high (`8000-8100`)"),
                );
            }
            None => resolved.push(PortRange {
                start: u16::try_from(port.start).unwrap_or(u16::MAX),
                // A range of one port is one port.
                end: port
                    .end
                    .filter(|end| *end != port.start)
                    .map(|end| u16::try_from(end).unwrap_or(u16::MAX)),
            }),
        }
    }
    resolved
}

fn parse_cidr(ctx: &mut Context<'_>, path: &[&str], text: &str) -> Option<Cidr> {
    match Cidr::parse(text) {
        Ok(cidr) => Some(cidr),
        Err(problem) => {
            let span = ctx.value(path);
            ctx.report(
                Diagnostic::error(Code::InvalidCidr, format!("invalid CIDR block `{text}`"))
                    .at(span, problem),
            );
            None
        }
    }
}

fn check_ports(ctx: &mut Context<'_>, path: &[&str], ports: &[u16]) {
    if ports.is_empty() {
        let span = ctx.value(path);
        ctx.report(
            Diagnostic::error(Code::InvalidValue, "no port listed")
                .at(span, "list at least one port")
                .with_note("network policies open single ports, never a whole address"),
        );
    }
    for (index, port) in ports.iter().enumerate() {
        if *port == 0 {
            let mut full = path.to_vec();
            let index = index.to_string();
            full.push(&index);
            let span = ctx.value(&full);
            ctx.report(
                Diagnostic::error(Code::InvalidValue, "port 0 is not a valid port")
                    .at(span, "must be from 1 to 65535"),
            );
        }
    }
}

/// Label keys and values of a selector written in the spec: a value that is
/// not a label value would make every policy using it invalid.
pub fn check_labels(ctx: &mut Context<'_>, path: &[&str], labels: &BTreeMap<String, String>) {
    for (key, value) in labels {
        let mut full = path.to_vec();
        full.push(key);
        let (name, prefix) = match key.rsplit_once('/') {
            Some((prefix, name)) => (name, Some(prefix)),
            None => (key.as_str(), None),
        };
        // A key is an optional DNS subdomain prefix and `/`, then a name.
        let key_ok = !name.is_empty()
            && is_label_value(name)
            && prefix.is_none_or(|p| {
                !p.is_empty()
                    && p.len() <= 253
                    && p.split('.')
                        .all(|part| names::label_problem(part, 63).is_none())
            });
        if !key_ok {
            let span = ctx.key(&full);
            ctx.report(
                Diagnostic::error(Code::InvalidName, format!("invalid label key `{key}`"))
                    .at(span, "an optional DNS prefix and `/`, then at most 63 letters, digits, `-`, `_` or `.`"),
            );
        }
        if !value.is_empty() && !is_label_value(value) {
            let span = ctx.value(&full);
            ctx.report(
                Diagnostic::error(Code::InvalidName, format!("invalid label value `{value}`"))
                    .at(span, "at most 63 letters, digits, `-`, `_` or `.`, starting and ending with a letter or digit"),
            );
        }
    }
}

fn is_label_value(value: &str) -> bool {
    crate::model::labels::is_label_value(value)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn internet_leaves_out_only_canonical_blocks_inside_it() {
        for block in internet_blocks() {
            let outer = Cidr::parse(&block.cidr).expect("canonical block");
            for except in &block.except {
                let inner = Cidr::parse(except).expect("canonical exception");
                assert!(outer.contains(&inner), "{except} inside {}", block.cidr);
            }
        }
    }
}

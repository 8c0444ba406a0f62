//! The tracing capability's analysis: resolves the collector of
//! `tracing.otlp`, and gives each workload with `tracing: true` the OTLP
//! exporter's environment (endpoint, protocol, service name, resource
//! attributes) and, for a collector outside the platform, its egress.

use crate::analyze::{Context, canonical_cidr, internet_blocks};
use crate::diagnostic::{Code, Diagnostic, suggestion};
use crate::model::{AddressBlock, EgressDestination, EgressModel, PlatformModel, PortRange};
use crate::spec::{Protocol, ServiceType};

use crate::model::TraceExportModel;

use super::model::{
    ENDPOINT_VARIABLE, PROTOCOL_VARIABLE, RESOURCE_ATTRIBUTES_VARIABLE, SERVICE_NAME_VARIABLE,
};
use super::spec::{OtlpProtocol, OtlpSpec};

/// OTLP's registered ports (opentelemetry-specification, `otlp.md`).
const OTLP_GRPC_PORT: u16 = 4317;
const OTLP_HTTP_PORT: u16 = 4318;

/// The capability's analysis hook.
pub fn analyze(ctx: &mut Context<'_>, model: &mut PlatformModel) {
    let spec = ctx.spec;
    let traced: Vec<String> = model
        .workloads
        .iter()
        .filter(|w| {
            spec.workloads
                .get(&w.name)
                .is_some_and(|s| s.tracing == Some(true))
        })
        .map(|w| w.name.clone())
        .collect();
    let Some(tracing) = crate::capabilities::tracing::spec::tracing(spec) else {
        for name in &traced {
            let span = ctx.value(&["workloads", name, "tracing"]);
            ctx.report(
                Diagnostic::error(
                    Code::MissingTracing,
                    format!("`{name}` sends traces, but the platform names no collector"),
                )
                .at(span, "no `tracing` section")
                .with_help("add `tracing: { otlp: { service: <collector workload> } }`, or remove this line"),
            );
        }
        return;
    };
    if tracing.enabled == Some(false) {
        return;
    }
    let protocol = tracing.otlp.protocol.unwrap_or(OtlpProtocol::Grpc);
    let Some(collector) = resolve_collector(ctx, model, &tracing.otlp, protocol) else {
        return;
    };
    let mut workloads = Vec::new();
    for name in traced {
        if collector
            .in_platform
            .as_ref()
            .is_some_and(|(collector, _)| *collector == name)
        {
            // The collector itself: it has no collector to send to.
            continue;
        }
        let Some(&index) = model.workload_index.get(&name) else {
            continue;
        };
        let environment = model.environment.clone();
        let workload = &mut model.workloads[index];
        let own = |variable: &str| workload.env.iter().any(|(name, _)| name == variable);
        let mut conflict = false;
        for variable in [ENDPOINT_VARIABLE, PROTOCOL_VARIABLE] {
            if own(variable) {
                conflict = true;
                let span = ctx.key(&["workloads", &name, "env", variable]);
                let tracing_span = ctx.value(&["workloads", &name, "tracing"]);
                ctx.report(
                    Diagnostic::error(
                        Code::TracingVariableSet,
                        format!("`{variable}` is set by `tracing`"),
                    )
                    .at(span, "set by hand too")
                    .with_secondary(tracing_span, "sends traces to the platform's collector")
                    .with_note("the network policies open the flow to the collector `tracing` names, and only that one")
                    .with_help(format!("remove `{variable}` from `env`")),
                );
            }
        }
        if conflict {
            continue;
        }
        let mut variables = vec![
            (ENDPOINT_VARIABLE, collector.endpoint.clone()),
            (PROTOCOL_VARIABLE, collector.protocol.to_owned()),
        ];
        // A name or attributes of the workload's own win: they describe it.
        if !own(SERVICE_NAME_VARIABLE) {
            variables.push((SERVICE_NAME_VARIABLE, name.clone()));
        }
        if !own(RESOURCE_ATTRIBUTES_VARIABLE) {
            variables.push((
                RESOURCE_ATTRIBUTES_VARIABLE,
                format!(
                    "k8s.namespace.name={},deployment.environment.name={environment}",
                    workload.namespace
                ),
            ));
        }
        workload
            .env
            .extend(variables.into_iter().map(|(k, v)| (k.to_owned(), v)));
        if let Some(egress) = &collector.egress {
            workload.egress.push(egress.clone());
        }
        workloads.push(name);
    }
    if let Some((collector, port)) = collector.in_platform {
        model.trace_exports = workloads
            .into_iter()
            .map(|workload| TraceExportModel {
                workload,
                collector: collector.clone(),
                port,
            })
            .collect();
    }
}

/// The collector, resolved.
struct Collector {
    endpoint: String,
    protocol: &'static str,
    in_platform: Option<(String, u16)>,
    egress: Option<EgressModel>,
}

fn resolve_collector(
    ctx: &mut Context<'_>,
    model: &PlatformModel,
    otlp: &OtlpSpec,
    protocol: OtlpProtocol,
) -> Option<Collector> {
    let protocol_name = match protocol {
        OtlpProtocol::Grpc => "grpc",
        OtlpProtocol::Http => "http/protobuf",
    };
    match (&otlp.service, &otlp.endpoint) {
        (Some(service), None) => {
            let Some(workload) = model.workload(service) else {
                let span = ctx.value(&["tracing", "otlp", "service"]);
                let disabled = ctx.spec.workloads.contains_key(service);
                ctx.report(
                    Diagnostic::error(
                        if disabled {
                            Code::DisabledDependency
                        } else {
                            Code::UnknownDependency
                        },
                        if disabled {
                            format!("the collector `{service}` is disabled in this environment")
                        } else {
                            format!("unknown collector workload `{service}`")
                        },
                    )
                    .at(span, "the workload receiving the traces")
                    .with_help_opt(suggestion::did_you_mean(
                        service,
                        model.workloads.iter().map(|w| w.name.as_str()),
                    )),
                );
                return None;
            };
            let default_port = match protocol {
                OtlpProtocol::Grpc => "otlp-grpc",
                OtlpProtocol::Http => "otlp-http",
            };
            let port_name = otlp.port.as_deref().unwrap_or(default_port);
            let Some(port) = workload.port(port_name) else {
                let span = if otlp.port.is_some() {
                    ctx.value(&["tracing", "otlp", "port"])
                } else {
                    ctx.value(&["tracing", "otlp", "service"])
                };
                let ports: Vec<&str> = workload.ports.iter().map(|p| p.name.as_str()).collect();
                ctx.report(
                    Diagnostic::error(
                        Code::UndeclaredPort,
                        format!("`{service}` declares no port `{port_name}`"),
                    )
                    .at(span, format!("its ports: {}", ports.join(", ")))
                    .with_help_opt(suggestion::did_you_mean(port_name, ports.iter().copied()))
                    .with_note("`port` names the collector's OTLP port (`otlp-grpc` by default, `otlp-http` with `protocol: http`)"),
                );
                return None;
            };
            if workload.service_type == ServiceType::None {
                let span = ctx.value(&["tracing", "otlp", "service"]);
                ctx.report(
                    Diagnostic::error(
                        Code::InvalidValue,
                        format!("the collector `{service}` has no Service"),
                    )
                    .at(span, "`serviceType: None`")
                    .with_help("give the collector a Service: remove `serviceType: None`"),
                );
                return None;
            }
            Some(Collector {
                endpoint: format!(
                    "http://{service}.{}.svc:{}",
                    workload.namespace, port.service_port
                ),
                protocol: protocol_name,
                in_platform: Some((service.clone(), port.container_port)),
                egress: None,
            })
        }
        (None, Some(endpoint)) => {
            let default_port = match protocol {
                OtlpProtocol::Grpc => OTLP_GRPC_PORT,
                OtlpProtocol::Http => OTLP_HTTP_PORT,
            };
            let Some((host, port)) = parse_endpoint(endpoint, default_port) else {
                let span = ctx.value(&["tracing", "otlp", "endpoint"]);
                ctx.report(
                    Diagnostic::error(
                        Code::InvalidValue,
                        format!("invalid OTLP endpoint `{endpoint}`"),
                    )
                    .at(
                        span,
                        "expected `http://host[:port]` or `https://host[:port]`",
                    )
                    .with_help("for example `https://otlp.example.com:4317`"),
                );
                return None;
            };
            if otlp.port.is_some() {
                let span = ctx.key(&["tracing", "otlp", "port"]);
                ctx.report(
                    Diagnostic::error(Code::InvalidValue, "`port` names a port of `service`")
                        .at(span, "not with `endpoint`")
                        .with_help("write the port in the endpoint's URL"),
                );
                return None;
            }
            let blocks = if otlp.cidrs.is_empty() {
                internet_blocks()
            } else {
                let mut blocks = Vec::new();
                for (index, text) in otlp.cidrs.iter().enumerate() {
                    match canonical_cidr(text) {
                        Ok(cidr) => blocks.push(AddressBlock {
                            cidr,
                            except: Vec::new(),
                        }),
                        Err(problem) => {
                            let index = index.to_string();
                            let span = ctx.value(&["tracing", "otlp", "cidrs", &index]);
                            ctx.report(
                                Diagnostic::error(
                                    Code::InvalidCidr,
                                    format!("invalid CIDR block `{text}`"),
                                )
                                .at(span, problem),
                            );
                        }
                    }
                }
                if blocks.len() != otlp.cidrs.len() {
                    return None;
                }
                blocks
            };
            Some(Collector {
                endpoint: endpoint.trim_end_matches('/').to_owned(),
                protocol: protocol_name,
                in_platform: None,
                egress: Some(EgressModel {
                    name: if otlp.cidrs.is_empty() {
                        "internet".to_owned()
                    } else {
                        host
                    },
                    destination: EgressDestination::Addresses(blocks),
                    ports: vec![PortRange::single(port)],
                    protocol: Protocol::Tcp,
                }),
            })
        }
        (Some(_), Some(_)) => {
            let span = ctx.key(&["tracing", "otlp", "endpoint"]);
            let service_span = ctx.key(&["tracing", "otlp", "service"]);
            ctx.report(
                Diagnostic::error(
                    Code::InvalidValue,
                    "the collector is both a workload and an endpoint",
                )
                .at(span, "a collector outside the platform")
                .with_secondary(service_span, "a collector of the platform")
                .with_help(
                    "keep one; to replace the base's `service` in an overlay, set it to `null`",
                ),
            );
            None
        }
        (None, None) => {
            let span = ctx.key(&["tracing", "otlp"]);
            ctx.report(
                Diagnostic::error(Code::InvalidValue, "no collector")
                    .at(span, "set `service` or `endpoint`")
                    .with_help("`service: <workload>` for a collector of the platform, `endpoint: https://...` for one outside it"),
            );
            None
        }
    }
}

/// The host and port of `http(s)://host[:port][/]`.
fn parse_endpoint(endpoint: &str, default_port: u16) -> Option<(String, u16)> {
    let rest = endpoint
        .strip_prefix("https://")
        .or_else(|| endpoint.strip_prefix("http://"))?;
    let authority = rest.strip_suffix('/').unwrap_or(rest);
    if authority.contains(['/', '@', '?', '#']) {
        return None;
    }
    let (host, port) = match authority.rsplit_once(':') {
        Some((host, port)) => (host, port.parse::<u16>().ok().filter(|p| *p != 0)?),
        None => (authority, default_port),
    };
    let valid_host = !host.is_empty()
        && host
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '.' | '-'));
    valid_host.then(|| (host.to_owned(), port))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn endpoints() {
        assert_eq!(
            parse_endpoint("https://otlp.example.com:4317", 4318),
            Some(("otlp.example.com".to_owned(), 4317))
        );
        assert_eq!(
            parse_endpoint("http://collector.local/", 4318),
            Some(("collector.local".to_owned(), 4318))
        );
        for invalid in [
            "otlp.example.com:4317",
            "https://",
            "https://host:0",
            "https://host:99999",
            "https://user@host",
            "https://host/v1/traces",
            "grpc://host:4317",
        ] {
            assert_eq!(parse_endpoint(invalid, 4317), None, "{invalid}");
        }
    }
}

#[cfg(test)]
mod flow_tests {
    use crate::testing;

    const OVERLAY: &str = "\
tracing:
  otlp: { service: collector }
workloads:
  web: { tracing: true }
  collector:
    namespace: shop
    image: otel/opentelemetry-collector:0.115.1
    ports: { otlp-grpc: { port: 4317 }, ui: { port: 8080 } }
    resources:
      requests: { cpu: 100m, memory: 128Mi }
      limits: { cpu: 500m, memory: 256Mi }
    tracing: true
";

    #[test]
    fn traced_workloads_export_to_the_collector_port_and_the_collector_itself_is_skipped() {
        let model = testing::platform(OVERLAY);
        let exports: Vec<(&str, &str, u16)> = model
            .trace_exports
            .iter()
            .map(|e| (e.workload.as_str(), e.collector.as_str(), e.port))
            .collect();
        assert_eq!(exports, [("web", "collector", 4317)]);
    }
}

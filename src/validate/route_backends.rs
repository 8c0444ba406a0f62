//! Every backend of an Ingress or an HTTPRoute (or GRPCRoute) names a
//! Service of the render and one of its ports, by number or name. A route
//! to a Service or port that does not exist applies cleanly and then
//! answers 503 (PG5005).

use serde_json::Value;

use super::referrer::Referrer;
use super::rendered::Rendered;
use crate::diagnostic::{Code, Diagnostic, Diagnostics};
use crate::object::Manifest;

/// A Service port by number or by name.
#[derive(Debug, Clone, PartialEq, Eq)]
enum Port {
    Number(u64),
    Name(String),
    /// None written: a route backend must name a port of a Service.
    Missing,
}

#[derive(Debug)]
struct Backend {
    referrer: Referrer,
    namespace: String,
    service: String,
    port: Port,
    /// Where in the route, `spec.rules[0].http.paths[1].backend`.
    path: String,
}

/// The backends of the render's routes.
#[derive(Debug, Default)]
pub(super) struct RouteBackends(Vec<Backend>);

impl RouteBackends {
    pub(super) fn record(&mut self, object: &Manifest, tree: &Value, referrer: &Referrer) {
        let namespace = object.namespace().unwrap_or_default();
        let mut backend = |namespace: &str, service: &Value, port: Port, path: String| {
            let Some(service) = service.as_str() else {
                return;
            };
            self.0.push(Backend {
                referrer: referrer.clone(),
                namespace: namespace.to_owned(),
                service: service.to_owned(),
                port,
                path,
            });
        };
        match (object.key.group.as_ref(), object.kind()) {
            ("networking.k8s.io", "Ingress") => {
                let ingress_port = |service: &Value| match (
                    service["port"]["number"].as_u64(),
                    service["port"]["name"].as_str(),
                ) {
                    (Some(number), _) => Port::Number(number),
                    (None, Some(name)) => Port::Name(name.to_owned()),
                    (None, None) => Port::Missing,
                };
                let default = &tree["spec"]["defaultBackend"]["service"];
                if !default.is_null() {
                    backend(
                        namespace,
                        &default["name"],
                        ingress_port(default),
                        "spec.defaultBackend".to_owned(),
                    );
                }
                for (r, rule) in array(&tree["spec"]["rules"]) {
                    for (p, path) in array(&rule["http"]["paths"]) {
                        let service = &path["backend"]["service"];
                        if service.is_null() {
                            continue;
                        }
                        backend(
                            namespace,
                            &service["name"],
                            ingress_port(service),
                            format!("spec.rules[{r}].http.paths[{p}].backend"),
                        );
                    }
                }
            }
            ("gateway.networking.k8s.io", "HTTPRoute" | "GRPCRoute") => {
                for (r, rule) in array(&tree["spec"]["rules"]) {
                    for (b, reference) in array(&rule["backendRefs"]) {
                        // Only Services are resolved: another kind of
                        // backend is an implementation's extension.
                        let kind = reference["kind"].as_str().unwrap_or("Service");
                        let group = reference["group"].as_str().unwrap_or("");
                        if (group, kind) != ("", "Service") {
                            continue;
                        }
                        let port = reference["port"]
                            .as_u64()
                            .map_or(Port::Missing, Port::Number);
                        backend(
                            reference["namespace"].as_str().unwrap_or(namespace),
                            &reference["name"],
                            port,
                            format!("spec.rules[{r}].backendRefs[{b}]"),
                        );
                    }
                }
            }
            _ => {}
        }
    }

    pub(super) fn resolve(&self, rendered: &Rendered, diagnostics: &mut Diagnostics) {
        for backend in &self.0 {
            let name = format!("{}/{}", backend.namespace, backend.service);
            let problem = match rendered.service(&backend.namespace, &backend.service) {
                None => format!("Service `{name}`, which is not rendered"),
                // An operator's Service: its ports are the operator's.
                Some(service) if service.ports.is_none() => continue,
                Some(service) => {
                    let ports = service.ports.iter().flatten();
                    let found = match &backend.port {
                        Port::Number(number) => ports.clone().any(|p| p.number == *number),
                        Port::Name(port) => ports.clone().any(|p| p.name.as_ref() == Some(port)),
                        Port::Missing => false,
                    };
                    if found {
                        continue;
                    }
                    match &backend.port {
                        Port::Number(number) => format!(
                            "port {number} of Service `{name}`, which exposes {}",
                            service.port_list()
                        ),
                        Port::Name(port) => format!(
                            "port `{port}` of Service `{name}`, which exposes {}",
                            service.port_list()
                        ),
                        Port::Missing => format!(
                            "Service `{name}` without a port (it exposes {})",
                            service.port_list()
                        ),
                    }
                }
            };
            diagnostics.push(backend.referrer.locate(
                Diagnostic::error(
                    Code::UnknownBackend,
                    format!(
                        "{} sends `{}` to {problem}",
                        backend.referrer.identity, backend.path
                    ),
                )
                .with_help(
                    "a route to a Service or port that does not exist answers 503: name a rendered Service and one of its ports",
                ),
            ));
        }
    }
}

fn array(value: &Value) -> impl Iterator<Item = (usize, &Value)> {
    value.as_array().into_iter().flatten().enumerate()
}

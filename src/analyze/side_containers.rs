//! `sidecars` and `initContainers`: names unique in the pod, ports only on
//! sidecars and never clashing with the pod's others, valid variable names,
//! resources within bounds and without GPUs (those go to the main
//! container), writable paths like the main container's.

use crate::diagnostic::{Code, Diagnostic};
use crate::model::{PortModel, SideContainerModel};
use crate::source::Span;
use crate::spec::{Protocol, SideContainer, Workload};

use super::Context;

/// Longest side container name: its volumes are `<name>-writable-<n>`,
/// 63-character labels.
const MAX_NAME: usize = 50;

/// The workload's sidecars and init containers, checked against each other
/// and against the main container's `ports`.
pub(super) fn resolve(
    ctx: &mut Context<'_>,
    name: &str,
    workload: &Workload,
    main_ports: &[PortModel],
) -> (Vec<SideContainerModel>, Vec<SideContainerModel>) {
    // Most workloads have neither: the main container's ports, with where
    // each is written, are gathered only for containers to be checked
    // against them.
    if workload.sidecars.is_empty() && workload.init_containers.is_empty() {
        return (Vec::new(), Vec::new());
    }
    let mut names: Vec<(String, Span)> = Vec::new();
    let mut ports: Vec<(PortModel, Span)> = main_ports
        .iter()
        .map(|port| {
            let span = ctx.key(&["workloads", name, "ports", &port.name]);
            (port.clone(), span)
        })
        .collect();
    let mut resolve_list = |ctx: &mut Context<'_>, field: &str, list: &[SideContainer]| {
        list.iter()
            .enumerate()
            .map(|(index, container)| {
                let index = index.to_string();
                let path = ["workloads", name, field, index.as_str()];
                let sidecar = field == "sidecars";
                resolve_one(ctx, name, &path, container, sidecar, &mut names, &mut ports)
            })
            .collect::<Vec<_>>()
    };
    let sidecars = resolve_list(ctx, "sidecars", &workload.sidecars);
    let init_containers = resolve_list(ctx, "initContainers", &workload.init_containers);
    (sidecars, init_containers)
}

fn resolve_one(
    ctx: &mut Context<'_>,
    workload_name: &str,
    path: &[&str; 4],
    container: &SideContainer,
    sidecar: bool,
    names: &mut Vec<(String, Span)>,
    ports: &mut Vec<(PortModel, Span)>,
) -> SideContainerModel {
    let at = |field: &'static str| -> Vec<&str> {
        let mut full = path.to_vec();
        full.push(field);
        full
    };
    let name_span = ctx.value(&at("name"));
    if let Some(problem) = super::label_problem(&container.name, MAX_NAME) {
        ctx.report(
            Diagnostic::error(
                Code::InvalidName,
                format!("invalid container name `{}`", container.name),
            )
            .at(name_span, problem)
            .with_note(format!(
                "its writable paths become the volumes `{}-writable-<n>`",
                container.name
            )),
        );
    }
    if container.name == workload_name {
        let workload_span = ctx.key(&["workloads", workload_name]);
        ctx.report(
            Diagnostic::error(
                Code::DuplicateName,
                format!("container name `{}` is the workload's own", container.name),
            )
            .at(name_span, "taken by the main container")
            .with_secondary(
                workload_span,
                "the main container is named after the workload",
            ),
        );
    } else if let Some((_, first)) = names.iter().find(|(taken, _)| *taken == container.name) {
        let first = *first;
        ctx.report(
            Diagnostic::error(
                Code::DuplicateName,
                format!(
                    "two containers of `{workload_name}` are named `{}`",
                    container.name
                ),
            )
            .at(name_span, "named again here")
            .with_secondary(first, "first named here"),
        );
    } else {
        names.push((container.name.clone(), name_span));
    }

    let mut resolved_ports = Vec::new();
    if !sidecar && !container.ports.is_empty() {
        let span = ctx.key(&at("ports"));
        ctx.report(
            Diagnostic::error(
                Code::InvalidValue,
                format!("init container `{}` declares ports", container.name),
            )
            .at(
                span,
                "an init container runs to completion before the pod serves",
            )
            .with_help("declare the container under `sidecars` if it keeps running and listens"),
        );
    }
    for (port_name, port) in container.ports.iter().filter(|_| sidecar) {
        let mut port_path = at("ports");
        port_path.push(port_name);
        let key_span = ctx.key(&port_path);
        if let Some(problem) = super::names::port_name_problem(port_name) {
            ctx.report(
                Diagnostic::error(
                    Code::InvalidName,
                    format!("invalid port name `{port_name}`"),
                )
                .at(key_span, problem),
            );
        }
        let protocol = port.protocol.unwrap_or(Protocol::Tcp);
        if port.port == 0 {
            port_path.push("port");
            let span = ctx.value(&port_path);
            ctx.report(
                Diagnostic::error(Code::InvalidValue, "port 0 is not a valid port")
                    .at(span, "must be from 1 to 65535"),
            );
        }
        if let Some((taken, first)) = ports.iter().find(|(taken, _)| {
            taken.name == *port_name
                || (taken.container_port == port.port && taken.protocol == protocol)
        }) {
            let what = if taken.name == *port_name {
                format!("port name `{port_name}` is used twice in the pod")
            } else {
                format!(
                    "{} port {} is used twice in the pod",
                    protocol.as_str(),
                    port.port
                )
            };
            let first = *first;
            ctx.report(
                Diagnostic::error(Code::DuplicateName, what)
                    .at(key_span, "used again here")
                    .with_secondary(first, "first used here")
                    .with_note(
                        "the containers of a pod share its network: names and ports must differ",
                    ),
            );
            continue;
        }
        let model = PortModel {
            name: port_name.clone(),
            container_port: port.port,
            service_port: port.port,
            protocol,
        };
        ports.push((model.clone(), key_span));
        resolved_ports.push(model);
    }

    for variable in container.env.keys() {
        if !super::is_env_name(variable) {
            let mut env_path = at("env");
            env_path.push(variable);
            let span = ctx.key(&env_path);
            ctx.report(
                Diagnostic::error(
                    Code::InvalidName,
                    format!("invalid environment variable name `{variable}`"),
                )
                .at(span, "must be non-empty, without `=` or control characters"),
            );
        }
    }

    let resources_path = at("resources");
    let resources = super::container_resources::resolve(ctx, &resources_path, &container.resources);
    if resources.gpu.is_some_and(|gpu| gpu > 0) {
        let span = ctx.key(&resources_path);
        ctx.report(
            Diagnostic::error(
                Code::InvalidValue,
                format!("container `{}` asks for GPUs", container.name),
            )
            .at(span, "GPUs go to the workload's own container")
            .with_help("request them in the workload's `resources`; the pod is placed on a GPU node for it"),
        );
    }
    let writable_paths = super::writable_paths::resolve(
        ctx,
        &at("writablePaths"),
        container.writable_paths.as_deref(),
        &resources,
    );
    SideContainerModel {
        name: container.name.clone(),
        image: container.image.clone(),
        command: container.command.clone(),
        args: container.args.clone(),
        env: container
            .env
            .iter()
            .map(|(k, v)| (k.clone(), v.clone()))
            .collect(),
        resources,
        ports: resolved_ports,
        writable_paths,
    }
}

//! One workload: checks what only makes sense per workload (ports, probes,
//! scaling, disruption budget, resources, storage) and resolves it into a
//! [`WorkloadModel`] with every default applied.

use std::collections::BTreeMap;

use crate::diagnostic::{Code, Diagnostic, suggestion};
use crate::model::{
    AutoscalingModel, ConfigModel, DisruptionBudgetModel, PortModel, ProbeAction, ProbeModel,
    SecurityModel, StorageModel, WorkloadModel,
};
use crate::source::Span;
use crate::spec::{Image, Probe, Protocol, ServiceType, Workload, WorkloadKind};

use super::{Context, WorkloadHook};

/// Default user id: unprivileged and outside the range images commonly give to
/// real users, so `runAsNonRoot` holds for images that declare no user.
const DEFAULT_USER: u64 = 10_001;

pub(super) fn resolve(
    ctx: &mut Context<'_>,
    name: &str,
    workload: &Workload,
    hooks: &[WorkloadHook],
) -> Option<WorkloadModel> {
    let errors_before = ctx.diagnostics.error_count();
    let kind = workload.kind.unwrap_or(WorkloadKind::Deployment);
    super::batch::check_fields(ctx, name, workload, kind);
    let batch = super::batch::resolve(ctx, name, workload, kind);
    let ports: Vec<PortModel> = workload
        .ports
        .iter()
        .map(|(port_name, port)| PortModel {
            name: port_name.clone(),
            container_port: port.port,
            service_port: port.service_port.unwrap_or(port.port),
            protocol: port.protocol.unwrap_or(Protocol::Tcp),
        })
        .collect();
    for (port_name, port) in &workload.ports {
        for (field, value) in [
            ("port", Some(port.port)),
            ("servicePort", port.service_port),
        ] {
            if value == Some(0) {
                let span = ctx.value(&["workloads", name, "ports", port_name, field]);
                ctx.report(
                    Diagnostic::error(Code::InvalidValue, "port 0 is not a valid port")
                        .at(span, "must be from 1 to 65535"),
                );
            }
        }
    }
    check_duplicate_ports(ctx, name, &ports);

    let port_names: Vec<&str> = ports.iter().map(|p| p.name.as_str()).collect();
    let first_port = ports.first().map(|p| p.name.clone());

    // Probes: explicit ones are checked; the default is a TCP check of the first
    // port, which is the least an orchestrator needs to restart a hung process.
    // A Job's pods get none (its port, if any, only serves metrics): they are
    // judged by their exit code.
    let probe = |ctx: &mut Context<'_>, which: &str, probe: Option<&Probe>| -> Option<ProbeModel> {
        let probe = probe?;
        resolve_probe(ctx, name, which, probe, &port_names, first_port.as_deref())
    };
    let default_probe_port = first_port.clone().filter(|_| !kind.runs_to_completion());
    let liveness = probe(ctx, "liveness", workload.probes.liveness.as_ref()).or_else(|| {
        default_probe_port.clone().map(|port| ProbeModel {
            action: ProbeAction::Tcp { port },
            initial_delay_seconds: None,
            period_seconds: None,
            timeout_seconds: None,
            failure_threshold: None,
        })
    });
    let readiness =
        probe(ctx, "readiness", workload.probes.readiness.as_ref()).or_else(|| liveness.clone());
    let startup = probe(ctx, "startup", workload.probes.startup.as_ref());

    let replicas = workload.replicas.unwrap_or(1);
    let autoscaling = workload
        .autoscaling
        .as_ref()
        .filter(|a| a.enabled != Some(false))
        .map(|a| AutoscalingModel {
            min: a.min,
            max: a.max,
            cpu: a.cpu,
            memory: a.memory,
            scale_down_stabilization_seconds: a.scale_down_stabilization_seconds,
            on_events: a.events.is_some(),
        });
    if let Some(a) = &autoscaling {
        let on_events = workload
            .autoscaling
            .as_ref()
            .is_some_and(|a| a.events.is_some());
        check_autoscaling(ctx, name, a, on_events);
        // A base `replicas` may serve environments that turn autoscaling off;
        // only one set by this environment's own file is certainly dead.
        if workload.replicas.is_some() {
            let span = ctx.value(&["workloads", name, "replicas"]);
            if span.file != ctx.tree.span.file {
                ctx.report(
                    Diagnostic::warning(
                        Code::ReplicasIgnored,
                        format!("`replicas` of `{name}` has no effect: it is autoscaled"),
                    )
                    .at(span, "ignored")
                    .with_help("remove `replicas`, or set `autoscaling.min`"),
                );
            }
        }
    }
    let min_replicas = autoscaling.as_ref().map_or(replicas, |a| a.min);
    let disruption_budget = resolve_disruption_budget(ctx, name, workload, min_replicas);
    let rollout = super::rollout::resolve(ctx, name, workload, kind);

    let resources = super::container_resources::resolve(
        ctx,
        &["workloads", name, "resources"],
        &workload.resources,
    );
    let writable_paths = super::writable_paths::resolve(
        ctx,
        &["workloads", name, "writablePaths"],
        workload.writable_paths.as_deref(),
        &resources,
    );
    let (sidecars, init_containers) = super::side_containers::resolve(ctx, name, workload, &ports);

    let storage = workload.storage.as_ref().map(|s| StorageModel {
        size: s.size.clone(),
        mount_path: s.mount_path.clone(),
        storage_class: s.storage_class.clone(),
    });
    if storage.is_some() && kind == WorkloadKind::Deployment {
        let span = ctx.key(&["workloads", name, "storage"]);
        ctx.report(
            Diagnostic::error(
                Code::StorageOnDeployment,
                format!("workload `{name}` has `storage` but is a Deployment"),
            )
            .at(span, "persistent storage needs a StatefulSet")
            .with_help("add `kind: StatefulSet`"),
        );
    }

    let service_type = workload.service_type.unwrap_or(ServiceType::ClusterIP);

    let run_as_user = workload.security.run_as_user.unwrap_or(DEFAULT_USER);
    if run_as_user == 0 {
        let span = ctx.value(&["workloads", name, "security", "runAsUser"]);
        ctx.report(
            Diagnostic::error(
                Code::InvalidValue,
                "containers may not run as root (user 0)",
            )
            .at(span, "user 0 is root")
            .with_help("use the image's unprivileged user id, or the default 10001"),
        );
    }
    let run_as_group = workload.security.run_as_group.unwrap_or(run_as_user);
    let config = workload.config.as_ref().map(|c| ConfigModel {
        env: c.env.iter().map(|(k, v)| (k.clone(), v.clone())).collect(),
        files: c
            .files
            .iter()
            .map(|(k, v)| (k.clone(), v.clone()))
            .collect(),
        mount_path: c
            .mount_path
            .clone()
            .unwrap_or_else(|| format!("/etc/{name}")),
        mounts: c
            .mounts
            .iter()
            .map(|(path, files)| {
                let files = files.iter().map(|(k, v)| (k.clone(), v.clone()));
                (path.clone(), files.collect())
            })
            .collect(),
    });

    let image = resolve_image(ctx, name, workload);
    let metrics = super::network::resolve_metrics(ctx, name, workload, &port_names);
    let egress = super::network::resolve_egress(ctx, name, workload);
    let placement = super::placement::resolve(ctx, name, workload);
    check_annotations(ctx, name, workload);
    super::config_mounts::check(ctx, name, workload);
    let field_env = super::field_env::resolve(ctx, name, workload);

    // Without an image (reported here, or at the workload `imageOf` names)
    // the workload is not modelled; the stand-in only lets the capabilities'
    // workload checks run, so one run reports every problem.
    let has_image = image.is_some();
    let mut model = WorkloadModel {
        name: name.to_owned(),
        namespace: workload.namespace.clone(),
        kind,
        description: workload.description.clone(),
        component: workload.component.clone(),
        image: image.unwrap_or_else(Image::stand_in),
        command: workload.command.clone(),
        args: workload.args.clone(),
        ports,
        env: workload
            .env
            .iter()
            .map(|(k, v)| (k.clone(), v.clone()))
            .collect(),
        field_env,
        config,
        resources,
        replicas,
        spread: workload
            .scheduling
            .spread
            .unwrap_or(autoscaling.as_ref().map_or(replicas, |a| a.max) >= 2),
        autoscaling,
        disruption_budget,
        rollout,
        // Set by the rollouts capability's analysis.
        pod_owner: None,
        liveness,
        readiness,
        startup,
        storage,
        writable_paths,
        sidecars,
        init_containers,
        uses: uses(workload),
        connection_env: Vec::new(),
        connection_groups: BTreeMap::new(),
        metrics,
        egress,
        // Set by the rbac capability's analysis.
        // Resolved by the ingress capability's analysis.
        // Set by the ingress capability's analysis.
        exposed_ports: Vec::new(),
        security: SecurityModel {
            run_as_user,
            run_as_group,
            fs_group: workload.security.fs_group.unwrap_or(run_as_group),
            read_only_root_filesystem: workload.security.read_only_root_filesystem.unwrap_or(true),
        },
        node_selector: placement.node_selector,
        tolerations: placement.tolerations,
        priority_class: placement.priority_class,
        // Set by the secrets capability's workload hook.
        secret_env: Vec::new(),
        secret_files: Vec::new(),
        automount_token: super::service_account_token::automount_token(workload),
        service_type,
        pod_annotations: workload.pod_annotations.clone(),
        annotations: workload.annotations.clone(),
        service_account_annotations: workload
            .service_account
            .as_ref()
            .map(|account| account.annotations.clone())
            .unwrap_or_default(),
        // Set by the secrets capability's workload hook.
        image_pull_secrets: Vec::new(),
        waivers: super::waivers::of_workload(&ctx.spec.policy, name, &workload.namespace),
        batch,
        // Set by `batch::link_run_before` once every workload is resolved.
        runs_after: Vec::new(),
        // Each capability's analysis adds its own.
        parts: crate::spec::Sections::default(),
        origin: ctx.key(&["workloads", name]),
    };
    for hook in hooks {
        hook(ctx, workload, &mut model);
    }
    (has_image && ctx.diagnostics.error_count() == errors_before).then_some(model)
}

/// The workload's image: its own `image`, or that of the workload its
/// `imageOf` names (which must have an `image` of its own: one hop, so the
/// owner of an image is always one line away).
fn resolve_image(ctx: &mut Context<'_>, name: &str, workload: &Workload) -> Option<Image> {
    let spec = ctx.spec;
    let Some(target) = &workload.image_of else {
        if let Some(image) = &workload.image {
            return Some(image.clone());
        }
        let diagnostic = Diagnostic::error(Code::MissingField, "missing field `image`")
            .with_help("or `imageOf: <workload>` to run another workload's image");
        let diagnostic = match ctx.removed(&["workloads", name, "image"]) {
            Some(removed) => diagnostic
                .at(removed.by, "the overlay removes `image`")
                .with_secondary(removed.base_key, "set here in the base"),
            None => diagnostic.at(
                ctx.key(&["workloads", name]),
                format!("`image` is required here (in `workloads.{name}`)"),
            ),
        };
        ctx.report(diagnostic);
        return None;
    };
    let span = ctx.value(&["workloads", name, "imageOf"]);
    if workload.image.is_some() {
        let image_span = ctx.key(&["workloads", name, "image"]);
        ctx.report(
            Diagnostic::error(
                Code::InvalidImageOf,
                format!("`{name}` sets both `image` and `imageOf`"),
            )
            .at(span, "the image of another workload")
            .with_secondary(image_span, "an image of its own")
            .with_help("keep one: `imageOf` keeps the two workloads on one image"),
        );
        return None;
    }
    let problem = match spec.workloads.get(target) {
        _ if target == name => Some("a workload's own image is its `image`".to_owned()),
        None => Some("no workload has this name".to_owned()),
        Some(owner) => match (&owner.image, &owner.image_of) {
            (Some(image), _) => return Some(image.clone()),
            (None, Some(next)) => Some(format!(
                "`{target}` runs the image of `{next}` itself: name `{next}`"
            )),
            // Its missing image is reported at `target` itself.
            (None, None) => return None,
        },
    };
    let owners = spec
        .workloads
        .iter()
        .filter(|(n, w)| n.as_str() != name && w.image.is_some())
        .map(|(n, _)| n.as_str());
    ctx.report(
        Diagnostic::error(
            Code::InvalidImageOf,
            format!("`{name}` cannot run the image of `{target}`"),
        )
        .at(span, problem.unwrap_or_default())
        .with_help_opt(suggestion::did_you_mean(target, owners)),
    );
    None
}

/// The annotation keys of the workload, its pods and its ServiceAccount.
fn check_annotations(ctx: &mut Context<'_>, name: &str, workload: &Workload) {
    use super::annotations::{Target, check};
    check(
        ctx,
        &["workloads", name, "annotations"],
        &workload.annotations,
        Target::Workload,
    );
    check(
        ctx,
        &["workloads", name, "podAnnotations"],
        &workload.pod_annotations,
        Target::Pods,
    );
    if let Some(account) = &workload.service_account {
        check(
            ctx,
            &["workloads", name, "serviceAccount", "annotations"],
            &account.annotations,
            Target::ServiceAccount,
        );
    }
}

fn check_duplicate_ports(ctx: &mut Context<'_>, name: &str, ports: &[PortModel]) {
    for (index, port) in ports.iter().enumerate() {
        if let Some(first) = ports[..index]
            .iter()
            .find(|p| p.container_port == port.container_port && p.protocol == port.protocol)
        {
            let span = ctx.value(&["workloads", name, "ports", &port.name, "port"]);
            let first_span = ctx.value(&["workloads", name, "ports", &first.name, "port"]);
            ctx.report(
                Diagnostic::error(
                    Code::DuplicateName,
                    format!(
                        "ports `{}` and `{}` both use {} port {}",
                        first.name,
                        port.name,
                        port.protocol.as_str(),
                        port.container_port
                    ),
                )
                .at(span, "used again here")
                .with_secondary(first_span, "first used here"),
            );
        }
    }
}

/// A probe that sets none or several of its actions. When the merge caused it
/// (one action from the base, another from the overlay, or the overlay's
/// `null` removing the only one), the overlay's line is the primary label and
/// the base's the secondary.
fn report_probe_actions(ctx: &mut Context<'_>, name: &str, which: &str, actions: [bool; 3]) {
    const ACTIONS: [&str; 3] = ["http", "tcp", "exec"];
    let message = format!(
        "the {which} probe of `{name}` must set exactly one of `http`, `tcp: true` and `exec`"
    );
    let probe = ["workloads", name, "probes", which];
    let key = |action: &str| ctx.key(&[probe[0], probe[1], probe[2], probe[3], action]);
    let set: Vec<(&str, Span)> = ACTIONS
        .iter()
        .zip(actions)
        .filter(|(_, set)| *set)
        .map(|(action, _)| (*action, key(action)))
        .collect();
    let (overlay, base): (Vec<_>, Vec<_>) =
        set.iter().partition(|(_, span)| ctx.set_by_overlay(*span));
    let removed = ACTIONS.iter().find_map(|action| {
        ctx.removed(&[probe[0], probe[1], probe[2], probe[3], action])
            .map(|removed| (*action, removed))
    });
    let diagnostic = Diagnostic::error(Code::InvalidValue, message);
    let diagnostic = match (overlay.first(), base.is_empty(), removed) {
        // Both files set an action: the overlay added one to the base's.
        (Some((action, span)), false, _) => {
            let mut diagnostic = diagnostic
                .at(*span, format!("the overlay sets `{action}`"))
                .with_help(format!(
                    "the overlay's probe merges into the base's: write `{}: null` in the overlay to replace the base's action",
                    base[0].0
                ));
            for (action, span) in &base {
                diagnostic =
                    diagnostic.with_secondary(*span, format!("`{action}` set here in the base"));
            }
            diagnostic
        }
        // None left: the overlay removed the only one.
        (None, true, Some((action, removed))) => diagnostic
            .at(removed.by, format!("the overlay removes `{action}`"))
            .with_secondary(removed.base_key, "set here in the base")
            .with_help("set another action in the overlay, or remove the probe"),
        _ => diagnostic.at(ctx.key(&probe), "probe defined here"),
    };
    ctx.report(diagnostic);
}

fn resolve_probe(
    ctx: &mut Context<'_>,
    name: &str,
    which: &str,
    probe: &Probe,
    declared: &[&str],
    first_port: Option<&str>,
) -> Option<ProbeModel> {
    let actions = [
        probe.http.is_some(),
        probe.tcp == Some(true),
        probe.exec.is_some(),
    ];
    if actions.iter().filter(|&&set| set).count() != 1 {
        report_probe_actions(ctx, name, which, actions);
        return None;
    }
    let port = match &probe.port {
        Some(port) => {
            super::check_port_reference(ctx, name, &["probes", which, "port"], port, declared);
            Some(port.clone())
        }
        None => first_port.map(str::to_owned),
    };
    let action = if let Some(command) = &probe.exec {
        ProbeAction::Exec {
            command: command.clone(),
        }
    } else {
        let Some(port) = port else {
            let span = ctx.key(&["workloads", name, "probes", which]);
            ctx.report(
                Diagnostic::error(
                    Code::UndeclaredPort,
                    format!(
                        "the {which} probe of `{name}` needs a port, but the workload declares none"
                    ),
                )
                .at(span, "probe defined here"),
            );
            return None;
        };
        match &probe.http {
            Some(path) => ProbeAction::Http {
                path: path.clone(),
                port,
            },
            None => ProbeAction::Tcp { port },
        }
    };
    Some(ProbeModel {
        action,
        initial_delay_seconds: probe.initial_delay_seconds,
        period_seconds: probe.period_seconds,
        timeout_seconds: probe.timeout_seconds,
        failure_threshold: probe.failure_threshold,
    })
}

/// `on_events`: the autoscaler scales on KEDA triggers, checked by the
/// keda capability, and needs no CPU or memory target.
fn check_autoscaling(
    ctx: &mut Context<'_>,
    name: &str,
    autoscaling: &AutoscalingModel,
    on_events: bool,
) {
    if autoscaling.min == 0 {
        let span = ctx.value(&["workloads", name, "autoscaling", "min"]);
        ctx.report(
            Diagnostic::error(
                Code::AutoscalingRange,
                "autoscaling `min` must be at least 1",
            )
            .at(span, "0 replicas"),
        );
    }
    if autoscaling.min > autoscaling.max {
        let span = ctx.value(&["workloads", name, "autoscaling", "min"]);
        let max_span = ctx.value(&["workloads", name, "autoscaling", "max"]);
        ctx.report(
            Diagnostic::error(
                Code::AutoscalingRange,
                format!(
                    "autoscaling `min` ({}) is greater than `max` ({})",
                    autoscaling.min, autoscaling.max
                ),
            )
            .at(span, "min")
            .with_secondary(max_span, "max"),
        );
    }
    for (field, target) in [("cpu", autoscaling.cpu), ("memory", autoscaling.memory)] {
        if let Some(target) = target
            && !(1..=100).contains(&target)
        {
            let span = ctx.value(&["workloads", name, "autoscaling", field]);
            ctx.report(
                Diagnostic::error(
                    Code::InvalidValue,
                    format!("{field} target {target}% is out of range"),
                )
                .at(span, "must be from 1 to 100"),
            );
        }
    }
    if autoscaling.cpu.is_none() && autoscaling.memory.is_none() && !on_events {
        let span = ctx.key(&["workloads", name, "autoscaling"]);
        ctx.report(
            Diagnostic::error(
                Code::InvalidValue,
                format!("autoscaling of `{name}` has no target"),
            )
            .at(span, "set `cpu`, `memory` or both, or `events`")
            .with_help("for example `cpu: 70` scales to keep average CPU at 70% of the request"),
        );
    }
}

fn resolve_disruption_budget(
    ctx: &mut Context<'_>,
    name: &str,
    workload: &Workload,
    min_replicas: u32,
) -> Option<DisruptionBudgetModel> {
    let Some(budget) = &workload.disruption_budget else {
        // Derived: a single replica gets no budget (any budget would either block
        // every drain or protect nothing); two or more keep all but one up.
        return (min_replicas >= 2).then_some(DisruptionBudgetModel::MaxUnavailable(1));
    };
    if budget.enabled == Some(false) {
        return None;
    }
    let model = match (budget.min_available, budget.max_unavailable) {
        (Some(min), None) => DisruptionBudgetModel::MinAvailable(min),
        (None, Some(max)) => DisruptionBudgetModel::MaxUnavailable(max),
        (None, None) => {
            return (min_replicas >= 2).then_some(DisruptionBudgetModel::MaxUnavailable(1));
        }
        (Some(_), Some(_)) => {
            let span = ctx.key(&["workloads", name, "disruptionBudget"]);
            ctx.report(
                Diagnostic::error(
                    Code::InvalidValue,
                    "set only one of `minAvailable` and `maxUnavailable`",
                )
                .at(span, "both set"),
            );
            return None;
        }
    };
    let blocks = match model {
        DisruptionBudgetModel::MinAvailable(min) => min >= min_replicas,
        DisruptionBudgetModel::MaxUnavailable(max) => max == 0,
    };
    if blocks {
        let (field, value) = match model {
            DisruptionBudgetModel::MinAvailable(min) => ("minAvailable", min),
            DisruptionBudgetModel::MaxUnavailable(max) => ("maxUnavailable", max),
        };
        let value_span = ctx.value(&["workloads", name, "disruptionBudget", field]);
        ctx.report(
            Diagnostic::error(
                Code::DisruptionBudget,
                format!("the disruption budget of `{name}` can never allow an eviction"),
            )
            .at(value_span, format!("`{field}: {value}` with at least {min_replicas} replica(s)"))
            .with_help("node drains and cluster upgrades would block forever: keep at least one pod evictable, e.g. `maxUnavailable: 1`"),
        );
        return None;
    }
    Some(model)
}

/// `uses`, and the services of `connections` not listed there: connecting to
/// a service is using it.
fn uses(workload: &Workload) -> Vec<String> {
    let mut uses = workload.uses.clone();
    for name in workload.connections.keys() {
        if !uses.contains(name) {
            uses.push(name.clone());
        }
    }
    uses
}

//! The KEDA capability's analysis: resolves each workload's
//! `autoscaling.events` into the triggers of its ScaledObject, checking
//! what KEDA would otherwise only log at run time: a broker that does not
//! exist or that the workload has no credentials for, cron windows that
//! never open, and an autoscaler asked to scale on CPU or memory too.
//!
//! What KEDA does, which this encodes, is from its documentation
//! (keda.sh/docs, v2.16: the `rabbitmq`, `prometheus` and `cron` scalers,
//! `TriggerAuthentication`) and its release manifests (the operator's
//! namespace `keda` and pod label `app: keda-operator`).

use crate::analyze::{Context, schedule_problem, time_zone_problem};
use crate::diagnostic::{Code, Diagnostic, suggestion};
use crate::model::PlatformModel;

use std::collections::BTreeSet;

use crate::model::AutoscalerReadModel;

use super::model::{
    EventScalingModel, OPERATOR_POD_LABELS, RABBITMQ_MANAGEMENT_PORT, TriggerModel,
};
use crate::spec::EventTriggers;

/// KEDA's install namespace (its release manifests and Helm chart).
const DEFAULT_NAMESPACE: &str = "keda";

/// The capability's analysis hook.
pub fn analyze(ctx: &mut Context<'_>, model: &mut PlatformModel) {
    let spec = ctx.spec;
    let mut any = false;
    for index in 0..model.workloads.len() {
        let name = model.workloads[index].name.clone();
        let Some(autoscaling) = spec
            .workloads
            .get(&name)
            .and_then(|w| w.autoscaling.as_ref())
            .filter(|a| a.enabled != Some(false))
        else {
            continue;
        };
        let Some(events) = &autoscaling.events else {
            continue;
        };
        any = true;
        let path = ["workloads", name.as_str(), "autoscaling"];
        for (field, set) in [
            ("cpu", autoscaling.cpu.is_some()),
            ("memory", autoscaling.memory.is_some()),
        ] {
            if set {
                let span = ctx.key(&[&path[..], &[field]].concat());
                let events_span = ctx.key(&[&path[..], &["events"]].concat());
                ctx.report(
                    Diagnostic::error(
                        Code::AutoscalerConflict,
                        format!("`{name}` scales on events and on {field} at once"),
                    )
                    .at(span, format!("{field} target of a HorizontalPodAutoscaler"))
                    .with_secondary(events_span, "KEDA makes its own HorizontalPodAutoscaler")
                    .with_note(
                        "two autoscalers on one workload overwrite each other's replica count",
                    )
                    .with_help(format!(
                        "remove `{field}`, or `events` to scale on resource use alone"
                    )),
                );
            }
        }
        let resolved = resolve(ctx, model, &name, events);
        if let Some(resolved) = resolved {
            super::model::EVENT_SCALING.set(&mut model.workloads[index].parts, resolved);
        }
    }
    if !any {
        return;
    }
    let namespace = super::spec::keda(spec)
        .and_then(|k| k.namespace.clone())
        .unwrap_or_else(|| DEFAULT_NAMESPACE.to_owned());
    if model.network.policies && model.namespaces.iter().any(|n| n.name == namespace) {
        let span = ctx.value(&["keda", "namespace"]);
        ctx.report(
            Diagnostic::error(
                Code::SourceInPlatformNamespace,
                format!("KEDA cannot run in the platform namespace `{namespace}`"),
            )
            .at(span, "a platform namespace")
            .with_note("every platform namespace denies all traffic by default, which would cut KEDA's operator off from the API server and the brokers")
            .with_help("name the namespace KEDA is installed in, `keda` by default"),
        );
    }
    // KEDA's operator reads each broker a workload scales on, once.
    let brokers: BTreeSet<String> = model
        .workloads
        .iter()
        .filter_map(super::model::event_scaling)
        .flat_map(|events| events.rabbitmq_groups())
        .map(str::to_owned)
        .collect();
    model.autoscaler_reads = brokers
        .into_iter()
        .map(|target| AutoscalerReadModel {
            namespace: namespace.clone(),
            pod_labels: OPERATOR_POD_LABELS
                .iter()
                .map(|(k, v)| ((*k).to_owned(), (*v).to_owned()))
                .collect(),
            target,
            ports: vec![RABBITMQ_MANAGEMENT_PORT],
        })
        .collect();
}

fn resolve(
    ctx: &mut Context<'_>,
    model: &PlatformModel,
    name: &str,
    events: &EventTriggers,
) -> Option<EventScalingModel> {
    let path = ["workloads", name, "autoscaling", "events"];
    let at = |field: &[&str]| -> Vec<String> {
        path.iter()
            .chain(field.iter())
            .map(|s| (*s).to_owned())
            .collect()
    };
    let span_of = |ctx: &Context<'_>, field: &[&str], key: bool| {
        let owned = at(field);
        let path: Vec<&str> = owned.iter().map(String::as_str).collect();
        if key {
            ctx.key(&path)
        } else {
            ctx.value(&path)
        }
    };
    let errors_before = ctx.diagnostics.error_count();
    let workload = model.workload(name)?;
    let (min, max) = workload
        .autoscaling
        .as_ref()
        .map_or((1, 1), |a| (a.min, a.max));
    let mut triggers = Vec::new();

    if let Some(rabbitmq) = &events.rabbitmq {
        let service = rabbitmq.service.as_str();
        match crate::capabilities::rabbitmq::model::rendered(model)
            .iter()
            .find(|broker| broker.name == service)
        {
            Some(broker) => {
                let connects = ctx
                    .spec
                    .workloads
                    .get(name)
                    .is_some_and(|w| w.connections.contains_key(service));
                if !connects {
                    let span = span_of(ctx, &["rabbitmq", "service"], false);
                    ctx.report(
                        Diagnostic::error(
                            Code::ScalingWithoutConnection,
                            format!("`{name}` scales on a queue of `{service}` but does not connect to it"),
                        )
                        .at(span, "no `connections` entry for this broker")
                        .with_note(format!(
                            "KEDA reads the queue with the broker's default user, from the Secret `{}` in the workload's namespace: the connection is what puts it there",
                            broker.default_user_secret()
                        ))
                        .with_help(format!("add `connections: {{ {service}: {{ env: {{ ... }} }} }}` to `{name}`")),
                    );
                }
                if rabbitmq.queue.trim().is_empty() {
                    let span = span_of(ctx, &["rabbitmq", "queue"], false);
                    ctx.report(
                        Diagnostic::error(Code::InvalidValue, "empty queue name")
                            .at(span, "expected the name of the queue the workload consumes"),
                    );
                }
                if rabbitmq.messages_per_replica == 0 {
                    let span = span_of(ctx, &["rabbitmq", "messagesPerReplica"], false);
                    ctx.report(
                        Diagnostic::error(
                            Code::InvalidValue,
                            "`messagesPerReplica` must be at least 1",
                        )
                        .at(span, "0 messages"),
                    );
                }
                triggers.push(TriggerModel::Rabbitmq {
                    group: broker.name.clone(),
                    host: format!(
                        "http://{}:{RABBITMQ_MANAGEMENT_PORT}/",
                        broker.service_host()
                    ),
                    vhost: rabbitmq.vhost.clone().unwrap_or_else(|| "/".to_owned()),
                    queue: rabbitmq.queue.clone(),
                    messages_per_replica: rabbitmq.messages_per_replica,
                    secret: broker.default_user_secret(),
                });
            }
            None if crate::capabilities::rabbitmq::spec::declared(ctx.spec)
                .get(service)
                .is_some_and(|b| b.enabled != Some(false)) =>
            {
                // Declared, but left out of the model by its own errors.
            }
            None => {
                let span = span_of(ctx, &["rabbitmq", "service"], false);
                let other = model.data_service(service).map(|s| s.engine);
                ctx.report(
                    Diagnostic::error(
                        Code::UnknownDependency,
                        match other {
                            Some(engine) => {
                                format!("`{service}` is a {engine} service, not a RabbitMQ broker")
                            }
                            None => format!("unknown RabbitMQ broker `{service}`"),
                        },
                    )
                    .at(
                        span,
                        "no broker under `rabbitmq` has this name in this environment",
                    )
                    .with_help_opt(suggestion::did_you_mean(
                        service,
                        crate::capabilities::rabbitmq::model::rendered(model)
                            .iter()
                            .map(|b| b.name.as_str()),
                    )),
                );
            }
        }
    }

    if let Some(prometheus) = &events.prometheus {
        let address = prometheus.server_address.as_str();
        if !(address.starts_with("http://") || address.starts_with("https://")) {
            let span = span_of(ctx, &["prometheus", "serverAddress"], false);
            ctx.report(
                Diagnostic::error(
                    Code::InvalidValue,
                    format!("invalid Prometheus address `{address}`"),
                )
                .at(span, "expected an http:// or https:// URL")
                .with_help("for example `http://prometheus-operated.monitoring.svc:9090`"),
            );
        }
        if prometheus.query.trim().is_empty() {
            let span = span_of(ctx, &["prometheus", "query"], false);
            ctx.report(
                Diagnostic::error(Code::InvalidValue, "empty Prometheus query")
                    .at(span, "expected a PromQL query returning one value"),
            );
        }
        if !prometheus
            .threshold
            .parse::<f64>()
            .is_ok_and(|t| t > 0.0 && t.is_finite())
        {
            let span = span_of(ctx, &["prometheus", "threshold"], false);
            ctx.report(
                Diagnostic::error(
                    Code::InvalidValue,
                    format!("invalid threshold `{}`", prometheus.threshold),
                )
                .at(span, "expected a positive number")
                .with_help("the query's value one replica handles, e.g. `100`"),
            );
        }
        triggers.push(TriggerModel::Prometheus {
            server_address: prometheus.server_address.clone(),
            query: prometheus.query.clone(),
            threshold: prometheus.threshold.clone(),
        });
    }

    for (index, window) in events.cron.iter().enumerate() {
        let index = index.to_string();
        for (field, expression) in [("start", &window.start), ("end", &window.end)] {
            if let Some(problem) = schedule_problem(expression) {
                let span = span_of(ctx, &["cron", &index, field], false);
                ctx.report(
                    Diagnostic::error(
                        Code::InvalidValue,
                        format!("invalid cron expression `{expression}`"),
                    )
                    .at(span, problem)
                    .with_help("five fields: minute, hour, day of month, month, day of week, e.g. `0 8 * * 1-5`"),
                );
            }
        }
        if window
            .start
            .split_whitespace()
            .eq(window.end.split_whitespace())
        {
            let span = span_of(ctx, &["cron", &index, "end"], false);
            ctx.report(
                Diagnostic::error(Code::InvalidValue, "the window closes when it opens")
                    .at(span, "the same as `start`"),
            );
        }
        if let Some(problem) = time_zone_problem(&window.timezone) {
            let span = span_of(ctx, &["cron", &index, "timezone"], false);
            ctx.report(
                Diagnostic::error(
                    Code::InvalidValue,
                    format!("invalid time zone `{}`", window.timezone),
                )
                .at(span, problem)
                .with_help("an IANA time zone name, for example `Europe/Paris` or `UTC`"),
            );
        }
        if !(min..=max).contains(&window.replicas) {
            let span = span_of(ctx, &["cron", &index, "replicas"], false);
            ctx.report(
                Diagnostic::error(
                    Code::AutoscalingRange,
                    format!(
                        "{} replicas is outside the autoscaler's range {min} to {max}",
                        window.replicas
                    ),
                )
                .at(span, "replicas during the window")
                .with_help(
                    "KEDA keeps the count between `min` and `max`: raise `max` or lower this",
                ),
            );
        }
        triggers.push(TriggerModel::Cron {
            timezone: window.timezone.clone(),
            start: window.start.clone(),
            end: window.end.clone(),
            replicas: window.replicas,
        });
    }

    if events.rabbitmq.is_none() && events.prometheus.is_none() && events.cron.is_empty() {
        let span = span_of(ctx, &[], true);
        ctx.report(
            Diagnostic::error(Code::InvalidValue, format!("`{name}` scales on no event"))
                .at(span, "no trigger")
                .with_help("set `rabbitmq`, `prometheus` or `cron`"),
        );
    }
    if ctx.diagnostics.error_count() > errors_before {
        return None;
    }
    Some(EventScalingModel { triggers })
}

#[cfg(test)]
mod tests {
    use crate::testing;

    const OVERLAY: &str = "\
namespaces: { data: {} }
rabbitmq:
  queue:
    namespace: data
    storage: { size: 1Gi }
    resources:
      requests: { cpu: 100m, memory: 256Mi }
      limits: { cpu: 100m, memory: 256Mi }
workloads:
  web:
    autoscaling:
      min: 1
      max: 4
      events:
        rabbitmq: { service: queue, queue: orders, messagesPerReplica: 5 }
    connections:
      queue: { env: { AMQP_HOST: host } }
";

    #[test]
    fn keda_reads_each_scaled_broker_on_the_management_port() {
        let model = testing::platform(OVERLAY);
        let reads: Vec<(&str, &str, &[u16])> = model
            .autoscaler_reads
            .iter()
            .map(|r| (r.namespace.as_str(), r.target.as_str(), r.ports.as_slice()))
            .collect();
        assert_eq!(reads, [("keda", "queue", &[15672][..])]);
        let web = model.workload("web").expect("web");
        let events = super::super::model::event_scaling(web);
        assert_eq!(events.map(|e| e.triggers.len()), Some(1));
    }
}

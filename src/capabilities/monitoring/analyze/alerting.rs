//! `monitoring.alerting`: the receivers' credentials from exactly one
//! secrets backend (`external` or `existing`; a SealedSecret's ciphertext
//! opens in one namespace only, and the Secret is needed in each namespace
//! with alerts), each receiver with exactly one integration whose keys the
//! credentials have, routes and the default receiver naming receivers that
//! exist.

use super::super::spec::Alerting;
use crate::analyze::{Context, label_problem, subdomain_problem};
use crate::capabilities::secrets::analyze::{check_secret_keys, external_source};
use crate::capabilities::secrets::model::SecretSource;
use crate::diagnostic::{Code, Diagnostic, suggestion};

use super::super::model::{AlertingModel, Integration, ReceiverModel};

const PATH: [&str; 2] = ["monitoring", "alerting"];

fn at<'a>(rest: &[&'a str]) -> Vec<&'a str> {
    let mut path = PATH.to_vec();
    path.extend_from_slice(rest);
    path
}

pub(super) fn resolve(
    ctx: &mut Context<'_>,
    platform: &str,
    alerting: &Alerting,
) -> Option<AlertingModel> {
    let errors_before = ctx.diagnostics.error_count();
    let credentials = &alerting.credentials;
    let (secret, source, keys) = match (&credentials.external, &credentials.existing) {
        (Some(external), None) => (
            format!("{platform}-alerting"),
            external_source(ctx, &at(&["credentials"]), external),
            external.data.keys().cloned().collect::<Vec<_>>(),
        ),
        (None, Some(existing)) => {
            if let Some(problem) = subdomain_problem(&existing.name) {
                let span = ctx.value(&at(&["credentials", "existing", "name"]));
                ctx.report(
                    Diagnostic::error(
                        Code::InvalidName,
                        format!("invalid Secret name `{}`", existing.name),
                    )
                    .at(span, problem),
                );
            }
            check_secret_keys(
                ctx,
                &at(&["credentials", "existing", "keys"]),
                existing.keys.iter(),
            );
            (
                existing.name.clone(),
                SecretSource::Existing,
                existing.keys.clone(),
            )
        }
        (external, _) => {
            let span = ctx.key(&at(&["credentials"]));
            let label = if external.is_some() {
                "both set"
            } else {
                "neither set"
            };
            ctx.report(
                Diagnostic::error(
                    Code::InvalidValue,
                    "the alerting credentials need exactly one of `external` and `existing`",
                )
                .at(span, label)
                .with_note("the Secret is needed in every namespace with alerts: a SealedSecret opens in one namespace only"),
            );
            return None;
        }
    };
    let receivers = resolve_receivers(ctx, alerting, &keys);
    let names: Vec<&str> = alerting.receivers.keys().map(String::as_str).collect();
    let check_receiver = |ctx: &mut Context<'_>, path: &[&str], receiver: &str| {
        if !names.contains(&receiver) {
            let span = ctx.value(path);
            ctx.report(
                Diagnostic::error(
                    Code::InvalidValue,
                    format!("no receiver is named `{receiver}`"),
                )
                .at(span, "not under `alerting.receivers`")
                .with_help_opt(suggestion::did_you_mean(receiver, names.iter().copied())),
            );
        }
    };
    let mut routes = Vec::new();
    for (index, route) in alerting.routes.iter().enumerate() {
        let index = index.to_string();
        super::severity::check(ctx, &at(&["routes", &index, "severity"]), &route.severity);
        check_receiver(ctx, &at(&["routes", &index, "receiver"]), &route.receiver);
        routes.push((route.severity.clone(), route.receiver.clone()));
    }
    check_receiver(ctx, &at(&["defaultReceiver"]), &alerting.default_receiver);
    (ctx.diagnostics.error_count() == errors_before).then(|| AlertingModel {
        secret,
        source,
        receivers,
        routes,
        default_receiver: alerting.default_receiver.clone(),
    })
}

fn resolve_receivers(
    ctx: &mut Context<'_>,
    alerting: &Alerting,
    keys: &[String],
) -> Vec<ReceiverModel> {
    if alerting.receivers.is_empty() {
        let span = ctx.value(&at(&["receivers"]));
        ctx.report(
            Diagnostic::error(Code::InvalidValue, "no receiver is declared")
                .at(span, "declare at least the default receiver"),
        );
    }
    let mut receivers = Vec::new();
    for (name, receiver) in &alerting.receivers {
        if let Some(problem) = label_problem(name, 63) {
            let span = ctx.key(&at(&["receivers", name]));
            ctx.report(
                Diagnostic::error(Code::InvalidName, format!("invalid receiver name `{name}`"))
                    .at(span, problem),
            );
        }
        let key = |ctx: &mut Context<'_>, field: &[&str], key: &str| {
            if !keys.iter().any(|k| k == key) {
                let mut path = at(&["receivers", name]);
                path.extend_from_slice(field);
                let span = ctx.value(&path);
                ctx.report(
                    Diagnostic::error(
                        Code::UnknownSecretKey,
                        format!("the alerting credentials have no key `{key}`"),
                    )
                    .at(span, "not a key of the credentials Secret")
                    .with_help_opt(suggestion::did_you_mean(
                        key,
                        keys.iter().map(String::as_str),
                    ))
                    .with_note(format!("its keys: {}", keys.join(", "))),
                );
            }
        };
        let integration = match (&receiver.pagerduty, &receiver.opsgenie, &receiver.slack) {
            (Some(pagerduty), None, None) => {
                key(ctx, &["pagerduty", "routingKey"], &pagerduty.routing_key);
                Integration::PagerDuty {
                    routing_key: pagerduty.routing_key.clone(),
                }
            }
            (None, Some(opsgenie), None) => {
                key(ctx, &["opsgenie", "apiKey"], &opsgenie.api_key);
                Integration::Opsgenie {
                    api_key: opsgenie.api_key.clone(),
                }
            }
            (None, None, Some(slack)) => {
                key(ctx, &["slack", "apiUrl"], &slack.api_url);
                if slack.channel.trim().is_empty() {
                    let span = ctx.value(&at(&["receivers", name, "slack", "channel"]));
                    ctx.report(
                        Diagnostic::error(Code::InvalidValue, "the Slack channel is empty")
                            .at(span, "e.g. `#platform-alerts`"),
                    );
                }
                Integration::Slack {
                    api_url: slack.api_url.clone(),
                    channel: slack.channel.clone(),
                }
            }
            _ => {
                let span = ctx.key(&at(&["receivers", name]));
                ctx.report(
                    Diagnostic::error(
                        Code::InvalidValue,
                        format!("receiver `{name}` needs exactly one of `pagerduty`, `opsgenie` and `slack`"),
                    )
                    .at(span, "one integration per receiver")
                    .with_help("declare another receiver for another integration"),
                );
                continue;
            }
        };
        receivers.push(ReceiverModel {
            name: name.to_owned(),
            integration,
        });
    }
    receivers
}

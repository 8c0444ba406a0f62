//! The monitoring capability's analysis: `monitoring`'s selector labels,
//! blackbox exporter, severity and runbooks; each workload's scrape interval
//! and timeout; each workload's own alerts, their PromQL parsed here so a
//! mistake is reported at its spec line rather than by Prometheus after the
//! rollout. Workloads that declare `metrics` or `alerts` on a platform
//! without `monitoring` are warned about: nothing would scrape or alert.

mod alerting;
mod alerts;
mod blackbox;
mod duration;
mod severity;

pub use alerts::parse_promql;

use std::collections::BTreeMap;

use crate::analyze::{
    Context, check_labels, check_source_namespace, label_problem, subdomain_problem,
};
use crate::diagnostic::{Code, Diagnostic};
use crate::model::labels::is_label_value;
use crate::model::{MonitoringModel, PlatformModel};
use crate::spec::{Tier, Workload};

use super::model::{PROMETHEUS, PrometheusModel, ScrapeModel};

/// kube-prometheus-stack's selector of monitors, probes and rules when it is
/// installed as the release `kube-prometheus-stack`
/// (`prometheus.prometheusSpec.*SelectorNilUsesHelmValues`, on by default).
const DEFAULT_SELECTOR: (&str, &str) = ("release", "kube-prometheus-stack");
const DEFAULT_INTERVAL: &str = "30s";
/// The longest default scrape timeout (Prometheus's own default).
const DEFAULT_TIMEOUT_MS: u64 = 10_000;
const DEFAULT_RUNBOOKS: &str = "docs/operations.md";

/// Where the monitoring system runs, which network policies admit to every
/// workload's `metrics` port: checked, and without it with policies on,
/// each workload's `metrics` is an error (nothing would let Prometheus in).
fn resolve_monitoring(ctx: &mut Context<'_>, policies: bool) -> Option<MonitoringModel> {
    let spec = ctx.spec;
    let Some(monitoring) = super::spec::monitoring(spec) else {
        if policies {
            for (name, workload) in &spec.workloads {
                if workload.enabled == Some(false) || workload.metrics.is_none() {
                    continue;
                }
                let span = ctx.key(&["workloads", name, "metrics"]);
                ctx.report(
                    Diagnostic::error(
                        Code::MissingMonitoring,
                        format!("`{name}` declares `metrics`, but `monitoring.namespace` is not set"),
                    )
                    .at(span, "the monitoring system must reach this port")
                    .with_help("set `monitoring: { namespace: monitoring }` (the namespace Prometheus runs in)")
                    .with_note("network policies deny all traffic that is not declared; they admit the monitoring system by its namespace"),
                );
            }
        }
        return None;
    };
    if let Some(problem) = label_problem(&monitoring.namespace, 63) {
        let span = ctx.value(&["monitoring", "namespace"]);
        ctx.report(
            Diagnostic::error(
                Code::InvalidName,
                format!("invalid namespace name `{}`", monitoring.namespace),
            )
            .at(span, problem),
        );
    }
    check_labels(ctx, &["monitoring", "podLabels"], &monitoring.pod_labels);
    if policies {
        check_source_namespace(
            ctx,
            &monitoring.namespace,
            &["monitoring", "namespace"],
            "the monitoring system",
        );
    }
    Some(MonitoringModel {
        namespace: monitoring.namespace.clone(),
        pod_labels: monitoring.pod_labels.clone(),
    })
}

/// The capability's analysis hook.
pub fn analyze(ctx: &mut Context<'_>, model: &mut PlatformModel) {
    let spec = ctx.spec;
    let enabled = |w: &&Workload| w.enabled != Some(false);
    model.monitoring = resolve_monitoring(ctx, model.network.policies);
    let Some(monitoring) = super::spec::monitoring(spec) else {
        for (name, workload) in spec.workloads.iter().filter(|(_, w)| enabled(w)) {
            // With network policies on, `metrics` without `monitoring` is
            // already an error (PG3028).
            let key = if workload.metrics.is_some() && !model.network.policies {
                "metrics"
            } else if !super::spec::alerts(workload).is_empty() {
                "alerts"
            } else {
                continue;
            };
            let span = ctx.key(&["workloads", name, key]);
            ctx.report(
                Diagnostic::warning(
                    Code::MetricsNotScraped,
                    format!("`{name}` declares `{key}`, but `monitoring` is not set"),
                )
                .at(span, "nothing renders a monitor or alert rule for it")
                .with_help("set `monitoring: { namespace: monitoring }` (where Prometheus runs)"),
            );
        }
        return;
    };
    let selector_labels = monitoring.selector_labels.clone().unwrap_or_else(|| {
        BTreeMap::from([(DEFAULT_SELECTOR.0.to_owned(), DEFAULT_SELECTOR.1.to_owned())])
    });
    check_selector_labels(ctx, &selector_labels);
    let severity = match &monitoring.severity {
        Some(severity) => {
            severity::check(ctx, &["monitoring", "severity"], severity);
            severity.clone()
        }
        None => tier_severity(model.tier).to_owned(),
    };
    let blackbox = monitoring
        .blackbox_exporter
        .as_ref()
        .and_then(|exporter| blackbox::resolve(ctx, exporter));
    let alerting = monitoring
        .alerting
        .as_ref()
        .and_then(|alerting| alerting::resolve(ctx, &spec.platform.name, alerting));
    let mut scrapes = BTreeMap::new();
    let mut alerts = BTreeMap::new();
    for (name, workload) in spec.workloads.iter().filter(|(_, w)| enabled(w)) {
        if let Some(metrics) = &workload.metrics
            && let Some(scrape) = resolve_scrape(
                ctx,
                name,
                metrics.interval.as_deref(),
                metrics.scrape_timeout.as_deref(),
            )
        {
            scrapes.insert(name.clone(), scrape);
        }
        let rules = alerts::resolve(ctx, name, super::spec::alerts(workload), &severity);
        if !rules.is_empty() {
            alerts.insert(name.clone(), rules);
        }
    }
    PROMETHEUS.set(
        &mut model.parts,
        PrometheusModel {
            selector_labels,
            severity,
            runbooks: monitoring
                .runbooks
                .clone()
                .unwrap_or_else(|| DEFAULT_RUNBOOKS.to_owned()),
            blackbox,
            scrapes,
            alerts,
            alerting,
            dashboards: monitoring.dashboards != Some(false),
        },
    );
}

/// Who is paged: production alerts page, staging ones notify, development
/// ones are informational.
fn tier_severity(tier: Tier) -> &'static str {
    match tier {
        Tier::Production => "critical",
        Tier::Staging => "warning",
        Tier::Development => "info",
    }
}

fn check_selector_labels(ctx: &mut Context<'_>, labels: &BTreeMap<String, String>) {
    if labels.is_empty() {
        let span = ctx.value(&["monitoring", "selectorLabels"]);
        ctx.report(
            Diagnostic::error(Code::InvalidValue, "`monitoring.selectorLabels` is empty")
                .at(span, "list the labels Prometheus selects monitors by")
                .with_note("kube-prometheus-stack selects `release: <its release name>` unless told otherwise"),
        );
    }
    for (key, value) in labels {
        let (prefix, name) = match key.rsplit_once('/') {
            Some((prefix, name)) => (Some(prefix), name),
            None => (None, key.as_str()),
        };
        if name.is_empty()
            || !is_label_value(name)
            || prefix.is_some_and(|p| subdomain_problem(p).is_some())
        {
            let span = ctx.key(&["monitoring", "selectorLabels", key]);
            ctx.report(
                Diagnostic::error(Code::InvalidName, format!("invalid label key `{key}`"))
                    .at(span, "an optional DNS prefix and `/`, then at most 63 letters, digits, `-`, `_` or `.`"),
            );
        }
        if !value.is_empty() && !is_label_value(value) {
            let span = ctx.value(&["monitoring", "selectorLabels", key]);
            ctx.report(
                Diagnostic::error(Code::InvalidName, format!("invalid label value `{value}`"))
                    .at(span, "at most 63 letters, digits, `-`, `_` or `.`, starting and ending with a letter or digit"),
            );
        }
    }
}

/// A workload's scrape interval and timeout: valid durations, the timeout
/// shorter than the interval (Prometheus refuses a longer one, and an equal
/// one leaves no time between scrapes).
fn resolve_scrape(
    ctx: &mut Context<'_>,
    name: &str,
    interval: Option<&str>,
    timeout: Option<&str>,
) -> Option<ScrapeModel> {
    let interval_text = interval.unwrap_or(DEFAULT_INTERVAL);
    let interval_ms = duration::checked(
        ctx,
        &["workloads", name, "metrics", "interval"],
        interval_text,
    )?;
    let (timeout_text, timeout_ms) = match timeout {
        Some(text) => (
            text.to_owned(),
            duration::checked(ctx, &["workloads", name, "metrics", "scrapeTimeout"], text)?,
        ),
        None => {
            let ms = DEFAULT_TIMEOUT_MS.min(interval_ms / 2).max(1);
            (format_duration(ms), ms)
        }
    };
    if timeout_ms >= interval_ms {
        let span = ctx.value(&["workloads", name, "metrics", "scrapeTimeout"]);
        let interval_span = if interval.is_some() {
            Some(ctx.value(&["workloads", name, "metrics", "interval"]))
        } else {
            None
        };
        let mut diagnostic = Diagnostic::error(
            Code::InvalidValue,
            format!(
                "scrape timeout `{timeout_text}` is not shorter than the interval `{interval_text}`"
            ),
        )
        .at(span, "must be shorter than the interval")
        .with_note("Prometheus refuses a scrape timeout longer than the scrape interval");
        if let Some(interval_span) = interval_span {
            diagnostic = diagnostic.with_secondary(interval_span, "the interval");
        }
        ctx.report(diagnostic);
        return None;
    }
    Some(ScrapeModel {
        interval: interval_text.to_owned(),
        timeout: timeout_text,
    })
}

/// Milliseconds as a Prometheus duration, in the largest exact unit.
fn format_duration(ms: u64) -> String {
    if ms.is_multiple_of(60_000) {
        format!("{}m", ms / 60_000)
    } else if ms.is_multiple_of(1_000) {
        format!("{}s", ms / 1_000)
    } else {
        format!("{ms}ms")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn durations_format_in_their_largest_exact_unit() {
        assert_eq!(format_duration(10_000), "10s");
        assert_eq!(format_duration(120_000), "2m");
        assert_eq!(format_duration(2_500), "2500ms");
    }
}

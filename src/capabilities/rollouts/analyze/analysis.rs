//! `delivery.analysis` resolved: what Prometheus measures on the new
//! version's pods, and where Prometheus is.

use crate::analyze::Context;
use crate::diagnostic::{Code, Diagnostic};
use crate::model::MonitoringModel;

use super::super::model::AnalysisModel;
use super::super::spec::AnalysisSpec;
use super::duration;

const DEFAULT_SUCCESS_RATE: f64 = 99.0;
const DEFAULT_INTERVAL: &str = "1m";
const DEFAULT_MEASUREMENTS: u32 = 5;
const DEFAULT_FAILURE_LIMIT: u32 = 1;
const DEFAULT_REQUESTS_METRIC: &str = "http_requests_total";
const DEFAULT_STATUS_LABEL: &str = "code";
const DEFAULT_LATENCY_METRIC: &str = "http_request_duration_seconds";

/// The analysis of workload `name`; `None` after an error. `scraped` says
/// whether the workload declares `metrics` (so its pods are scraped).
pub(super) fn resolve(
    ctx: &mut Context<'_>,
    name: &str,
    spec: &AnalysisSpec,
    monitoring: Option<&MonitoringModel>,
    scraped: bool,
) -> Option<AnalysisModel> {
    let path = |key: &'static str| ["workloads", name, "delivery", "analysis", key];
    let section = ["workloads", name, "delivery", "analysis"];
    let mut ok = true;
    if !scraped {
        ctx.report(
            Diagnostic::error(
                Code::AnalysisWithoutMetrics,
                format!("workload `{name}` has an analysis but no `metrics`"),
            )
            .at(ctx.key(&section), "measures the new version's requests")
            .with_help("declare where the workload serves its metrics: `metrics: { port: http, path: /metrics }`"),
        );
        ok = false;
    }
    let prometheus = match (&spec.prometheus, monitoring) {
        (Some(address), _) if address.starts_with("http://") || address.starts_with("https://") => {
            Some(address.clone())
        }
        (Some(address), _) => {
            ctx.report(
                Diagnostic::error(
                    Code::InvalidDelivery,
                    format!("invalid Prometheus address `{address}`"),
                )
                .at(
                    ctx.value(&path("prometheus")),
                    "expected an http:// or https:// URL",
                )
                .with_help("for example `http://prometheus-operated.monitoring.svc:9090`"),
            );
            None
        }
        // The Prometheus Operator creates `prometheus-operated` beside every
        // Prometheus it runs.
        (None, Some(monitoring)) => Some(format!(
            "http://prometheus-operated.{}.svc:9090",
            monitoring.namespace
        )),
        (None, None) => {
            ctx.report(
                Diagnostic::error(
                    Code::AnalysisWithoutMetrics,
                    format!("workload `{name}` has an analysis but the platform sets no `monitoring`"),
                )
                .at(ctx.key(&section), "needs Prometheus")
                .with_help("set `monitoring: { namespace: ... }`, or `analysis.prometheus` to Prometheus' address"),
            );
            None
        }
    };
    let success_rate = spec.success_rate.unwrap_or(DEFAULT_SUCCESS_RATE);
    if !(success_rate > 0.0 && success_rate <= 100.0) {
        ctx.report(
            Diagnostic::error(
                Code::InvalidDelivery,
                format!("invalid success rate {success_rate}"),
            )
            .at(
                ctx.value(&path("successRate")),
                "expected a percentage above 0, at most 100",
            ),
        );
        ok = false;
    }
    let latency_p99_seconds = match &spec.latency_p99 {
        None => None,
        Some(text) => {
            let seconds = duration::latency_seconds(text);
            if seconds.is_none() {
                ctx.report(
                    Diagnostic::error(Code::InvalidDelivery, format!("invalid latency `{text}`"))
                        .at(
                            ctx.value(&path("latencyP99")),
                            "expected milliseconds or seconds, such as `500ms` or `2s`",
                        ),
                );
                ok = false;
            }
            seconds
        }
    };
    let interval = spec
        .interval
        .clone()
        .unwrap_or_else(|| DEFAULT_INTERVAL.to_owned());
    if crate::analyze::duration_seconds(&interval).is_none() {
        ctx.report(
            Diagnostic::error(
                Code::InvalidDelivery,
                format!("invalid interval `{interval}`"),
            )
            .at(
                ctx.value(&path("interval")),
                "expected a duration such as `30s` or `1m`",
            ),
        );
        ok = false;
    }
    let measurements = spec.measurements.unwrap_or(DEFAULT_MEASUREMENTS);
    if measurements == 0 {
        ctx.report(
            Diagnostic::error(Code::InvalidDelivery, "an analysis of 0 measurements")
                .at(ctx.value(&path("measurements")), "expected at least 1"),
        );
        ok = false;
    }
    let metric =
        |value: &Option<String>, default: &str| value.clone().unwrap_or_else(|| default.to_owned());
    let requests_metric = metric(&spec.requests_metric, DEFAULT_REQUESTS_METRIC);
    let latency_metric = metric(&spec.latency_metric, DEFAULT_LATENCY_METRIC);
    let status_label = metric(&spec.status_label, DEFAULT_STATUS_LABEL);
    for (key, value) in [
        ("requestsMetric", &requests_metric),
        ("latencyMetric", &latency_metric),
        ("statusLabel", &status_label),
    ] {
        // A label name is a metric name without `:`.
        if !is_metric_name(value) || (key == "statusLabel" && value.contains(':')) {
            ctx.report(
                Diagnostic::error(Code::InvalidDelivery, format!("invalid name `{value}`"))
                    .at(ctx.value(&["workloads", name, "delivery", "analysis", key]), "expected a Prometheus metric or label name")
                    .with_help("letters, digits and `_` (and `:` in a metric name), not starting with a digit"),
            );
            ok = false;
        }
    }
    let prometheus = prometheus?;
    ok.then(|| AnalysisModel {
        prometheus,
        success_rate: success_rate / 100.0,
        latency_p99_seconds,
        interval,
        measurements,
        failure_limit: spec.failure_limit.unwrap_or(DEFAULT_FAILURE_LIMIT),
        requests_metric,
        status_label,
        latency_metric,
    })
}

/// Prometheus' metric names: `[a-zA-Z_:][a-zA-Z0-9_:]*`. Checked because the
/// name is spliced into the queries.
fn is_metric_name(name: &str) -> bool {
    let mut chars = name.chars();
    chars
        .next()
        .is_some_and(|c| c.is_ascii_alphabetic() || c == '_' || c == ':')
        && chars.all(|c| c.is_ascii_alphanumeric() || c == '_' || c == ':')
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn metric_names() {
        assert!(is_metric_name("http_requests_total"));
        assert!(is_metric_name("job:requests:rate5m"));
        for invalid in ["", "1abc", "a-b", "a{b}", "a b"] {
            assert!(!is_metric_name(invalid), "{invalid}");
        }
    }
}

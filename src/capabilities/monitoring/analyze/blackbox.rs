//! `monitoring.blackboxExporter`: the prober's address split into what a
//! Probe's `prober` holds (scheme, host and port, path), its module and the
//! probe interval.

use crate::analyze::{Context, subdomain_problem};
use crate::capabilities::monitoring::spec::BlackboxExporter;
use crate::diagnostic::{Code, Diagnostic};

use super::super::model::BlackboxModel;

const DEFAULT_MODULE: &str = "http_2xx";
const DEFAULT_INTERVAL: &str = "60s";
/// The exporter's probe endpoint.
const DEFAULT_PATH: &str = "/probe";

pub(super) fn resolve(ctx: &mut Context<'_>, exporter: &BlackboxExporter) -> Option<BlackboxModel> {
    let url = parse_url(&exporter.url);
    if let Err(problem) = &url {
        let span = ctx.value(&["monitoring", "blackboxExporter", "url"]);
        ctx.report(
            Diagnostic::error(
                Code::InvalidValue,
                format!("invalid blackbox exporter URL `{}`", exporter.url),
            )
            .at(span, problem.clone())
            .with_help("e.g. `http://prometheus-blackbox-exporter.monitoring.svc:9115`"),
        );
    }
    let module = exporter
        .module
        .clone()
        .unwrap_or_else(|| DEFAULT_MODULE.to_owned());
    if module.is_empty() || module.chars().any(char::is_whitespace) {
        let span = ctx.value(&["monitoring", "blackboxExporter", "module"]);
        ctx.report(
            Diagnostic::error(Code::InvalidValue, format!("invalid module `{module}`")).at(
                span,
                "a module name of the exporter's configuration, e.g. `http_2xx`",
            ),
        );
    }
    let interval = exporter
        .interval
        .clone()
        .unwrap_or_else(|| DEFAULT_INTERVAL.to_owned());
    let interval_ok = super::duration::checked(
        ctx,
        &["monitoring", "blackboxExporter", "interval"],
        &interval,
    )
    .is_some();
    let (scheme, address, path) = url.ok()?;
    interval_ok.then_some(BlackboxModel {
        scheme,
        address,
        path,
        module,
        interval,
    })
}

/// `http(s)://host[:port][/path]` as scheme, `host[:port]` and path.
fn parse_url(url: &str) -> Result<(String, String, String), String> {
    let (scheme, rest) = url
        .split_once("://")
        .ok_or("no scheme: start with `http://` or `https://`")?;
    if scheme != "http" && scheme != "https" {
        return Err(format!("scheme `{scheme}`: use `http` or `https`"));
    }
    let (address, path) = match rest.find('/') {
        Some(slash) => rest.split_at(slash),
        None => (rest, DEFAULT_PATH),
    };
    let path = if path == "/" { DEFAULT_PATH } else { path };
    let (host, port) = match address.rsplit_once(':') {
        Some((host, port)) => (host, Some(port)),
        None => (address, None),
    };
    if let Some(problem) = subdomain_problem(host) {
        return Err(format!("host `{host}`: {problem}"));
    }
    if let Some(port) = port
        && !port.parse::<u16>().is_ok_and(|p| p > 0)
    {
        return Err(format!("port `{port}` is not from 1 to 65535"));
    }
    if path.contains(['?', '#']) || path.chars().any(char::is_whitespace) {
        return Err("the path may hold no query, fragment or space".to_owned());
    }
    Ok((scheme.to_owned(), address.to_owned(), path.to_owned()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[track_caller]
    fn case(url: &str, expected: Option<(&str, &str, &str)>) {
        let parsed = parse_url(url).ok();
        let expected = expected.map(|(s, a, p)| (s.to_owned(), a.to_owned(), p.to_owned()));
        assert_eq!(parsed, expected, "{url}");
    }

    #[test]
    fn urls() {
        case(
            "http://blackbox.monitoring.svc:9115",
            Some(("http", "blackbox.monitoring.svc:9115", "/probe")),
        );
        case(
            "https://blackbox.example.com/custom/probe",
            Some(("https", "blackbox.example.com", "/custom/probe")),
        );
        case("blackbox:9115", None);
        case("ftp://blackbox", None);
        case("http://blackbox:0", None);
        case("http://blackbox:99999", None);
        case("http://Black_Box", None);
        case("http://blackbox/probe?x=1", None);
    }
}

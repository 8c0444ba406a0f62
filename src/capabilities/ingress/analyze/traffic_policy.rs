//! What the proxy enforces on an exposed workload's traffic (`expose.cors`,
//! `rateLimit`, `websocket`, `maxBodySize`): checked where it is written and
//! resolved, with defaults, into a [`TrafficPolicyModel`]. Values are checked
//! against the strictest of the supported controllers, so a spec valid for one
//! renders for all: CORS origins and headers follow the rules of both
//! ingress-nginx's annotations and the Gateway API's CORS filter.

use super::exposure_path::ExposurePath;
use crate::analyze::{Context, canonical_cidr, label_problem};
use crate::capabilities::ingress::model::{
    CorsModel, RateLimitModel, RatePeriod, TrafficPolicyModel, WebSocketModel,
};
use crate::capabilities::ingress::spec::{Cors, Expose, HttpMethod, RateLimit, WebSocket};
use crate::diagnostic::{Code, Diagnostic};

/// ingress-nginx's defaults, so a policy that only lists origins behaves as
/// nginx users expect, whichever controller serves it.
const DEFAULT_METHODS: [HttpMethod; 6] = [
    HttpMethod::Get,
    HttpMethod::Put,
    HttpMethod::Post,
    HttpMethod::Delete,
    HttpMethod::Patch,
    HttpMethod::Options,
];
const DEFAULT_HEADERS: [&str; 8] = [
    "Authorization",
    "Cache-Control",
    "Content-Type",
    "DNT",
    "If-Modified-Since",
    "Keep-Alive",
    "User-Agent",
    "X-Requested-With",
];
/// Chromium caps preflight caching at two hours; longer values only mislead.
const DEFAULT_MAX_AGE_SECONDS: u32 = 7200;
/// ingress-nginx's default burst multiplier.
const DEFAULT_BURST_MULTIPLIER: u32 = 5;
/// An hour: long enough for an idle WebSocket, short enough to reclaim dead ones.
const DEFAULT_WEBSOCKET_TIMEOUT_SECONDS: u32 = 3600;

pub(super) fn resolve(
    ctx: &mut Context<'_>,
    at: &ExposurePath<'_>,
    expose: &Expose,
) -> TrafficPolicyModel {
    TrafficPolicyModel {
        cors: expose.cors.as_ref().map(|cors| resolve_cors(ctx, at, cors)),
        rate_limit: expose
            .rate_limit
            .as_ref()
            .and_then(|limit| resolve_rate_limit(ctx, at, limit)),
        websocket: expose
            .websocket
            .as_ref()
            .map(|websocket| resolve_websocket(ctx, at, websocket)),
        max_body_bytes: expose.max_body_size.as_ref().and_then(|size| {
            let bytes = size.milli() / 1000;
            if size.milli() % 1000 == 0 && bytes > 0 {
                u64::try_from(bytes).ok()
            } else {
                let span = ctx.value(&at.at(&["maxBodySize"]));
                ctx.report(
                    Diagnostic::error(
                        Code::InvalidValue,
                        format!("`{size}` is not a positive whole number of bytes"),
                    )
                    .at(span, "expected a size such as `10Mi`"),
                );
                None
            }
        }),
        allow_source_ranges: resolve_source_ranges(ctx, at, expose),
    }
}

/// `allowSourceRanges`: canonical CIDR blocks, each once, at least one.
fn resolve_source_ranges(
    ctx: &mut Context<'_>,
    at: &ExposurePath<'_>,
    expose: &Expose,
) -> Vec<String> {
    let Some(ranges) = &expose.allow_source_ranges else {
        return Vec::new();
    };
    if ranges.is_empty() {
        let span = ctx.value(&at.at(&["allowSourceRanges"]));
        ctx.report(
            Diagnostic::error(Code::InvalidValue, "`allowSourceRanges` is empty")
                .at(span, "would turn every client away")
                .with_help("list the client blocks allowed (`10.0.0.0/8`), or remove the key to allow every address"),
        );
    }
    let mut blocks = Vec::new();
    for (index, text) in ranges.iter().enumerate() {
        let index = index.to_string();
        let span = ctx.value(&at.at(&["allowSourceRanges", &index]));
        match canonical_cidr(text) {
            Ok(block) if blocks.contains(&block) => ctx.report(
                Diagnostic::error(Code::DuplicateName, format!("`{block}` is listed twice"))
                    .at(span, "listed again here"),
            ),
            Ok(block) => blocks.push(block),
            Err(problem) => ctx.report(
                Diagnostic::error(Code::InvalidCidr, format!("invalid CIDR block `{text}`"))
                    .at(span, problem),
            ),
        }
    }
    blocks
}

fn resolve_cors(ctx: &mut Context<'_>, at: &ExposurePath<'_>, cors: &Cors) -> CorsModel {
    let name = at.workload;
    let path = |rest: &[&str]| -> Vec<String> {
        let mut path = at.owned(&["cors"]);
        path.extend(rest.iter().map(|s| (*s).to_owned()));
        path
    };
    let span_of = |ctx: &Context<'_>, segments: Vec<String>| {
        let segments: Vec<&str> = segments.iter().map(String::as_str).collect();
        ctx.value(&segments)
    };

    if cors.allow_origins.is_empty() {
        let span = span_of(ctx, path(&["allowOrigins"]));
        ctx.report(
            Diagnostic::error(Code::InvalidValue, "`allowOrigins` is empty")
                .at(span, "list at least one origin")
                .with_help("list the origins of the web apps that call this workload, e.g. `[app]` for `https://app.<domain>`"),
        );
    }
    let mut origins = Vec::new();
    for (index, origin) in cors.allow_origins.iter().enumerate() {
        let mut segments = path(&["allowOrigins"]);
        segments.push(index.to_string());
        let span = span_of(ctx, segments);
        match resolve_origin(origin, ctx.spec.domain.as_deref()) {
            Ok(resolved) => {
                if origins.contains(&resolved) {
                    ctx.report(
                        Diagnostic::error(Code::DuplicateName, format!("origin `{resolved}` is listed twice"))
                            .at(span, "listed again here"),
                    );
                } else {
                    origins.push(resolved);
                }
            }
            Err(OriginProblem::NoDomain) => ctx.report(
                Diagnostic::error(
                    Code::MissingDomain,
                    format!(
                        "`{origin}` is a relative origin, but environment `{}` sets no `domain`",
                        ctx.environment
                    ),
                )
                .at(span, "relative origin")
                .with_help("set `domain:` in the environment file, or write the full origin `https://...`"),
            ),
            Err(OriginProblem::Malformed(problem)) => ctx.report(
                Diagnostic::error(Code::InvalidValue, format!("invalid CORS origin `{origin}`"))
                    .at(span, problem)
                    .with_help("an origin is `*`, `https://host`, `https://*.domain` or `https://host:port`, without a path; a name without dots becomes `https://<name>.<domain>`"),
            ),
        }
    }
    if origins.len() > 1 && origins.iter().any(|origin| origin == "*") {
        let span = span_of(ctx, path(&["allowOrigins"]));
        ctx.report(
            Diagnostic::error(Code::InvalidValue, "`*` must be the only origin")
                .at(span, "`*` already allows every origin"),
        );
    }
    let allow_credentials = cors.allow_credentials.unwrap_or(false);
    if allow_credentials && origins.iter().any(|origin| origin == "*") {
        let span = span_of(ctx, path(&["allowCredentials"]));
        let origins_span = span_of(ctx, path(&["allowOrigins"]));
        ctx.report(
            Diagnostic::error(
                Code::InsecureCors,
                format!("workload `{name}` allows credentials from any origin"),
            )
            .at(span, "credentials allowed")
            .with_secondary(origins_span, "from every origin")
            .with_help("list the origins that may send credentials instead of `*`"),
        );
    }

    let allow_methods = cors
        .allow_methods
        .clone()
        .unwrap_or_else(|| DEFAULT_METHODS.to_vec());
    if allow_methods.is_empty() {
        let span = span_of(ctx, path(&["allowMethods"]));
        ctx.report(
            Diagnostic::error(Code::InvalidValue, "`allowMethods` is empty").at(
                span,
                "list at least one method, or leave it out for the defaults",
            ),
        );
    }
    report_repeats(ctx, &path(&["allowMethods"]), &allow_methods);

    let allow_headers = match &cors.allow_headers {
        Some(headers) => {
            check_headers(ctx, &path(&["allowHeaders"]), headers, false);
            headers.clone()
        }
        None => DEFAULT_HEADERS.iter().map(|h| (*h).to_owned()).collect(),
    };
    check_headers(ctx, &path(&["exposeHeaders"]), &cors.expose_headers, true);

    let max_age_seconds = cors.max_age_seconds.unwrap_or(DEFAULT_MAX_AGE_SECONDS);
    if max_age_seconds == 0 {
        let span = span_of(ctx, path(&["maxAgeSeconds"]));
        ctx.report(
            Diagnostic::error(Code::InvalidValue, "`maxAgeSeconds` must be at least 1")
                .at(span, "0 seconds"),
        );
    }
    CorsModel {
        allow_origins: origins,
        allow_methods,
        allow_headers,
        expose_headers: cors.expose_headers.clone(),
        allow_credentials,
        max_age_seconds,
    }
}

#[derive(Debug, PartialEq)]
enum OriginProblem {
    NoDomain,
    Malformed(&'static str),
}

/// The full origin `origin` stands for: `*` and `http(s)://host[:port]` as
/// written, a bare name under `domain` over HTTPS.
fn resolve_origin(origin: &str, domain: Option<&str>) -> Result<String, OriginProblem> {
    if origin == "*" {
        return Ok(origin.to_owned());
    }
    let Some((scheme, authority)) = origin.split_once("://") else {
        if origin.contains('.') || origin.contains(':') || origin.contains('/') {
            return Err(OriginProblem::Malformed("no scheme: start with `https://`"));
        }
        if label_problem(origin, 63).is_some() {
            return Err(OriginProblem::Malformed(
                "a relative origin is a lowercase DNS label",
            ));
        }
        return domain
            .map(|domain| format!("https://{origin}.{}", domain.trim_end_matches('.')))
            .ok_or(OriginProblem::NoDomain);
    };
    if scheme != "https" && scheme != "http" {
        return Err(OriginProblem::Malformed(
            "the scheme must be `https` or `http`",
        ));
    }
    if authority.contains('/') {
        return Err(OriginProblem::Malformed(
            "an origin has no path, not even `/`",
        ));
    }
    let (host, port) = match authority.rsplit_once(':') {
        Some((host, port)) => (host, Some(port)),
        None => (authority, None),
    };
    if let Some(port) = port
        && !(port.len() <= 5
            && port
                .parse::<u32>()
                .is_ok_and(|port| (1..=65_535).contains(&port))
            && port.bytes().all(|b| b.is_ascii_digit()))
    {
        return Err(OriginProblem::Malformed(
            "the port must be a number from 1 to 65535",
        ));
    }
    let bare = host.strip_prefix("*.").unwrap_or(host);
    let labels_ok = !bare.is_empty()
        && bare.split('.').all(|label| {
            !label.is_empty()
                && label
                    .bytes()
                    .all(|b| b.is_ascii_alphanumeric() || b == b'-')
        });
    if !labels_ok {
        return Err(OriginProblem::Malformed(
            "the host must be dot-separated letters, digits and `-`, optionally starting with `*.`",
        ));
    }
    Ok(origin.to_owned())
}

/// Header names are HTTP tokens; ingress-nginx accepts only letters, digits,
/// `-` and `_` in them (and `*` among exposed headers), and drops the whole
/// annotation otherwise.
fn check_headers(ctx: &mut Context<'_>, path: &[String], headers: &[String], star: bool) {
    for (index, header) in headers.iter().enumerate() {
        let valid = !header.is_empty()
            && (header
                .bytes()
                .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_')
                || star && header == "*");
        if !valid {
            let mut segments: Vec<&str> = path.iter().map(String::as_str).collect();
            let index = index.to_string();
            segments.push(&index);
            let span = ctx.value(&segments);
            ctx.report(
                Diagnostic::error(
                    Code::InvalidValue,
                    format!("invalid header name `{header}`"),
                )
                .at(span, "use letters, digits, `-` and `_`"),
            );
        }
    }
    report_repeats(
        ctx,
        path,
        &headers
            .iter()
            .map(|h| h.to_ascii_lowercase())
            .collect::<Vec<_>>(),
    );
}

/// The Gateway API declares these lists as sets: a repeated item is rejected
/// by the API server, so it is reported here.
fn report_repeats<T: PartialEq + std::fmt::Debug>(
    ctx: &mut Context<'_>,
    path: &[String],
    items: &[T],
) {
    for (index, item) in items.iter().enumerate() {
        if items[..index].contains(item) {
            let mut segments: Vec<&str> = path.iter().map(String::as_str).collect();
            let index = index.to_string();
            segments.push(&index);
            let span = ctx.value(&segments);
            ctx.report(
                Diagnostic::error(Code::DuplicateName, "listed twice")
                    .at(span, "already listed before"),
            );
        }
    }
}

fn resolve_rate_limit(
    ctx: &mut Context<'_>,
    exposure: &ExposurePath<'_>,
    limit: &RateLimit,
) -> Option<RateLimitModel> {
    let at = |field: &'static str| exposure.at(&["rateLimit", field]);
    let (requests, period, field) = match (limit.requests_per_second, limit.requests_per_minute) {
        (Some(requests), None) => (requests, RatePeriod::Second, "requestsPerSecond"),
        (None, Some(requests)) => (requests, RatePeriod::Minute, "requestsPerMinute"),
        (second, _) => {
            let span = ctx.key(&exposure.at(&["rateLimit"]));
            let problem = if second.is_some() {
                "both are set"
            } else {
                "neither is set"
            };
            ctx.report(
                Diagnostic::error(
                    Code::InvalidValue,
                    "a rate limit needs exactly one of `requestsPerSecond` and `requestsPerMinute`",
                )
                .at(span, problem),
            );
            return None;
        }
    };
    let burst_multiplier = limit.burst_multiplier.unwrap_or(DEFAULT_BURST_MULTIPLIER);
    let mut valid = true;
    for (field, value) in [(field, requests), ("burstMultiplier", burst_multiplier)] {
        if value == 0 {
            let span = ctx.value(&at(field));
            ctx.report(
                Diagnostic::error(Code::InvalidValue, format!("`{field}` must be at least 1"))
                    .at(span, "0 would block every request"),
            );
            valid = false;
        }
    }
    valid.then_some(RateLimitModel {
        requests,
        period,
        burst_multiplier,
    })
}

fn resolve_websocket(
    ctx: &mut Context<'_>,
    at: &ExposurePath<'_>,
    websocket: &WebSocket,
) -> WebSocketModel {
    let mut timeout = |field: &'static str, value: Option<u32>| {
        let value = value.unwrap_or(DEFAULT_WEBSOCKET_TIMEOUT_SECONDS);
        if value == 0 {
            let span = ctx.value(&at.at(&["websocket", field]));
            ctx.report(
                Diagnostic::error(Code::InvalidValue, format!("`{field}` must be at least 1"))
                    .at(span, "0 seconds"),
            );
        }
        value
    };
    WebSocketModel {
        read_timeout_seconds: timeout("readTimeoutSeconds", websocket.read_timeout_seconds),
        send_timeout_seconds: timeout("sendTimeoutSeconds", websocket.send_timeout_seconds),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[track_caller]
    fn case(origin: &str, domain: Option<&str>, expected: Result<&str, ()>) {
        let got = resolve_origin(origin, domain);
        match expected {
            Ok(want) => assert_eq!(got, Ok(want.to_owned()), "{origin}"),
            Err(()) => assert!(got.is_err(), "{origin}: {got:?}"),
        }
    }

    #[test]
    fn origins() {
        let domain = Some("example.com");
        case("*", None, Ok("*"));
        case(
            "https://app.example.com",
            None,
            Ok("https://app.example.com"),
        );
        case("http://localhost:3000", None, Ok("http://localhost:3000"));
        case("https://*.example.com", None, Ok("https://*.example.com"));
        case("app", domain, Ok("https://app.example.com"));
        case("app", Some("example.com."), Ok("https://app.example.com"));
        case("app", None, Err(()));
        case("app.example.com", domain, Err(()));
        case("https://app.example.com/", domain, Err(()));
        case("https://app.example.com/path", domain, Err(()));
        case("ftp://app.example.com", domain, Err(()));
        case("https://", domain, Err(()));
        case("https://app..com", domain, Err(()));
        case("https://app.example.com:0", domain, Err(()));
        case("https://app.example.com:65536", domain, Err(()));
        case("https://app.example.com:+80", domain, Err(()));
        case("https://app_1.example.com", domain, Err(()));
        case("App", domain, Err(()));
    }

    #[test]
    fn rate_limit_burst() {
        let limit = RateLimitModel {
            requests: 10,
            period: RatePeriod::Second,
            burst_multiplier: 5,
        };
        assert_eq!(limit.burst(), 50);
    }
}

//! ingress-nginx annotations for what the controller enforces on an exposed
//! workload's traffic: CORS, rate limits, WebSocket timeouts, body size, the
//! client addresses allowed. Every
//! CORS annotation is written out, defaults included: ingress-nginx's own
//! defaults (credentials allowed, origin `*`) are not the spec's.

use std::collections::BTreeMap;

use crate::capabilities::ingress::model::{RatePeriod, TrafficPolicyModel};

const PREFIX: &str = "nginx.ingress.kubernetes.io/";

pub(super) fn annotations(policy: &TrafficPolicyModel) -> BTreeMap<String, String> {
    let mut annotations = BTreeMap::new();
    let mut set = |name: &str, value: String| {
        annotations.insert(format!("{PREFIX}{name}"), value);
    };
    if let Some(cors) = &policy.cors {
        set("enable-cors", "true".to_owned());
        set("cors-allow-origin", cors.allow_origins.join(", "));
        let methods: Vec<_> = cors.allow_methods.iter().map(|m| m.as_str()).collect();
        set("cors-allow-methods", methods.join(", "));
        set("cors-allow-headers", cors.allow_headers.join(", "));
        if !cors.expose_headers.is_empty() {
            set("cors-expose-headers", cors.expose_headers.join(", "));
        }
        set("cors-allow-credentials", cors.allow_credentials.to_string());
        set("cors-max-age", cors.max_age_seconds.to_string());
    }
    if let Some(limit) = &policy.rate_limit {
        let name = match limit.period {
            RatePeriod::Second => "limit-rps",
            RatePeriod::Minute => "limit-rpm",
        };
        set(name, limit.requests.to_string());
        set("limit-burst-multiplier", limit.burst_multiplier.to_string());
    }
    // Timeouts are plain seconds in ingress-nginx annotations.
    if let Some(websocket) = &policy.websocket {
        set(
            "proxy-read-timeout",
            websocket.read_timeout_seconds.to_string(),
        );
        set(
            "proxy-send-timeout",
            websocket.send_timeout_seconds.to_string(),
        );
    }
    if let Some(bytes) = policy.max_body_bytes {
        set("proxy-body-size", nginx_size(bytes));
    }
    // Comma-separated without spaces, as ingress-nginx documents it; other
    // clients get 403 Forbidden.
    if !policy.allow_source_ranges.is_empty() {
        set(
            "whitelist-source-range",
            policy.allow_source_ranges.join(","),
        );
    }
    annotations
}

/// `bytes` in nginx's size syntax, exactly: the largest of `g`, `m`, `k`
/// (powers of 1024) that divides it, or plain bytes.
fn nginx_size(bytes: u64) -> String {
    [(1 << 30, "g"), (1 << 20, "m"), (1 << 10, "k")]
        .into_iter()
        .find(|(unit, _)| bytes.is_multiple_of(*unit))
        .map_or_else(
            || bytes.to_string(),
            |(unit, suffix)| format!("{}{suffix}", bytes / unit),
        )
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::testing::platform;

    #[track_caller]
    fn case(expose: &str, expected: &[(&str, &str)]) {
        let platform = platform(&format!("workloads:\n  web:\n    expose: {expose}\n"));
        let exposure = crate::capabilities::ingress::model::exposures(&platform.workloads[0])
            .first()
            .expect("exposed");
        let found = annotations(&exposure.policy);
        let expected: BTreeMap<String, String> = expected
            .iter()
            .map(|(name, value)| (format!("{PREFIX}{name}"), (*value).to_owned()))
            .collect();
        assert_eq!(found, expected);
    }

    #[test]
    fn no_policy_no_annotations() {
        case("{}", &[]);
    }

    #[test]
    fn cors_is_written_out_in_full() {
        case(
            "{ cors: { allowOrigins: [app, \"http://localhost:3000\"], allowHeaders: [Authorization] } }",
            &[
                ("enable-cors", "true"),
                (
                    "cors-allow-origin",
                    "https://app.example.com, http://localhost:3000",
                ),
                (
                    "cors-allow-methods",
                    "GET, PUT, POST, DELETE, PATCH, OPTIONS",
                ),
                ("cors-allow-headers", "Authorization"),
                ("cors-allow-credentials", "false"),
                ("cors-max-age", "7200"),
            ],
        );
    }

    #[test]
    fn rate_limits_websockets_and_body_size() {
        case(
            "{ rateLimit: { requestsPerSecond: 20 }, websocket: { readTimeoutSeconds: 600 }, maxBodySize: 50Mi }",
            &[
                ("limit-rps", "20"),
                ("limit-burst-multiplier", "5"),
                ("proxy-read-timeout", "600"),
                ("proxy-send-timeout", "3600"),
                ("proxy-body-size", "50m"),
            ],
        );
        case(
            "{ rateLimit: { requestsPerMinute: 300, burstMultiplier: 2 } }",
            &[("limit-rpm", "300"), ("limit-burst-multiplier", "2")],
        );
    }

    #[test]
    fn allowed_client_blocks_without_spaces() {
        case(
            "{ allowSourceRanges: [10.0.0.0/8, \"2001:db8::/32\"] }",
            &[("whitelist-source-range", "10.0.0.0/8,2001:db8::/32")],
        );
    }

    #[track_caller]
    fn size(bytes: u64, expected: &str) {
        assert_eq!(nginx_size(bytes), expected, "{bytes}");
    }

    #[test]
    fn sizes() {
        size(1 << 30, "1g");
        size(50 << 20, "50m");
        size(1536, "1536");
        size(3 << 10, "3k");
        size(50_000_000, "50000000");
        size(1000 << 10, "1000k");
    }
}

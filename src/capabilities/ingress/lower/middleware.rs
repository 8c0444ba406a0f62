//! Traefik `Middleware` (`traefik.io/v1alpha1`): what traefik enforces on an
//! exposed workload's traffic, one Middleware per concern (traefik allows one
//! kind of middleware per object): `ipAllowList` for the client addresses
//! allowed, `headers` for CORS, `rateLimit`, and `buffering` for the largest
//! request body. The Ingress lists them in its
//! `traefik.ingress.kubernetes.io/router.middlewares` annotation.

use k8s_openapi::apimachinery::pkg::apis::meta::v1::ObjectMeta;
use serde::Serialize;

use crate::capabilities::ingress::model::{CorsModel, ExposureModel, RateLimitModel, RatePeriod};
use crate::model::labels;
use crate::model::{PlatformModel, WorkloadModel};

#[derive(Debug, Serialize)]
#[serde(rename_all = "camelCase")]
pub(super) struct Middleware {
    metadata: ObjectMeta,
    spec: MiddlewareSpec,
}

crate::custom_resource!(
    Middleware,
    "traefik.io",
    "v1alpha1",
    "Middleware",
    Namespaced,
    "middlewares"
);

/// Exactly one field is set.
#[derive(Debug, Default, Serialize)]
#[serde(rename_all = "camelCase")]
struct MiddlewareSpec {
    #[serde(skip_serializing_if = "Option::is_none")]
    headers: Option<Headers>,
    #[serde(skip_serializing_if = "Option::is_none")]
    rate_limit: Option<RateLimit>,
    #[serde(skip_serializing_if = "Option::is_none")]
    buffering: Option<Buffering>,
    #[serde(skip_serializing_if = "Option::is_none")]
    ip_allow_list: Option<IpAllowList>,
}

/// Traefik answers other client addresses with 403 Forbidden.
#[derive(Debug, Serialize)]
#[serde(rename_all = "camelCase")]
struct IpAllowList {
    source_range: Vec<String>,
}

#[derive(Debug, Serialize)]
#[serde(rename_all = "camelCase")]
struct Headers {
    access_control_allow_origin_list: Vec<String>,
    access_control_allow_methods: Vec<&'static str>,
    access_control_allow_headers: Vec<String>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    access_control_expose_headers: Vec<String>,
    access_control_allow_credentials: bool,
    access_control_max_age: u32,
    /// Answers differ by origin, so caches must key on it.
    add_vary_header: bool,
}

/// Traefik limits per client IP by default, as ingress-nginx does.
#[derive(Debug, Serialize)]
struct RateLimit {
    average: u32,
    period: &'static str,
    burst: u64,
}

#[derive(Debug, Serialize)]
#[serde(rename_all = "camelCase")]
struct Buffering {
    max_request_body_bytes: u64,
}

/// The Middlewares of an exposure, in the order traefik should apply them:
/// the address allowlist first (a client turned away costs nothing more),
/// then CORS, so even a rate-limited answer carries the CORS headers a
/// browser needs to show it to the page.
pub(super) fn middlewares(
    platform: &PlatformModel,
    workload: &WorkloadModel,
    exposure: &ExposureModel,
) -> Vec<Middleware> {
    let policy = &exposure.policy;
    let specs = [
        (!policy.allow_source_ranges.is_empty()).then(|| {
            (
                "allow-list",
                MiddlewareSpec {
                    ip_allow_list: Some(IpAllowList {
                        source_range: policy.allow_source_ranges.clone(),
                    }),
                    ..MiddlewareSpec::default()
                },
            )
        }),
        policy.cors.as_ref().map(|cors| {
            (
                "cors",
                MiddlewareSpec {
                    headers: Some(headers(cors)),
                    ..MiddlewareSpec::default()
                },
            )
        }),
        policy.rate_limit.as_ref().map(|limit| {
            (
                "rate-limit",
                MiddlewareSpec {
                    rate_limit: Some(rate_limit(limit)),
                    ..MiddlewareSpec::default()
                },
            )
        }),
        policy.max_body_bytes.map(|bytes| {
            (
                "body-size",
                MiddlewareSpec {
                    buffering: Some(Buffering {
                        max_request_body_bytes: bytes,
                    }),
                    ..MiddlewareSpec::default()
                },
            )
        }),
    ];
    specs
        .into_iter()
        .flatten()
        .map(|(suffix, spec)| Middleware {
            metadata: ObjectMeta {
                name: Some(format!("{}-{suffix}", exposure.object_name)),
                namespace: Some(workload.namespace.clone()),
                labels: Some(labels::workload_labels(platform, workload)),
                ..ObjectMeta::default()
            },
            spec,
        })
        .collect()
}

/// How an Ingress names a Middleware: `<namespace>-<name>@kubernetescrd`.
pub(super) fn reference(middleware: &Middleware) -> String {
    format!(
        "{}-{}@kubernetescrd",
        middleware.metadata.namespace.as_deref().unwrap_or_default(),
        middleware.metadata.name.as_deref().unwrap_or_default()
    )
}

fn headers(cors: &CorsModel) -> Headers {
    Headers {
        access_control_allow_origin_list: cors.allow_origins.clone(),
        access_control_allow_methods: cors.allow_methods.iter().map(|m| m.as_str()).collect(),
        access_control_allow_headers: cors.allow_headers.clone(),
        access_control_expose_headers: cors.expose_headers.clone(),
        access_control_allow_credentials: cors.allow_credentials,
        access_control_max_age: cors.max_age_seconds,
        add_vary_header: true,
    }
}

fn rate_limit(limit: &RateLimitModel) -> RateLimit {
    RateLimit {
        average: limit.requests,
        period: match limit.period {
            RatePeriod::Second => "1s",
            RatePeriod::Minute => "1m",
        },
        burst: limit.burst(),
    }
}

#[cfg(test)]
mod tests {
    use serde_json::{Value, json};

    use super::*;
    use crate::testing::platform;

    #[track_caller]
    fn case(expose: &str, expected: Value) {
        let platform = platform(&format!(
            "ingress: {{ controller: traefik }}\nworkloads:\n  web:\n    expose: {expose}\n"
        ));
        let workload = &platform.workloads[0];
        let exposure = crate::capabilities::ingress::model::exposures(workload)
            .first()
            .expect("exposed");
        let found: Vec<Value> = middlewares(&platform, workload, exposure)
            .iter()
            .map(|m| {
                let value = serde_json::to_value(m).expect("serializes");
                json!({ "ref": reference(m), "spec": value["spec"] })
            })
            .collect();
        assert_eq!(Value::from(found), expected);
    }

    #[test]
    fn the_allow_list_comes_before_everything_else() {
        case(
            "{ rateLimit: { requestsPerSecond: 5 }, allowSourceRanges: [192.168.10.0/24] }",
            json!([
                { "ref": "shop-web-allow-list@kubernetescrd", "spec": {
                    "ipAllowList": { "sourceRange": ["192.168.10.0/24"] },
                } },
                { "ref": "shop-web-rate-limit@kubernetescrd", "spec": {
                    "rateLimit": { "average": 5, "period": "1s", "burst": 25 },
                } },
            ]),
        );
    }

    #[test]
    fn nothing_to_enforce_means_no_middleware() {
        case("{}", json!([]));
    }

    #[test]
    fn one_middleware_per_concern_cors_first() {
        case(
            "{ maxBodySize: 10Mi, rateLimit: { requestsPerMinute: 600, burstMultiplier: 2 }, \
             cors: { allowOrigins: [\"*\"], allowMethods: [GET], exposeHeaders: [X-Request-Id], maxAgeSeconds: 600 } }",
            json!([
                { "ref": "shop-web-cors@kubernetescrd", "spec": { "headers": {
                    "accessControlAllowOriginList": ["*"],
                    "accessControlAllowMethods": ["GET"],
                    "accessControlAllowHeaders": [
                        "Authorization", "Cache-Control", "Content-Type", "DNT",
                        "If-Modified-Since", "Keep-Alive", "User-Agent", "X-Requested-With",
                    ],
                    "accessControlExposeHeaders": ["X-Request-Id"],
                    "accessControlAllowCredentials": false,
                    "accessControlMaxAge": 600,
                    "addVaryHeader": true,
                } } },
                { "ref": "shop-web-rate-limit@kubernetescrd", "spec": { "rateLimit": {
                    "average": 600, "period": "1m", "burst": 1200,
                } } },
                { "ref": "shop-web-body-size@kubernetescrd", "spec": { "buffering": {
                    "maxRequestBodyBytes": 10_485_760,
                } } },
            ]),
        );
    }
}

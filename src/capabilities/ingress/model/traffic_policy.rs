//! `TrafficPolicyModel`: what the ingress controller enforces on an exposed
//! workload's traffic before it reaches the pods: CORS, rate limits, WebSocket
//! timeouts, the largest request body and the client addresses allowed. Controller-neutral: lowering turns
//! it into nginx annotations, traefik Middlewares or HTTPRoute filters.

use crate::capabilities::ingress::spec::HttpMethod;

#[derive(Debug, Clone, Default)]
pub struct TrafficPolicyModel {
    pub cors: Option<CorsModel>,
    pub rate_limit: Option<RateLimitModel>,
    pub websocket: Option<WebSocketModel>,
    pub max_body_bytes: Option<u64>,
    /// Client addresses allowed, canonical CIDR blocks in spec order; empty:
    /// every address.
    pub allow_source_ranges: Vec<String>,
}

#[derive(Debug, Clone)]
pub struct CorsModel {
    /// Full origins (`https://app.example.com`) or `*`, in spec order.
    pub allow_origins: Vec<String>,
    pub allow_methods: Vec<HttpMethod>,
    pub allow_headers: Vec<String>,
    pub expose_headers: Vec<String>,
    pub allow_credentials: bool,
    pub max_age_seconds: u32,
}

#[derive(Debug, Clone, Copy)]
pub struct RateLimitModel {
    /// Requests per `period`.
    pub requests: u32,
    pub period: RatePeriod,
    pub burst_multiplier: u32,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RatePeriod {
    Second,
    Minute,
}

#[derive(Debug, Clone, Copy)]
pub struct WebSocketModel {
    pub read_timeout_seconds: u32,
    pub send_timeout_seconds: u32,
}

impl RateLimitModel {
    /// Requests allowed at once above the sustained rate.
    pub fn burst(&self) -> u64 {
        u64::from(self.requests) * u64::from(self.burst_multiplier)
    }
}

//! Ingress: how exposed workloads are reached from outside. The `ingress`
//! section picks the routing API (Ingresses or one Gateway API Gateway), the
//! controller and the certificate issuer; each workload's `expose` gives its
//! host and what the proxy enforces (CORS, rate limits, WebSocket timeouts,
//! body size). Rendered as a ClusterIssuer with its HTTP-01 solver policies
//! and a Gateway per platform, and an Ingress (with traefik Middlewares) or an
//! HTTPRoute per exposed workload. Its policy rule, PG4007, checks that every
//! public host is served over TLS.

pub mod analyze;
pub mod lower;
pub mod model;
pub mod policy;
pub mod spec;

use super::capability::Capability;

pub const CAPABILITY: Capability = Capability {
    name: "ingress",
    spec_keys: &["ingress"],
    sections: spec::SECTIONS,
    namespace_paths: spec::NAMESPACE_PATHS,
    docs: "docs/ingress.md",
    analyze: Some(analyze::analyze),
    analyze_workload: None,
    provides_env: None,
    lower: Some(lower::platform_objects),
    lower_workload: Some(lower::workload_objects),
    rules: &[&policy::RULE],
};

//! `tracing`: where the platform's traces go. Serde + schemars only.

use schemars::JsonSchema;
use serde::Deserialize;

#[derive(Debug, Clone, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
pub struct TracingSpec {
    /// `false` turns tracing off in this environment: no variables, no flows.
    #[serde(default)]
    pub enabled: Option<bool>,
    /// The OTLP collector the workloads with `tracing: true` export to.
    pub otlp: OtlpSpec,
}

/// An OTLP collector: `service` (a workload of the platform, e.g. Jaeger or
/// an OpenTelemetry Collector) or `endpoint` (outside the platform).
#[derive(Debug, Clone, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
pub struct OtlpSpec {
    /// The collector workload, by name.
    #[serde(default)]
    pub service: Option<String>,
    /// The collector workload's OTLP port, by name. Default `otlp-grpc`
    /// (protocol `grpc`) or `otlp-http` (protocol `http`).
    #[serde(default)]
    pub port: Option<String>,
    /// A collector outside the platform: `http(s)://host[:port]`. The port
    /// defaults to OTLP's (4317 for gRPC, 4318 for HTTP).
    #[serde(default)]
    pub endpoint: Option<String>,
    /// Where `endpoint` is, as CIDR blocks: the traffic the network
    /// policies let out. Default: the internet (every public address).
    #[serde(default)]
    pub cidrs: Vec<String>,
    /// `grpc` (default) or `http` (OTLP over HTTP with protobuf).
    #[serde(default)]
    pub protocol: Option<OtlpProtocol>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, JsonSchema)]
#[serde(rename_all = "camelCase")]
pub enum OtlpProtocol {
    Grpc,
    Http,
}

use crate::spec::{Scope, Section, SectionType};

/// `tracing`: where traces go.
pub const TRACING: Section<TracingSpec> = Section::new(Scope::Platform, "tracing");

pub const SECTIONS: &[SectionType] = &[SectionType::of(
    TRACING,
    "Where traces go: the OTLP collector of the workloads with `tracing: true`.",
)];

/// The platform's `tracing` section, if the spec sets it.
pub fn tracing(spec: &crate::spec::PlatformSpec) -> Option<&TracingSpec> {
    TRACING.get(&spec.sections)
}

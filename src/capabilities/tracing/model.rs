//! `TracingModel`: where traces go, and which workloads send them.

/// The variables the OTLP exporters of the OpenTelemetry SDKs read
/// (opentelemetry.io, "SDK configuration: general and OTLP exporter").
pub const ENDPOINT_VARIABLE: &str = "OTEL_EXPORTER_OTLP_ENDPOINT";
pub const PROTOCOL_VARIABLE: &str = "OTEL_EXPORTER_OTLP_PROTOCOL";
pub const SERVICE_NAME_VARIABLE: &str = "OTEL_SERVICE_NAME";
pub const RESOURCE_ATTRIBUTES_VARIABLE: &str = "OTEL_RESOURCE_ATTRIBUTES";

#[derive(Debug, Clone)]
pub struct TracingModel {
    /// `OTEL_EXPORTER_OTLP_ENDPOINT`.
    pub endpoint: String,
    /// `grpc` or `http/protobuf`.
    pub protocol: &'static str,
    /// The collector workload and the container port the flows open; `None`
    /// for a collector outside the platform (opened as egress instead).
    pub collector: Option<(String, u16)>,
    /// The workloads that send traces, in spec order.
    pub workloads: Vec<String>,
}

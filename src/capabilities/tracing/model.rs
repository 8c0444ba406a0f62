//! What the tracing capability sets: the OTLP exporter's variables. Where
//! traces go reaches the flow graph as core `TraceExportModel`s.

/// The variables the OTLP exporters of the OpenTelemetry SDKs read
/// (opentelemetry.io, "SDK configuration: general and OTLP exporter").
pub const ENDPOINT_VARIABLE: &str = "OTEL_EXPORTER_OTLP_ENDPOINT";
pub const PROTOCOL_VARIABLE: &str = "OTEL_EXPORTER_OTLP_PROTOCOL";
pub const SERVICE_NAME_VARIABLE: &str = "OTEL_SERVICE_NAME";
pub const RESOURCE_ATTRIBUTES_VARIABLE: &str = "OTEL_RESOURCE_ATTRIBUTES";

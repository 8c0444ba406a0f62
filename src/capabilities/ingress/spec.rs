//! What users write about ingress: the platform's `ingress` section (routing
//! mode, controller, TLS, Gateway) and each workload's `expose` with its
//! traffic settings. One concept per file; re-exported by `crate::spec`.

mod cors;
mod expose;
mod gateway;
mod http_method;
mod ingress;
mod ingress_controller;
mod ingress_mode;
mod rate_limit;
mod tls;
mod websocket;

pub use cors::Cors;
pub use expose::Expose;
pub use gateway::Gateway;
pub use http_method::HttpMethod;
pub use ingress::Ingress;
pub use ingress_controller::IngressController;
pub use ingress_mode::IngressMode;
pub use rate_limit::RateLimit;
pub use tls::{ExistingIssuer, GeneratedIssuer, Tls, TlsIssuer};
pub use websocket::WebSocket;

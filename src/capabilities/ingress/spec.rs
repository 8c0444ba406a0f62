//! What users write about ingress: the platform's `ingress` section (routing
//! mode, controller, TLS, Gateway) and each workload's `expose` with its
//! traffic settings. One concept per file; re-exported by `crate::spec`.

mod cors;
mod expose;
mod exposures;
mod gateway;
mod http_method;
mod ingress;
mod ingress_class;
mod ingress_controller;
mod ingress_mode;
mod rate_limit;
mod tls;
mod websocket;

pub use cors::Cors;
pub use expose::Expose;
pub use exposures::Exposures;
pub use gateway::Gateway;
pub use http_method::HttpMethod;
pub use ingress::Ingress;
pub use ingress_class::IngressClass;
pub use ingress_controller::IngressController;
pub use ingress_mode::IngressMode;
pub use rate_limit::RateLimit;
pub use tls::{ExistingIssuer, GeneratedIssuer, Tls, TlsIssuer};
pub use websocket::WebSocket;

use crate::spec::{Scope, Section, SectionType};

/// `ingress`: routing API, controller, TLS and Gateway of the platform.
pub const INGRESS: Section<Ingress> = Section::new(Scope::Platform, "ingress");
/// `workloads.<name>.expose`: one exposure or a list of them.
pub const EXPOSE: Section<Exposures> = Section::new(Scope::Workload, "expose");

pub const SECTIONS: &[SectionType] = &[
    SectionType::of(
        INGRESS,
        "Ingress controller and TLS settings for publicly exposed workloads.",
    ),
    SectionType::of(
        EXPOSE,
        "Exposure through the ingress controller: one (`{ host, ... }`) or a\nlist, each on its own host or path and port.",
    ),
];

/// The platform's `ingress` section, its defaults when the spec leaves it out.
pub fn ingress(spec: &crate::spec::PlatformSpec) -> &Ingress {
    static DEFAULT: std::sync::LazyLock<Ingress> = std::sync::LazyLock::new(Ingress::default);
    INGRESS.get(&spec.sections).unwrap_or(&DEFAULT)
}

/// The workload's `expose` (one exposure or several), if it is exposed.
pub fn expose(workload: &crate::spec::Workload) -> Option<&Exposures> {
    EXPOSE.get(&workload.sections)
}

/// The key paths of this section whose values name a platform namespace,
/// renamed with the others by `cluster.namespaceTemplate`
/// (`spec::namespace_names`).
pub const NAMESPACE_PATHS: &[&str] = &["ingress.gateway.namespace"];

//! `IngressController`: which ingress controller serves the platform's
//! Ingresses. It decides the controller-specific part of the output (nginx
//! annotations or traefik Middlewares) and the default IngressClass; the spec
//! of an exposure stays the same whichever controller serves it.

use schemars::JsonSchema;
use serde::Deserialize;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, JsonSchema)]
#[serde(rename_all = "camelCase")]
pub enum IngressController {
    /// ingress-nginx (kubernetes/ingress-nginx): CORS, rate limits, timeouts and
    /// body size become `nginx.ingress.kubernetes.io/*` annotations.
    Nginx,
    /// Traefik: CORS, rate limits and body size become `traefik.io/v1alpha1`
    /// Middlewares attached with `traefik.ingress.kubernetes.io/router.middlewares`.
    Traefik,
}

impl IngressController {
    pub const ALL: [IngressController; 2] = [IngressController::Nginx, IngressController::Traefik];

    /// The spec's word for the controller, also its conventional IngressClass name.
    pub fn as_str(self) -> &'static str {
        match self {
            IngressController::Nginx => "nginx",
            IngressController::Traefik => "traefik",
        }
    }
}

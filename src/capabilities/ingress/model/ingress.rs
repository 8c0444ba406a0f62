//! `IngressModel`: how the platform's public routes are served in one
//! environment: Ingresses for a named controller, or a Gateway API Gateway;
//! and which ClusterIssuer signs their certificates.

use crate::capabilities::ingress::spec::IngressController;
use crate::source::Span;

#[derive(Debug, Clone)]
pub struct IngressModel {
    pub routing: RoutingModel,
    pub tls: Option<TlsModel>,
}

#[derive(Debug, Clone)]
pub enum RoutingModel {
    /// An Ingress per exposed workload.
    Ingress {
        controller: IngressController,
        class_name: String,
    },
    /// One Gateway, an HTTPRoute per exposed workload.
    Gateway(GatewayModel),
}

#[derive(Debug, Clone)]
pub struct GatewayModel {
    pub name: String,
    pub namespace: String,
    pub class_name: String,
    /// Namespaces whose HTTPRoutes the Gateway accepts: those of the exposed
    /// workloads, sorted, each once.
    pub route_namespaces: Vec<String>,
    /// The `ingress.gateway` key, for diagnostics on generated objects.
    pub origin: Span,
}

#[derive(Debug, Clone)]
pub struct TlsModel {
    /// Name of the ClusterIssuer in the `cert-manager.io/cluster-issuer`
    /// annotation.
    pub issuer_name: String,
    /// The ClusterIssuer platformgen renders; `None` for an existing one.
    pub generated: Option<IssuerModel>,
    /// The `ingress.tls` key, for diagnostics on generated objects.
    pub origin: Span,
}

#[derive(Debug, Clone)]
pub enum IssuerModel {
    SelfSigned,
    /// An ACME CA answering HTTP-01 challenges through the platform's routing.
    Acme {
        server: &'static str,
        email: String,
    },
}

/// Let's Encrypt's ACME directories.
pub const LETSENCRYPT_STAGING: &str = "https://acme-staging-v02.api.letsencrypt.org/directory";
pub const LETSENCRYPT_PRODUCTION: &str = "https://acme-v02.api.letsencrypt.org/directory";

/// The stand-in the core analysis gives `PlatformModel::ingress` before the
/// capability's analysis resolves it (so the core need not name this type).
impl Default for IngressModel {
    fn default() -> Self {
        Self::stand_in()
    }
}

impl IngressModel {
    /// A placeholder for a model built despite errors, which is never lowered.
    pub fn stand_in() -> Self {
        Self {
            routing: RoutingModel::Ingress {
                controller: IngressController::Nginx,
                class_name: String::new(),
            },
            tls: None,
        }
    }

    pub fn gateway(&self) -> Option<&GatewayModel> {
        match &self.routing {
            RoutingModel::Gateway(gateway) => Some(gateway),
            RoutingModel::Ingress { .. } => None,
        }
    }
}

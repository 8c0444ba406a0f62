//! The resolved ingress of one environment: how routes are served and which
//! issuer signs their certificates (`PlatformModel::ingress`), and each
//! exposed workload's host, path, port and traffic policy
//! (`WorkloadModel::exposure`). Re-exported by `crate::model`, since the
//! network flow graph reads them too.

mod exposure;
mod ingress;
mod traffic_policy;

pub use exposure::ExposureModel;
pub use ingress::{
    GatewayModel, IngressModel, IssuerModel, LETSENCRYPT_PRODUCTION, LETSENCRYPT_STAGING,
    RoutingModel, TlsModel,
};
pub use traffic_policy::{
    CorsModel, RateLimitModel, RatePeriod, TrafficPolicyModel, WebSocketModel,
};

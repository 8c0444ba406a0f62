//! The resolved ingress of one environment: how routes are served and which
//! issuer signs their certificates (`PlatformModel::ingress`), and each
//! exposed workload's exposures: host, path, port, controller and traffic
//! policy of each (`EXPOSURES`). Re-exported by `crate::model`, since the
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

use crate::model::Part;

/// The platform's routing (`PlatformModel::parts`).
pub const ROUTING: Part<IngressModel> = Part::new("ingress");
/// A workload's exposures (`WorkloadModel::parts`), in spec order, when it
/// is exposed.
pub const EXPOSURES: Part<Vec<ExposureModel>> = Part::new("exposures");

/// The platform's routing, as the ingress capability's analysis resolved
/// it (a stand-in before).
pub fn routing(platform: &crate::model::PlatformModel) -> &IngressModel {
    static STAND_IN: std::sync::LazyLock<IngressModel> =
        std::sync::LazyLock::new(IngressModel::stand_in);
    ROUTING.get(&platform.parts).unwrap_or(&STAND_IN)
}

/// The workload's exposures, in spec order (none when it is not exposed).
pub fn exposures(workload: &crate::model::WorkloadModel) -> &[ExposureModel] {
    EXPOSURES
        .get(&workload.parts)
        .map_or(&[], |exposures| exposures.as_slice())
}

/// The workload's exposure when it has exactly one: what a Rollout's traffic
/// routing and preview host build on (Argo Rollouts shifts the traffic of
/// one Ingress or HTTPRoute).
pub fn only_exposure(workload: &crate::model::WorkloadModel) -> Option<&ExposureModel> {
    match exposures(workload) {
        [exposure] => Some(exposure),
        _ => None,
    }
}

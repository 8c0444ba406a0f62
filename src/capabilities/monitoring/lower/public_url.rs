//! The address a workload serves the public at, as a browser (or the
//! blackbox exporter) calls it.

use crate::model::{PlatformModel, WorkloadModel};

/// The URL of a workload's public host: `https` when the platform issues
/// certificates, the exposure's path.
pub(super) fn public_url(platform: &PlatformModel, workload: &WorkloadModel) -> Option<String> {
    let exposure = crate::capabilities::ingress::model::exposure(workload)?;
    let scheme = if platform.tls_issuer.is_some() {
        "https"
    } else {
        "http"
    };
    Some(format!("{scheme}://{}{}", exposure.host, exposure.path))
}

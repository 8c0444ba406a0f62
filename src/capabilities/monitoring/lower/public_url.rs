//! The address a workload serves the public at, as a browser (or the
//! blackbox exporter) calls it.

use crate::model::{PlatformModel, WorkloadModel};

/// The URL of a workload's public host: `https` when the platform issues
/// certificates, the path of its first exposure.
pub(super) fn public_url(platform: &PlatformModel, workload: &WorkloadModel) -> Option<String> {
    let exposure = crate::capabilities::ingress::model::exposures(workload).first()?;
    let scheme = if platform.tls_issuer.is_some() {
        "https"
    } else {
        "http"
    };
    Some(format!("{scheme}://{}{}", exposure.host, exposure.path))
}

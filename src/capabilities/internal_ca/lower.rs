//! The internal CA's lowering: the CA and its issuers, and the CA in every
//! namespace of the platform, once, when any data service's clients must
//! trust it.

pub mod certificates;

use crate::lower::Objects;
use crate::lower::push;
use crate::model::PlatformModel;

use super::model::InternalCa;

/// The CA chain and one trust Certificate per namespace, when a data service
/// serves TLS with a certificate of the internal CA.
pub fn objects(platform: &PlatformModel, manifests: &mut Objects) {
    let trust = InternalCa::trust(&platform.name);
    let Some(first) = platform
        .data_services
        .iter()
        .find(|service| service.trust.as_ref() == Some(&trust))
    else {
        return;
    };
    let origin = first.origin;
    let (root, ca, issuer) = certificates::internal_ca(platform);
    push(manifests, &root, origin);
    push(manifests, &ca, origin);
    push(manifests, &issuer, origin);
    // The CA in every namespace of the platform, for the clients there.
    for namespace in &platform.namespaces {
        push(
            manifests,
            &certificates::trust_certificate(platform, &namespace.name, &trust.secret),
            origin,
        );
    }
}

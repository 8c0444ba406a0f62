//! The connections capability's lowering: the copies of data-service
//! Secrets into the namespaces of the workloads that connect from elsewhere.
//! A pod reads Secrets of its own namespace only, so for each pair of
//! namespaces the External Secrets Operator's Kubernetes provider copies
//! exactly the Secrets the workloads read, with a ServiceAccount allowed to
//! read exactly those (a Role in the source namespace, bound across).

mod mirror;

use std::collections::BTreeMap;

use crate::lower::Objects;
use crate::lower::push;
use crate::model::{PlatformModel, SecretMirrorModel};

/// Every object of every Secret copy.
pub fn objects(platform: &PlatformModel, manifests: &mut Objects) {
    let mut by_pair: BTreeMap<(&str, &str), Vec<&SecretMirrorModel>> = BTreeMap::new();
    for copy in &platform.secret_mirrors {
        by_pair
            .entry((copy.from.as_str(), copy.to.as_str()))
            .or_default()
            .push(copy);
    }
    let origin = platform
        .data_services
        .first()
        .map(|service| service.origin)
        .unwrap_or_default();
    for ((from, to), copies) in by_pair {
        let secrets: Vec<&str> = copies.iter().map(|copy| copy.secret.as_str()).collect();
        push(
            manifests,
            &mirror::service_account(platform, from, to),
            origin,
        );
        push(
            manifests,
            &mirror::role(platform, from, to, &secrets),
            origin,
        );
        push(manifests, &mirror::role_binding(platform, from, to), origin);
        push(manifests, &mirror::secret_store(platform, from, to), origin);
        for secret in secrets {
            push(
                manifests,
                &mirror::external_secret(platform, from, to, secret),
                origin,
            );
        }
    }
}

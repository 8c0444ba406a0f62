//! The Elasticsearch capability's lowering, per store: the node's
//! certificate from the platform's internal CA, its configuration, the
//! Service clients connect to, and the StatefulSet of the one node.

mod config_map;
mod service;
mod stateful_set;

use crate::capabilities::internal_ca::lower::certificates::{
    ServingCertificate, serving_certificate,
};
use crate::lower::Objects;
use crate::lower::push;
use crate::model::PlatformModel;

use super::model::COMPONENT;

/// Every object of every Elasticsearch store.
pub fn objects(platform: &PlatformModel, manifests: &mut Objects) {
    for store in crate::capabilities::elasticsearch::model::rendered(platform) {
        push(
            manifests,
            &serving_certificate(
                platform,
                &ServingCertificate {
                    secret: &store.certificate_secret(),
                    namespace: &store.namespace,
                    dns_names: &store.certificate_dns_names(),
                    name: &store.name,
                    component: COMPONENT,
                },
            ),
            store.origin,
        );
        let config = config_map::config_map(platform, store);
        let checksum = config_map::checksum(&config);
        push(manifests, &config, store.origin);
        push(manifests, &service::service(platform, store), store.origin);
        push(
            manifests,
            &stateful_set::stateful_set(platform, store, &checksum),
            store.origin,
        );
    }
}

//! The node's configuration: `elasticsearch.yml` (a single node, HTTPS with
//! the certificate of the platform's CA, no memory-mapped files) and
//! `roles.yml` (a role per user, allowed exactly its indices). The init
//! container copies both into the node's configuration directory, next to
//! the image's own files and the users it creates.

use std::collections::BTreeMap;

use k8s_openapi::api::core::v1::ConfigMap;

use crate::lower::operator_resource::data_service_metadata;
use crate::model::PlatformModel;

use super::super::model::{COMPONENT, ElasticsearchModel};

/// Where the node's certificate is mounted, relative to the configuration
/// directory: Elasticsearch reads TLS files from inside it only.
pub(super) const CERTS_DIR: &str = "certs";

pub(super) fn config_map(platform: &PlatformModel, store: &ElasticsearchModel) -> ConfigMap {
    ConfigMap {
        metadata: data_service_metadata(
            platform,
            &store.name,
            &store.config_map(),
            &store.namespace,
            COMPONENT,
            None,
        ),
        data: Some(BTreeMap::from([
            ("elasticsearch.yml".to_owned(), elasticsearch_yml(store)),
            ("roles.yml".to_owned(), roles_yml(store)),
        ])),
        ..ConfigMap::default()
    }
}

/// SHA-256 of the configuration, on the pod template: a change rolls the
/// node.
pub(super) fn checksum(config: &ConfigMap) -> String {
    static EMPTY: BTreeMap<String, String> = BTreeMap::new();
    crate::lower::config_data_checksum(config.data.as_ref().unwrap_or(&EMPTY))
}

/// The role each user gets: named after the user, so that a user name
/// never names one of Elasticsearch's reserved roles (`superuser`, …).
pub(super) fn role_of(user: &str) -> String {
    format!("{user}-indices")
}

fn elasticsearch_yml(store: &ElasticsearchModel) -> String {
    let name = &store.name;
    let tls = |layer: &str| {
        format!(
            "xpack.security.{layer}.ssl.enabled: true\n\
             xpack.security.{layer}.ssl.key: {CERTS_DIR}/tls.key\n\
             xpack.security.{layer}.ssl.certificate: {CERTS_DIR}/tls.crt\n\
             xpack.security.{layer}.ssl.certificate_authorities: [{CERTS_DIR}/ca.crt]\n"
        )
    };
    format!(
        "cluster.name: {name}\n\
         node.name: {name}-0\n\
         # One node, which elects itself and never joins another: the\n\
         # bootstrap checks of a production node (vm.max_map_count and\n\
         # others) do not apply to it.\n\
         discovery.type: single-node\n\
         # Clients on every interface; the transport protocol, which a single\n\
         # node uses with nobody, on the loopback interface only.\n\
         http.host: 0.0.0.0\n\
         transport.host: 127.0.0.1\n\
         # Index files read through the file system cache, not memory-mapped:\n\
         # the node needs no raised vm.max_map_count on its Kubernetes node.\n\
         node.store.allow_mmap: false\n\
         xpack.ml.enabled: false\n\
         # Authentication on every request, users and roles from the files\n\
         # next to this one; no enrollment of other nodes or of Kibana.\n\
         xpack.security.enabled: true\n\
         xpack.security.enrollment.enabled: false\n\
         {}\
         {}\
         xpack.security.transport.ssl.verification_mode: certificate\n",
        tls("http"),
        tls("transport"),
    )
}

fn roles_yml(store: &ElasticsearchModel) -> String {
    let mut out = String::new();
    for user in &store.users {
        let names: Vec<String> = user
            .indices
            .iter()
            .map(|pattern| serde_json::Value::from(pattern.as_str()).to_string())
            .collect();
        // `monitor` for the version probe and the index listing clients
        // start with, `manage_index_templates` and `manage_ilm` for the
        // templates and lifecycle policies of their indices; on the indices
        // themselves, everything.
        out.push_str(&format!(
            "{}:\n  cluster: [monitor, manage_index_templates, manage_ilm]\n  indices:\n    - names: [{}]\n      privileges: [all]\n",
            role_of(&user.name),
            names.join(", "),
        ));
    }
    out
}

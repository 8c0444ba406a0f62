//! `ElasticsearchModel`: one single-node Elasticsearch store to render,
//! every default applied.

use std::collections::BTreeMap;

use crate::model::TolerationModel;
use crate::source::Span;
use crate::spec::{Quantity, Resources};

/// The pod label naming the store, which its Service selects by.
pub const NAME_LABEL: &str = "app.kubernetes.io/name";
/// The component label of every object of a store.
pub const COMPONENT: &str = "search";
/// HTTPS: the REST API clients use.
pub const HTTP_PORT: u16 = 9200;

#[derive(Debug, Clone)]
pub struct ElasticsearchModel {
    pub name: String,
    pub namespace: String,
    pub description: Option<String>,
    /// The image, `docker.elastic.co/elasticsearch/elasticsearch:<version>`.
    pub image: String,
    pub storage_size: Quantity,
    pub storage_class: Option<String>,
    pub resources: Resources,
    pub node_selector: BTreeMap<String, String>,
    pub tolerations: Vec<TolerationModel>,
    pub priority_class: Option<String>,
    pub users: Vec<ElasticsearchUserModel>,
    pub origin: Span,
}

/// A user of the file realm, with the role of the same name.
#[derive(Debug, Clone)]
pub struct ElasticsearchUserModel {
    pub name: String,
    /// The Secret in the store's namespace holding the password, and its key.
    pub secret: String,
    pub key: String,
    pub indices: Vec<String>,
}

impl ElasticsearchModel {
    /// The Service clients connect to, and the node's StatefulSet: the
    /// store's own name.
    pub fn host(&self) -> String {
        format!("{}.{}.svc", self.name, self.namespace)
    }

    /// The address clients connect to.
    pub fn url(&self) -> String {
        format!("https://{}:{HTTP_PORT}", self.host())
    }

    /// The Secret cert-manager keeps the node's certificate in.
    pub fn certificate_secret(&self) -> String {
        format!("{}-tls", self.name)
    }

    /// The ConfigMap of `elasticsearch.yml` and `roles.yml`.
    pub fn config_map(&self) -> String {
        format!("{}-config", self.name)
    }

    /// The names the node's certificate is valid for: the Service, in the
    /// short and the cluster-domain forms clients use.
    pub fn certificate_dns_names(&self) -> Vec<String> {
        let (name, namespace) = (&self.name, &self.namespace);
        vec![
            format!("{name}.{namespace}.svc"),
            format!("{name}.{namespace}"),
            format!("{name}.{namespace}.svc.cluster.local"),
        ]
    }

    /// The pod labels the Service and the network policy select by.
    pub fn pod_labels(&self) -> BTreeMap<String, String> {
        BTreeMap::from([(NAME_LABEL.to_owned(), self.name.clone())])
    }
}

/// The platform's Elasticsearch stores to render (`PlatformModel::parts`),
/// in spec order.
pub const ELASTICSEARCH: crate::model::Part<Vec<ElasticsearchModel>> =
    crate::model::Part::new("elasticsearch");

/// The platform's Elasticsearch stores to render, in spec order.
pub fn rendered(platform: &crate::model::PlatformModel) -> &[ElasticsearchModel] {
    ELASTICSEARCH
        .get(&platform.parts)
        .map_or(&[], Vec::as_slice)
}

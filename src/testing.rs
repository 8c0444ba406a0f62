//! Test support shared by the unit tests of every module: a spec held in
//! memory (a [`SpecSource`]) compiled through the real pipeline, so a test
//! states its platform as a user would and never builds a model by hand.

use std::collections::BTreeMap;

mod random;
pub(crate) use random::Random;

use crate::diagnostic::Diagnostic;
use crate::model::PlatformModel;
use crate::pipeline::{self, Compilation};
use crate::read::{PLATFORM_FILE, SpecSource};
use crate::source::{FileId, SourceFile, Sources};

/// Spec files held in memory, by root-relative path.
pub(crate) struct MemorySource(BTreeMap<String, String>);

impl MemorySource {
    /// `platform.yaml` holding `base`, and `environments/<environment>.yaml`
    /// holding `overlay`.
    pub(crate) fn new(base: &str, environment: &str, overlay: &str) -> Self {
        Self(BTreeMap::from([
            (PLATFORM_FILE.to_owned(), base.to_owned()),
            (
                format!("environments/{environment}.yaml"),
                overlay.to_owned(),
            ),
        ]))
    }
}

impl SpecSource for MemorySource {
    fn environments(&self) -> Result<Vec<String>, Diagnostic> {
        Ok(self
            .0
            .keys()
            .filter_map(|path| path.strip_prefix("environments/")?.strip_suffix(".yaml"))
            .map(str::to_owned)
            .collect())
    }

    fn overlay_file(&self, environment: &str) -> String {
        format!("environments/{environment}.yaml")
    }

    fn read(&self, relative: &str, sources: &mut Sources) -> Result<FileId, Diagnostic> {
        let text = self.0.get(relative).cloned().unwrap_or_default();
        Ok(sources.add(SourceFile::new(relative, text)))
    }
}

/// `base` compiled as `environment` with `overlay` as its file.
pub(crate) fn compile(base: &str, environment: &str, overlay: &str) -> Compilation {
    pipeline::compile(&MemorySource::new(base, environment, overlay), environment)
}

/// The `prod` model of `base` with `overlay` merged over it; panics with the
/// diagnostics when the spec is invalid.
#[track_caller]
pub(crate) fn model(base: &str, overlay: &str) -> PlatformModel {
    let compilation = compile(base, "prod", overlay);
    let messages: Vec<_> = compilation
        .diagnostics
        .iter()
        .map(|d| d.message.clone())
        .collect();
    compilation
        .model
        .unwrap_or_else(|| panic!("the test spec is invalid: {messages:?}"))
}

/// A platform with one exposed workload `web` (port `http`, 8080, Service port
/// 80) in namespace `shop`, and a namespace `edge` for a Gateway.
pub(crate) const BASE: &str = "\
platform: { name: shop, kubernetesVersion: \"1.33\" }
domain: example.com
ingress: { controllerNamespace: ingress-nginx }
namespaces: { shop: {}, edge: {} }
workloads:
  web:
    namespace: shop
    image: ghcr.io/acme/web:1.2.3
    ports:
      http: { port: 8080, servicePort: 80 }
    resources:
      requests: { cpu: 100m, memory: 128Mi }
      limits: { cpu: 500m, memory: 256Mi }
    expose: { host: shop }
";

/// An overlay of [`BASE`] with a workload of every kind: `web`, a
/// Deployment with an autoscaler, `store`, a StatefulSet with storage, and
/// `migrate` and `export`, a Job and a CronJob running `web`'s image, all
/// three with the same resources.
pub(crate) const EVERY_KIND: &str = "\
workloads:
  web: { autoscaling: { min: 2, max: 4, cpu: 70 } }
  store:
    namespace: shop
    kind: StatefulSet
    image: ghcr.io/acme/store:1.0.0
    ports: { tcp: { port: 5000 } }
    resources: &resources
      requests: { cpu: 100m, memory: 128Mi }
      limits: { cpu: 500m, memory: 256Mi }
    storage: { size: 1Gi, mountPath: /data }
  migrate:
    namespace: shop
    kind: Job
    imageOf: web
    resources: *resources
  export:
    namespace: shop
    kind: CronJob
    imageOf: web
    resources: *resources
    cronJob: { schedule: \"@daily\" }
";

/// [`BASE`] with `overlay` merged over it.
#[track_caller]
pub(crate) fn platform(overlay: &str) -> PlatformModel {
    model(BASE, overlay)
}

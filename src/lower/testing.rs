//! Test support for lowering: models compiled from spec text through the real
//! pipeline (parse, merge, analyze), so unit tests state their platform as a
//! user would and never depend on every field of the model.

use crate::diagnostic::Diagnostic;
use crate::model::PlatformModel;
use crate::pipeline::{self, SpecSource};
use crate::source::{FileId, PLATFORM_FILE, SourceFile, Sources};

/// A platform with one exposed workload `web` (port `http`, 8080, Service port
/// 80) in namespace `shop`, and a namespace `edge` for a Gateway.
pub(super) const BASE: &str = "\
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

struct Memory<'a> {
    base: &'a str,
    overlay: &'a str,
}

impl SpecSource for Memory<'_> {
    fn environments(&self) -> Result<Vec<String>, Diagnostic> {
        Ok(vec!["prod".to_owned()])
    }

    fn read(&self, relative: &str, sources: &mut Sources) -> Result<FileId, Diagnostic> {
        let text = if relative == PLATFORM_FILE {
            self.base
        } else {
            self.overlay
        };
        Ok(sources.add(SourceFile::new(relative, text)))
    }
}

/// The `prod` model of `base` with `overlay` merged over it; panics with the
/// diagnostics when the spec is invalid.
#[track_caller]
pub(super) fn model(base: &str, overlay: &str) -> PlatformModel {
    let compilation = pipeline::compile(&Memory { base, overlay }, "prod");
    let messages: Vec<_> = compilation
        .diagnostics
        .iter()
        .map(|d| d.message.clone())
        .collect();
    compilation
        .model
        .unwrap_or_else(|| panic!("the test spec is invalid: {messages:?}"))
}

/// [`BASE`] with `overlay` merged over it.
#[track_caller]
pub(super) fn platform(overlay: &str) -> PlatformModel {
    model(BASE, overlay)
}

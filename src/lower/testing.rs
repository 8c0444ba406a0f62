//! Test support for lowering: the base platform its unit tests vary.

use crate::model::PlatformModel;
use crate::testing;

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

/// [`BASE`] with `overlay` merged over it.
#[track_caller]
pub(super) fn platform(overlay: &str) -> PlatformModel {
    testing::model(BASE, overlay)
}
